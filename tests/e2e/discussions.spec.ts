import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run, type Member } from './people.ts';
import { newCase as createCase, post as writePost } from './threads.ts';

const newMember = membersOf('thread');

let organiser: Member;

/** A case of its own for each journey, so threads never mix; its slug. */
const newCase = async (title: string) =>
  (await createCase(organiser, title, { prefix: 'd', summary: 'A case for a discussion journey.' })).slug;

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Oscar');
  setRole(organiser.handle, 'organiser');
});

test.afterAll(async () => {
  await organiser.context.close();
});

function thread(page: Page) {
  return page.locator('#discussion');
}

test('two browsers on one case: a post, a reply and a reaction arrive live', async ({ browser }) => {
  test.setTimeout(120_000);
  const slug = await newCase('Live thread');
  const [ana, ben] = [await newMember(browser, 'Ana'), await newMember(browser, 'Ben')];
  const a = await ana.context.newPage();
  const b = await ben.context.newPage();
  await a.goto(`/cases/${slug}`);
  await b.goto(`/cases/${slug}`);
  await expect(thread(a).getByText('No discussion yet — start it')).toBeVisible();
  await expectAccessible(a);
  // Both are watching (the presence line says so) before anything is posted.
  await expect(a.getByText('2 people are reading this case right now.')).toBeVisible({ timeout: 15_000 });

  await a.getByLabel('Your post').fill(`Has anyone measured **uptake** here? ${run}`);
  await a.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(thread(a).getByText(`Has anyone measured uptake here? ${run}`)).toBeVisible();
  // Ben sees it without reloading, announced politely.
  await expect(thread(b).getByText(`Has anyone measured uptake here? ${run}`)).toBeVisible();
  await expect(b.locator('[aria-live="polite"]').filter({ hasText: `New post from ${ana.name}` })).toHaveCount(1);

  await thread(b).getByRole('link', { name: 'Reply' }).first().click();
  await b.getByLabel(`Your reply to ${ana.name}`).fill('Yes: 40% in the first year.');
  await b.getByRole('button', { name: 'Reply', exact: true }).click();
  await expect(thread(a).getByText('Yes: 40% in the first year.')).toBeVisible();
  await expect(thread(a).getByRole('list', { name: `Replies to ${ana.name}` })).toContainText('40%');

  await thread(b)
    .getByRole('button', { name: /Insightful/ })
    .first()
    .click();
  await expect(
    thread(b)
      .getByRole('button', { name: /Insightful/ })
      .first(),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(
    thread(a)
      .getByRole('button', { name: /Insightful 1/ })
      .first(),
  ).toBeVisible();
  await expectAccessible(b);
  await ana.context.close();
  await ben.context.close();
});

test('posting, replying, editing and deleting work without JavaScript', async ({ browser }) => {
  const slug = await newCase('No script thread');
  const cleo = await newMember(browser, 'Cleo', { javaScriptEnabled: false });
  const page = await cleo.context.newPage();
  await page.goto(`/cases/${slug}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByText('Write something before posting')).toBeVisible();
  await page.getByLabel('Your post').fill('A first post, sent by a form.');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(thread(page).getByText('A first post, sent by a form.')).toBeVisible();

  await thread(page).getByRole('link', { name: 'Reply' }).click();
  await page.getByLabel(`Your reply to ${cleo.name}`).fill('And a reply, also by form.');
  await page.getByRole('button', { name: 'Reply', exact: true }).click();
  await expect(thread(page).getByText('And a reply, also by form.')).toBeVisible();

  await thread(page).getByRole('link', { name: 'Edit' }).first().click();
  await page.getByLabel('Edit your post').fill('A first post, edited by a form.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(thread(page).getByText('A first post, edited by a form.')).toBeVisible();
  await thread(page).getByRole('link', { name: 'edited' }).click();
  await expect(page.getByRole('heading', { name: `Edit history of a post by ${cleo.name}` })).toBeVisible();
  await expect(page.getByText('A first post, sent by a form.')).toBeVisible();
  await page.goBack();

  // Deleting the first post (it has a reply) leaves a tombstone; confirmation first.
  await thread(page).getByRole('button', { name: 'Delete' }).first().click();
  await expect(page.getByText('Delete this post?')).toBeVisible();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(thread(page).getByText('This post was deleted.')).toBeVisible();
  await expect(thread(page).getByText('And a reply, also by form.')).toBeVisible();
  await cleo.context.close();
});

/** Sends until the API answers 429 (a per-member limit), every answer before it `ok`; returns the 429. */
async function useUp(send: () => Promise<APIResponse>, ok: number): Promise<APIResponse> {
  for (let i = 0; i < 100; i += 1) {
    const response = await send();
    if (response.status() === 429) return response;
    expect(response.status(), await response.text()).toBe(ok);
  }
  throw new Error('no limit was reached in 100 requests');
}

test('too fast: the composer, a reaction and a follow button say when to try again, and the text stays', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const slug = await newCase('Fast thread');
  const flo = await newMember(browser, 'Flo');
  // Flo writes in two windows: with JavaScript in English, and without it in French.
  const page = await flo.context.newPage();
  await page.goto(`/cases/${slug}`);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const field = page.getByLabel('Your post');
  await field.fill(`One thought too many ${run}`);
  const plain = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const login = await plain.request.post('/api/v1/auth/login', {
    data: { email: `${flo.handle}@example.org`, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const fr = await plain.newPage();
  await fr.goto(`/fr/cases/${slug}`);
  await fr.getByLabel('Votre message').fill(`Encore une idée ${run}`);

  // Then this minute's posts are used up through the API (the journeys' server allows 30 a minute).
  const refused = await useUp(
    () => flo.context.request.post(`/api/v1/cases/${slug}/posts`, { data: { body: 'Quick note' } }),
    201,
  );
  expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
  expect((await refused.json()).error).toMatchObject({
    code: 'rate_limited',
    details: [{ limit: 'posts_per_minute' }],
  });

  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(
    page.getByText(/You are posting too fast: try again in \d+ seconds?\. Your text is kept\.$/),
  ).toBeVisible();
  await expect(field).toHaveValue(`One thought too many ${run}`);
  // The form action says the same and gives the text back.
  await fr.getByRole('button', { name: 'Publier', exact: true }).click();
  await expect(
    fr.getByText(/Vous publiez trop vite : réessayez dans \d+ secondes?\. Votre texte est conservé\.$/),
  ).toBeVisible({ timeout: 30_000 }); // a whole page, rendered again by the server
  await expect(fr.getByLabel('Votre message')).toHaveValue(`Encore une idée ${run}`);
  await plain.close();

  // Reactions: this minute's allowance used up, the next click says so (politely) and changes nothing.
  const target = thread(page).locator('article').first();
  const postId = (await target.getAttribute('id'))!.replace('post-', '');
  let on = true;
  await useUp(() => {
    const url = `/api/v1/posts/${postId}/reactions/support`;
    on = !on;
    return on ? flo.context.request.delete(url) : flo.context.request.put(url);
  }, 200);
  await target.getByRole('button', { name: /Insightful/ }).click();
  await expect(target.getByRole('status')).toHaveText(/^You are reacting too fast: try again in \d+ seconds?\.$/);
  await expect(target.getByRole('button', { name: /Insightful/ })).toHaveAttribute('aria-pressed', 'false');

  // Follows: this hour's follows and unfollows used up; the case's follow button says when to retry.
  let following = false;
  await useUp(() => {
    following = !following;
    return following
      ? flo.context.request.put('/api/v1/follows/country/FR')
      : flo.context.request.delete('/api/v1/follows/country/FR');
  }, 200);
  const follow = page.getByRole('button', { name: `Follow: Fast thread ${run}` });
  await follow.click();
  await expect(
    page.getByText(/^You have followed and unfollowed a lot this hour: try again in \d+ minutes?\.$/),
  ).toBeVisible();
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  await expectAccessible(page);
  await flo.context.close();
});

test('markup in posts never runs, on load and when it arrives live', async ({ browser }) => {
  const slug = await newCase('Naughty thread');
  const [eve, vic] = [await newMember(browser, 'Eve'), await newMember(browser, 'Vic')];
  const payloads = [
    '<script>window.__xss = 1</script>',
    '<img src=x onerror="window.__xss = 2">',
    '[click me](javascript:window.__xss=3)',
    '<svg onload="window.__xss = 4"></svg>',
    '[data](data:text/html,<script>window.__xss=5</script>)',
    '<a href="javascript:window.__xss=6">raw link</a>',
    '![pixel](https://tracker.example/p.gif)',
  ];
  for (const body of payloads) {
    const res = await eve.context.request.post(`/api/v1/cases/${slug}/posts`, { data: { body } });
    expect(res.status()).toBe(201);
  }
  const page = await vic.context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`/cases/${slug}`);
  await expect(thread(page).getByText('<script>window.__xss = 1</script>')).toBeVisible();
  await expect(
    thread(page).locator('script, img, svg:not([aria-hidden="true"]), a[href^="javascript:"], a[href^="data:"]'),
  ).toHaveCount(0);
  // A live one, while the page is open.
  await eve.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: '<img src=y onerror="window.__xss = 7"> live' },
  });
  await expect(thread(page).getByText('<img src=y onerror="window.__xss = 7"> live')).toBeVisible();
  for (const link of await thread(page)
    .getByRole('link', { name: /click me|data|raw link/ })
    .all()) {
    await link.click({ trial: false }).catch(() => undefined);
  }
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  await eve.context.close();
  await vic.context.close();
});

test('readers who are not signed in, and the thread in French', async ({ page }) => {
  const slug = await newCase('Public thread');
  const dan = await page.request.post('/api/v1/auth/signup', {
    data: { email: `dan-${run}@example.org`, password: PASSWORD, displayName: `Dan ${run}`, handle: `dan-${run}` },
  });
  expect(dan.status()).toBe(201);
  await page.request.post(`/api/v1/cases/${slug}/posts`, { data: { body: 'Visible to everyone.' } });
  await page.request.post('/api/v1/auth/logout');
  await page.context().clearCookies();
  await page.goto(`/cases/${slug}`);
  await expect(thread(page).getByText('Visible to everyone.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in to join the discussion' })).toHaveAttribute(
    'href',
    new RegExp(`/login\\?redirectTo=.*${slug}`),
  );
  await expectAccessible(page);
  await page.goto(`/fr/cases/${slug}`);
  await expect(page.getByRole('link', { name: 'Connectez-vous pour participer à la discussion' })).toBeVisible();
  await expect(page.getByRole('button', { name: /J’aime|Éclairant/ })).toHaveCount(0);
  await expectAccessible(page);
});

test('a reader up the page gets a “new posts” pill; a return visit marks what is new', async ({ browser }) => {
  test.setTimeout(120_000);
  const slug = await newCase('Long thread');
  const [ana, ben] = [await newMember(browser, 'Anouk'), await newMember(browser, 'Bram')];
  const long = 'A long paragraph about procurement rules, with enough words to fill a few lines on the screen. '.repeat(
    4,
  );
  for (let i = 1; i <= 12; i += 1) {
    const response = await ben.context.request.post(`/api/v1/cases/${slug}/posts`, {
      data: { body: `Post ${i}. ${long}` },
    });
    expect(response.status()).toBe(201);
  }
  const page = await ana.context.newPage();
  await page.goto(`/cases/${slug}`);
  await expect(thread(page).getByText('Post 12.')).toBeVisible();
  // Give the socket time to join the room, then read from the top.
  await expect(page.getByText(/reading this case right now|You are reading/)).toBeVisible({ timeout: 15_000 });
  await page.evaluate(() => window.scrollTo(0, 0));

  const arrived = await ben.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `Post 13 arrives while Anouk reads ${run}` },
  });
  const fresh = (await arrived.json()) as { id: string };
  const pill = page.getByRole('button', { name: '1 new post' });
  await expect(pill).toBeVisible();
  // Where the reader is stays put: the page has not jumped.
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(50);
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: `New post from ${ben.name}` })).toHaveCount(1);
  await pill.click();
  await expect(pill).toHaveCount(0);
  await expect(page.locator(`#post-${fresh.id}`)).toBeFocused();
  await expect(page.locator(`#post-${fresh.id}`)).toBeInViewport();

  // Anouk leaves; two more posts come; her next visit marks where the new ones start.
  await page.goto('/cases');
  await page.waitForTimeout(1_500);
  for (const i of [14, 15]) {
    await ben.context.request.post(`/api/v1/cases/${slug}/posts`, {
      data: { body: `Post ${i} after the visit ${run}` },
    });
  }
  await page.goto(`/cases/${slug}`);
  const divider = thread(page).getByRole('listitem').filter({ hasText: 'New since your last visit' });
  await expect(divider).toHaveCount(1);
  const after = await divider.evaluate((li) => li.nextElementSibling?.textContent ?? '');
  expect(after).toContain('Post 14 after the visit');
  await expectAccessible(page);
  await ana.context.close();
  await ben.context.close();
});

test('a moderator edits and deletes another member’s post from the thread', async ({ browser }) => {
  const slug = await newCase('Moderated thread');
  const [author, mod] = [await newMember(browser, 'Aziz'), await newMember(browser, 'Mona')];
  setRole(mod.handle, 'moderator');
  const created = await author.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `Call me at +33 6 00 00 00 00 ${run}` },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const page = await mod.context.newPage();
  // The Edit link's own address (what a click before the scripts run opens): the editor is open;
  // once saved with the scripts, the address forgets it, so a reload shows the post, not the editor.
  await page.goto(`/cases/${slug}?edit=${id}`);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel(`Edit ${author.name}’s post`).fill(`Phone number removed by a moderator ${run}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(thread(page).getByText(`Phone number removed by a moderator ${run}`)).toBeVisible();
  await expect(page).not.toHaveURL(/[?&]edit=/);
  await page.reload();
  await expect(thread(page).getByText(`Phone number removed by a moderator ${run}`)).toBeVisible();
  await thread(page).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(thread(page).getByText(`Phone number removed by a moderator ${run}`)).toHaveCount(0);
  // The author's own view agrees.
  const authorPage = await author.context.newPage();
  await authorPage.goto(`/cases/${slug}`);
  await expect(thread(authorPage).getByText(`Phone number removed`)).toHaveCount(0);
  await author.context.close();
  await mod.context.close();
});

test('the composer previews with the server’s renderer, live as one types, and safely', async ({ browser }) => {
  const slug = await newCase('Preview thread');
  const pia = await newMember(browser, 'Pia');
  const page = await pia.context.newPage();
  await page.goto(`/cases/${slug}`);
  // The preview is the scripts' work: wait for them.
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const field = page.getByLabel('Your post');
  await field.fill('Some **bold** words');
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('strong')).toHaveText('bold');
  // The text stays editable and the preview follows it.
  await field.fill('Now a [link](https://example.org) and <img src=x onerror="window.__pwned=1">');
  await expect(preview.getByRole('link', { name: 'link' })).toHaveAttribute('rel', 'nofollow ugc noopener');
  await expect(preview.locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Write', exact: true }).click();
  await expect(preview).toHaveCount(0);
  await pia.context.close();
});

test('a post whose live event was lost on the way still appears: the next post says one is missing', async ({
  browser,
}) => {
  const slug = await newCase('Lost live event');
  const [rita, will] = [await newMember(browser, 'Rita'), await newMember(browser, 'Will')];
  const page = await rita.context.newPage();
  const lost = `Lost on the way ${run}`;
  let dropped = 0;
  // Between the page and the server, that post's post:created frame is dropped (as a broken proxy
  // or a node's lost emit would); everything else passes.
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"post:created"') && message.includes(lost)) {
        dropped += 1;
        return;
      }
      ws.send(message);
    });
  });
  await page.goto(`/cases/${slug}`);
  await expect(page.getByText('No one else is reading this case right now.')).toBeVisible({ timeout: 15_000 });

  await writePost(will, slug, lost);
  await expect.poll(() => dropped).toBe(1);
  await writePost(will, slug, `Told the page one was missing ${run}`);
  // The second post's previousId is the first one's: the page catches up and shows both, in order.
  await expect(thread(page).getByText(`Told the page one was missing ${run}`)).toBeVisible();
  await expect(thread(page).getByText(lost)).toBeVisible();
  await expect(thread(page).locator('article').filter({ hasText: run })).toContainText([
    lost,
    `Told the page one was missing ${run}`,
  ]);
  await rita.context.close();
  await will.context.close();
});

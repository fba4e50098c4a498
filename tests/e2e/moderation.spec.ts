import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';

/** Unique per run, so the journeys can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

async function member(browser: Browser, first: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled });
  const handle = `${first.toLowerCase()}-${run}`;
  const name = `${first} Moderation ${run}`;
  const signup = await context.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: name, handle },
  });
  expect(signup.status()).toBe(201);
  return { context, handle, name };
}

/** A made-up word no case or post contains (letters only, so the search parser keeps it whole). */
function uniqueWord(): string {
  const letters = Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  return `zm${letters.join('')}`;
}

async function hydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Presses Tab until `target` has the focus (the keyboard's way there), then checks the focus shows. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let presses = 0; presses < 80 && !(await target.evaluate((e) => e === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
  const outline = await target.evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(outline, 'a visible focus ring').not.toBe('none');
}

test('a member reports a post, a moderator sees it arrive live and hides it, and it is gone for others', async ({
  browser,
}) => {
  test.slow();
  const organiser = await member(browser, 'Oriane');
  setRole(organiser.handle, 'organiser');
  const slug = `t-moderation-${run}`;
  const made = await organiser.context.request.post('/api/v1/cases', {
    data: {
      slug,
      title: `Moderation ${run}`,
      summary: 'A case for the moderation journey.',
      countries: ['FR'],
      themes: ['citizen-engagement'],
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    },
  });
  expect(made.status(), await made.text()).toBe(201);

  // Member A posts in the case's thread.
  const author = await member(browser, 'Anselme');
  const word = uniqueWord();
  const secret = `Buy cheap watches here ${run}`;
  // The search shows an excerpt (its first word may go): what must not show is the rest of the text.
  const excerpt = secret.slice('Buy '.length);
  const posted = await author.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `${secret} ${word}` },
  });
  expect(posted.status()).toBe(201);
  const postId = ((await posted.json()) as { id: string }).id;

  // An anonymous reader (no scripts) finds it before, so the checks after the hide mean something.
  const anonymous = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const visitor = await anonymous.newPage();
  await visitor.goto(`/search?q=${word}`);
  await expect(visitor.locator('main')).toContainText(excerpt);
  // Signed out, the case's "Report" link goes to sign in first, and back to the form.
  await visitor.goto(`/cases/${slug}`);
  await expect(visitor.getByRole('link', { name: 'Report this case' })).toHaveAttribute(
    'href',
    `/login?${new URLSearchParams({ redirectTo: `/report?type=case&target=${slug}` }).toString()}`,
  );

  // The moderator's queue is already open, and live.
  const moderator = await member(browser, 'Maelle');
  setRole(moderator.handle, 'moderator');
  const queue = await moderator.context.newPage();
  await hydrated(queue, '/moderation');
  await expect(queue.getByText('Live: new reports appear here as they arrive.')).toBeVisible({ timeout: 15_000 });
  await queue.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });

  // Member B reports the post from the thread, in a dialog over the thread (the page stays put).
  const reporter = await member(browser, 'Bertille');
  const page = await reporter.context.newPage();
  await hydrated(page, `/cases/${slug}`);
  await page.locator(`#post-${postId}`).getByRole('link', { name: 'Report', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Report to the moderators' });
  await expect(dialog).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/cases/${slug}$`));
  await expect(dialog).toContainText('A post');
  await expectAccessible(page);
  await page.screenshot({ path: 'test-results/report-dialog.png' });
  await dialog.getByRole('radio', { name: 'Spam or advertising' }).check();
  await dialog.getByLabel('Anything the moderators should know (optional)').fill(`Advertising again ${run}`);
  await dialog.getByRole('button', { name: 'Send the report' }).click();
  await expect(dialog.getByRole('status')).toHaveText(
    'Thank you. The moderators will look at your report; you will be told the outcome.',
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator(`#post-${postId}`).getByRole('link', { name: 'Report', exact: true })).toBeFocused();
  // Opened again, the dialog starts afresh; Escape closes it.
  await page.locator(`#post-${postId}`).getByRole('link', { name: 'Report', exact: true }).click();
  await expect(dialog.getByRole('button', { name: 'Send the report' })).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The report appears in the open queue without a reload, announced politely.
  const group = queue.getByRole('article', { name: `Post ${postId} · 1 report` });
  await expect(group).toBeVisible();
  await expect(group).toContainText(`@${reporter.handle} (Spam or advertising): Advertising again ${run}`);
  await expect(group).toContainText(secret);
  await expect(queue.locator('[aria-live="polite"]').filter({ hasText: 'A new report arrived.' })).toHaveCount(1);
  expect(await queue.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await queue.screenshot({ path: 'test-results/moderation-queue.png', fullPage: true });
  await expectAccessible(queue);

  // The same queue in French.
  const enFrancais = await moderator.context.newPage();
  await hydrated(enFrancais, '/fr/moderation');
  await expect(enFrancais.getByRole('heading', { level: 1, name: 'Modération' })).toBeVisible();
  await expect(enFrancais.getByRole('article', { name: `Message ${postId} · 1 signalement` })).toContainText(
    'Spam ou publicité',
  );
  await expectAccessible(enFrancais);
  await enFrancais.screenshot({ path: 'test-results/moderation-queue-fr.png', fullPage: true });
  await enFrancais.close();

  // The moderator hides it, with a reason the author will read.
  const reason = `Advertising is not allowed ${run}`;
  await group.getByRole('radio', { name: 'Hide the post' }).check();
  await group.getByLabel('Reason (shown to the member concerned)').fill(reason);
  await group.getByRole('button', { name: 'Apply' }).click();
  await expect(queue.getByRole('status').filter({ hasText: 'Done: 1 report resolved.' })).toBeVisible();
  await expect(group).toHaveCount(0);

  // The anonymous reader sees a tombstone, not the text; nor does the search find it.
  await expect(async () => {
    await visitor.goto(`/cases/${slug}`);
    const post = visitor.locator(`#post-${postId}`);
    await expect(post).toContainText('This post was hidden by the moderators', { timeout: 1_000 });
    await expect(post).not.toContainText(secret, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await visitor.goto(`/search?q=${word}`);
  await expect(visitor.locator('main')).toContainText(`No results for “${word}”`);
  await expect(visitor.locator('main')).not.toContainText(excerpt);

  // The author still sees the post, and why it was hidden.
  const own = await author.context.newPage();
  await own.goto(`/cases/${slug}`);
  await expect(own.locator(`#post-${postId}`)).toContainText(`Hidden by the moderators: ${reason}`);

  await Promise.all([
    organiser.context.close(),
    author.context.close(),
    moderator.context.close(),
    reporter.context.close(),
    anonymous.close(),
  ]);
});

test('the report form: a profile reported with the keyboard alone, axe-clean in English and French', async ({
  browser,
}) => {
  test.slow();
  const [reported, reporter] = [await member(browser, 'Renaud'), await member(browser, 'Kenza')];
  const page = await reporter.context.newPage();
  await hydrated(page, `/people/${reported.handle}`);
  const link = page.getByRole('link', { name: 'Report this profile' });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  // The form opens in a dialog on the profile, the focus inside it.
  const dialog = page.getByRole('dialog', { name: 'Report to the moderators' });
  await expect(dialog.getByText(`A member: @${reported.handle}`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/people/${reported.handle}$`));
  await expect(dialog.getByRole('radio', { name: 'Spam or advertising' })).toBeFocused();
  await expectAccessible(page);

  // A reason by the arrow keys, a note, and send, without the mouse.
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('radio', { name: 'Harassment or abuse' })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Anything the moderators should know (optional)')).toBeFocused();
  await page.keyboard.type(`Insults in private messages ${run}`);
  await tabTo(page, dialog.getByRole('button', { name: 'Send the report' }));
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toContainText('The moderators will look at your report');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(link).toBeFocused();

  // Without JavaScript the same link is the form on a page of its own.
  const plain = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const login = await plain.request.post('/api/v1/auth/login', {
    data: { email: `${reporter.handle}@example.org`, password: PASSWORD },
  });
  expect(login.ok()).toBe(true);
  const noScript = await plain.newPage();
  await noScript.goto(`/people/${reported.handle}`);
  await noScript.getByRole('link', { name: 'Report this profile' }).click();
  await expect(noScript).toHaveURL(new RegExp(`/report\\?type=person&target=${reported.handle}$`));
  await expect(noScript.getByRole('heading', { level: 1, name: 'Report to the moderators' })).toBeVisible();
  await plain.close();

  // In French.
  const fr = await reporter.context.newPage();
  await hydrated(fr, `/fr/report?type=person&target=${reported.handle}`);
  await expect(fr.getByRole('heading', { level: 1, name: 'Signaler à la modération' })).toBeVisible();
  await expect(fr.getByRole('group', { name: 'Pourquoi le signalez-vous ?' })).toBeVisible();
  await expectAccessible(fr);
  await fr.screenshot({ path: 'test-results/report-form-fr.png', fullPage: true });
  // Your own profile offers no report link; the French profile names it in French.
  await fr.goto(`/fr/people/${reported.handle}`);
  await expect(fr.getByRole('link', { name: 'Signaler ce profil' })).toBeVisible();
  await fr.goto(`/people/${reporter.handle}`);
  await expect(fr.getByRole('heading', { level: 1, name: reporter.name })).toBeVisible();
  await expect(fr.getByRole('link', { name: 'Report this profile' })).toHaveCount(0);

  // An event: others may report it, its organiser sees no such link.
  setRole(reported.handle, 'organiser');
  const startsAt = new Date(Date.now() + 14 * 86_400_000);
  const made = await reported.context.request.post('/api/v1/events', {
    data: {
      title: `Reportable ${run}`,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      capacity: 10,
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  const eventSlug = ((await made.json()) as { slug: string }).slug;
  await fr.goto(`/fr/events/${eventSlug}`);
  await expect(fr.getByRole('link', { name: 'Signaler cet événement' })).toHaveAttribute(
    'href',
    `/fr/report?type=event&target=${eventSlug}`,
  );
  const organiserPage = await reported.context.newPage();
  await organiserPage.goto(`/events/${eventSlug}`);
  await expect(organiserPage.getByRole('heading', { level: 1, name: `Reportable ${run}` })).toBeVisible();
  await expect(organiserPage.getByRole('link', { name: 'Report this event' })).toHaveCount(0);

  await Promise.all([reported.context.close(), reporter.context.close()]);
});

test('without JavaScript, a moderator dismisses a report on a member from the queue', async ({ browser }) => {
  test.slow();
  const [reported, reporter] = [await member(browser, 'Noel'), await member(browser, 'Ninon')];
  const filed = await reporter.context.request.post('/api/v1/reports', {
    data: { targetType: 'person', target: reported.handle, reason: 'other', note: `Odd profile ${run}` },
  });
  expect(filed.status(), await filed.text()).toBe(201);

  const moderator = await member(browser, 'Nadia', false);
  setRole(moderator.handle, 'moderator');
  const page = await moderator.context.newPage();
  await page.goto('/moderation');
  const group = page.getByRole('article', { name: `Member @${reported.handle} · 1 report` });
  await expect(group).toContainText(`@${reporter.handle} (Something else): Odd profile ${run}`);
  // Nothing only a post can undergo is offered for a member.
  await expect(group.getByRole('radio', { name: 'Hide the post' })).toHaveCount(0);
  await group.getByRole('radio', { name: 'Dismiss' }).check();
  await group.getByLabel('Reason (shown to the member concerned)').fill('Nothing against the rules');
  await group.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Done: 1 report resolved.' })).toBeVisible();
  await expect(page.getByRole('article', { name: `Member @${reported.handle} · 1 report` })).toHaveCount(0);

  await Promise.all([reported.context.close(), reporter.context.close(), moderator.context.close()]);
});

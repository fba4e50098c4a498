import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';

/** Unique per run, so the journeys can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

/** A made-up word no case or post contains (letters only, so the search parser keeps it whole). */
function uniqueWord(): string {
  const letters = Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  return `zq${letters.join('')}`;
}

/** A member, signed in within `context` (its cookies serve both its pages and `context.request`). */
async function signUp(context: BrowserContext, name: string): Promise<{ handle: string; displayName: string }> {
  const handle = `${name}-${run}`;
  const displayName = `${name[0]!.toUpperCase()}${name.slice(1)} ${run}`;
  // Through the API: a client without a browser's Fetch Metadata passes the CSRF check.
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName, handle },
  });
  expect(created.status()).toBe(201);
  return { handle, displayName };
}

async function post(request: APIRequestContext, slug: string, body: string): Promise<{ id: string }> {
  const response = await request.post(`/api/v1/cases/${slug}/posts`, { data: { body } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string };
}

/** Marks the whole thread of a case as read, as the case page does when a member reads it. */
async function readThread(request: APIRequestContext, slug: string): Promise<void> {
  let after = '0';
  let last: string | null = null;
  for (;;) {
    const response = await request.get(`/api/v1/cases/${slug}/posts?after=${after}&limit=100`);
    expect(response.ok()).toBe(true);
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    last = page.items.at(-1)?.id ?? last;
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  expect(last, `${slug} has posts to read`).not.toBeNull();
  const marked = await request.put(`/api/v1/cases/${slug}/read`, { data: { lastReadPostId: last } });
  expect(marked.status()).toBe(204);
}

/** Typing only searches once the page is interactive. */
async function ready(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
}

const SIGAB = {
  slug: 'sigab-bogota-waste-management',
  title: 'SIGAB: an information-driven waste management model for Bogotá',
};

test('a member finds a post and its case on /search as they type, then opens the post in its thread', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const author = await signUp(context, 'searcher');
  const word = uniqueWord();
  const written = await post(
    context.request,
    SIGAB.slug,
    `In our district the ${word} method halved the waste sent to landfill within a year.`,
  );

  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search');
  await expect(page.getByRole('heading', { name: 'What are you looking for?' })).toBeVisible();
  await expectAccessible(page);

  // Live: the results follow the typing, the address keeps up, the count is announced.
  await ready(page);
  const box = page.getByRole('searchbox', { name: 'Search cases and discussions' });
  await box.pressSequentially(`${word} OR SIGAB`, { delay: 20 });
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}\\+OR\\+SIGAB$`));
  await expect(page.getByRole('status').filter({ hasText: 'results for' })).toHaveText(
    `2 results for “${word} OR SIGAB”`,
  );
  await expect(box).toBeFocused();
  const kinds = page.getByRole('navigation', { name: 'Kind of result' });
  await expect(kinds.getByRole('link', { name: 'All (2)' })).toHaveAttribute('aria-current', 'page');
  await expect(kinds.getByRole('link', { name: 'Cases (1)' })).toBeVisible();
  await expect(kinds.getByRole('link', { name: 'Posts (1)' })).toBeVisible();

  // The case hit: a card with its country, themes and the matching text.
  const caseHit = page.getByRole('article').filter({ has: page.getByRole('link', { name: SIGAB.title, exact: true }) });
  await expect(caseHit).toContainText('Colombia');
  await expect(caseHit).toContainText('Environment and climate');
  // The title matched; the snippet is the start of the case's text.
  await expect(caseHit).toContainText('Bogotá rebuilt its cleaning and recycling scheme');

  // The post hit: where, who, when, and the word marked.
  const postLink = page.getByRole('link', { name: `Post in ${SIGAB.title}` });
  await expect(postLink).toHaveAttribute('href', `/cases/${SIGAB.slug}?post=${written.id}#post-${written.id}`);
  const postHit = page.getByRole('article').filter({ has: postLink });
  await expect(postHit.locator('mark')).toHaveText(word);
  await expect(postHit.getByRole('link', { name: author.displayName })).toHaveAttribute(
    'href',
    `/people/${author.handle}`,
  );
  await expect(postHit.locator('time')).toHaveText(/now|minute/);
  await expectAccessible(page);

  // Only the posts, keeping the search.
  await kinds.getByRole('link', { name: 'Posts (1)' }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}\\+OR\\+SIGAB&type=posts$`));
  await expect(page.getByRole('status').filter({ hasText: 'result for' })).toHaveText(
    `1 result for “${word} OR SIGAB”`,
  );
  await expect(page.getByRole('link', { name: SIGAB.title, exact: true })).toHaveCount(0);
  await expect(box).toHaveValue(`${word} OR SIGAB`);

  // A search with nothing to find suggests simpler ones.
  await box.fill(`"${word} nowhere" -landfill`);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(`No results for “"${word} nowhere" -landfill”`);
  await expect(page.getByRole('link', { name: word, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'All innovation cases' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: word, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}&type=posts$`));
  await expect(box).toHaveValue(word);

  // The post's place in its thread.
  await postLink.click();
  await expect(page).toHaveURL(new RegExp(`/cases/${SIGAB.slug}\\?post=${written.id}#post-${written.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('SIGAB');
  await context.close();
});

test('search works without JavaScript, in English and in French', async ({ browser }) => {
  const writer = await browser.newContext();
  await signUp(writer, 'nojs');
  const word = uniqueWord();
  const written = await post(writer.request, SIGAB.slug, `We compared ${word} with door-to-door collection.`);
  await writer.close();

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/search');
  await page.getByRole('searchbox', { name: 'Search cases and discussions' }).fill(word);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}$`));
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(`1 result for “${word}”`);
  const postLink = page.getByRole('link', { name: `Post in ${SIGAB.title}` });
  await expect(postLink).toHaveAttribute('href', `/cases/${SIGAB.slug}?post=${written.id}#post-${written.id}`);
  await page.getByRole('link', { name: 'Cases (0)' }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}&type=cases$`));
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(`No results for “${word}”`);
  await page.getByRole('link', { name: 'Show results of every kind (1)' }).click();
  await expect(postLink).toBeVisible();
  await context.close();

  // French: the same page under /fr (axe needs JavaScript to run).
  const french = await browser.newContext();
  const frPage = await french.newPage();
  await frPage.goto(`/fr/search?q=${word}`);
  await expect(frPage.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(frPage.getByRole('heading', { level: 1 })).toHaveText('Recherche');
  await expect(frPage.getByRole('searchbox', { name: 'Rechercher dans les cas et les discussions' })).toHaveValue(word);
  await expect(frPage.getByRole('heading', { level: 2 })).toHaveText(`1 résultat pour « ${word} »`);
  await expect(frPage.getByRole('link', { name: 'Tout (1)' })).toHaveAttribute('aria-current', 'page');
  await expect(frPage.getByRole('link', { name: `Message dans ${SIGAB.title}` })).toHaveAttribute(
    'href',
    `/fr/cases/${SIGAB.slug}?post=${written.id}#post-${written.id}`,
  );
  await expectAccessible(frPage);
  await frPage.goto('/fr/search');
  await expect(frPage.getByRole('heading', { name: 'Que cherchez-vous ?' })).toBeVisible();
  await french.close();
});

test('"Load more results" appends the next page with JavaScript and links to it without', async ({ browser }) => {
  const writer = await browser.newContext();
  await signUp(writer, 'prolific');
  const word = uniqueWord();
  // One more post than a page holds (20).
  for (let i = 1; i <= 21; i++) {
    await post(writer.request, 'les-halles-civiques', `Note ${i} on the ${word} market hall.`);
  }
  await writer.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/search?q=${word}`);
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(`21 results for “${word}”`);
  const hits = page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('article') });
  await expect(hits).toHaveCount(20);
  await ready(page);
  await page.getByRole('link', { name: 'Load more results' }).click();
  await expect(hits).toHaveCount(21);
  await expect(page.getByRole('status').filter({ hasText: 'loaded' })).toHaveText('1 more result loaded.');
  await expect(page.getByRole('link', { name: 'Load more results' })).toHaveCount(0);
  // Focus moves to the first appended result.
  await expect(hits.nth(20).getByRole('heading').getByRole('link')).toBeFocused();
  await context.close();

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(`/search?q=${word}`);
  await noJs.getByRole('link', { name: 'Load more results' }).click();
  await expect(noJs).toHaveURL(/&cursor=/);
  await expect(noJs.getByText('You are looking at later results.')).toBeVisible();
  await expect(noJs.getByRole('main').getByRole('article')).toHaveCount(1);
  await plain.close();
});

test('the case list shows a member how many posts are new in the threads they have read', async ({ browser }) => {
  const CASE = { slug: 'citizens-connect', title: 'Citizens Connect' };
  const reader = await browser.newContext();
  await signUp(reader, 'reader');
  await readThread(reader.request, CASE.slug);

  const writer = await browser.newContext();
  await signUp(writer, 'writer');
  await post(writer.request, CASE.slug, 'Did the feedback loop change how fast agencies answered?');
  await post(writer.request, CASE.slug, 'And did people keep using it after the first year?');
  await writer.close();

  const page = await reader.newPage();
  await page.goto('/cases');
  const card = page.getByRole('article').filter({ has: page.getByRole('link', { name: CASE.title, exact: true }) });
  await expect(card).toContainText('2 new posts');
  // Only the thread this member has read has a badge.
  await expect(page.getByText(/^\d+ new posts?$/)).toHaveCount(1);
  await expectAccessible(page);

  await page.goto('/fr/cases');
  await expect(card).toContainText('2 nouveaux messages');

  // Cases appended by "Load more" get their counts too (by newest, this case is on a later page).
  await page.goto('/cases?sort=newest');
  await ready(page);
  const more = page.getByRole('link', { name: 'Load more cases' });
  while ((await card.count()) === 0 && (await more.count()) > 0) {
    const before = await page.getByRole('article').count();
    await more.click();
    await expect(page.getByRole('article')).not.toHaveCount(before);
  }
  await expect(page).toHaveURL(/\/cases\?sort=newest$/);
  await expect(card).toContainText('2 new posts');
  await reader.close();

  // A visitor who is not signed in sees no badge, and the browser asks for no counts.
  const visitor = await browser.newContext();
  const anonymous = await visitor.newPage();
  const asked: string[] = [];
  anonymous.on('request', (request) => {
    if (request.url().includes('/api/v1/me/unread')) asked.push(request.url());
  });
  await anonymous.goto('/cases?sort=newest');
  await ready(anonymous);
  // Other journeys add cases, so this one may be more than one page down: load until it shows.
  const title = anonymous.getByRole('link', { name: CASE.title, exact: true });
  const moreCases = anonymous.getByRole('link', { name: 'Load more cases' });
  await expect(moreCases).toBeVisible();
  while ((await title.count()) === 0 && (await moreCases.count()) > 0) {
    const before = await anonymous.getByRole('article').count();
    await moreCases.click();
    await expect(anonymous.getByRole('article')).not.toHaveCount(before);
  }
  await expect(title).toBeVisible();
  await expect(anonymous.getByText(/new posts?$/)).toHaveCount(0);
  expect(asked).toEqual([]);
  await visitor.close();
});

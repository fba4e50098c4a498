import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, run, type Member } from './people.ts';

/**
 * A thread of 200 posts: the case page renders a window of it (40 posts) around the reader's
 * place, with links to the earlier and later posts that work without JavaScript, the later ones
 * loading as one scrolls with it, and deep links (#post-<id>, ?post=<id>) to any post.
 */
const POSTS = 200;
const WINDOW = 40;
/** The journeys' server allows 30 posts a minute per member: the thread is written by several. */
const WRITERS = 8;

const newMember = membersOf('long');

let slug = '';
/** Post number (1–200) → id. */
const ids: string[] = [];
const members: Member[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const organiser = await newMember(browser, 'Olga');
  members.push(organiser);
  setRole(organiser.handle, 'organiser');
  slug = `t-long-thread-${run}`;
  const created = await organiser.context.request.post('/api/v1/cases', {
    data: {
      slug,
      title: `A thread of two hundred posts ${run}`,
      summary: 'A case for the long-thread journey.',
      countries: ['FR'],
      themes: ['citizen-engagement'],
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const writers: Member[] = [];
  for (let i = 0; i < WRITERS; i += 1) writers.push(await newMember(browser, `Writer${i}`));
  members.push(...writers);
  for (let n = 1; n <= POSTS; n += 1) {
    const writer = writers[n % WRITERS]!;
    const response = await writer.context.request.post(`/api/v1/cases/${slug}/posts`, {
      data: { body: `Post ${n}. Notes on procurement rules and how the pilot went, number ${n}.` },
    });
    expect(response.status(), await response.text()).toBe(201);
    ids[n] = ((await response.json()) as { id: string }).id;
  }
});

test.afterAll(async () => {
  for (const member of members) await member.context.close();
});

const posts = (page: Page) => page.locator('#discussion article.post');
const post = (page: Page, n: number) => page.locator(`#post-${ids[n]}`);

test('without JavaScript: a window of the thread, and links to the later and earlier posts', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/cases/${slug}`);
  await expect(posts(page)).toHaveCount(WINDOW);
  await expect(post(page, 1)).toContainText('Post 1.');
  await expect(post(page, WINDOW)).toHaveCount(1);
  await expect(post(page, WINDOW + 1)).toHaveCount(0);
  // The heading counts the whole thread, not the window.
  await expect(page.getByRole('heading', { name: `Discussion (${POSTS})` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Earlier posts' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Later posts' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?after=${ids[WINDOW]}#discussion$`));
  await expect(posts(page)).toHaveCount(WINDOW);
  await expect(post(page, WINDOW + 1)).toHaveCount(1);
  await expect(post(page, 2 * WINDOW)).toHaveCount(1);
  await expect(post(page, WINDOW)).toHaveCount(0);

  await page.getByRole('link', { name: 'Earlier posts' }).click();
  await expect(page).toHaveURL(new RegExp(`\\?before=${ids[WINDOW + 1]}#discussion$`));
  await expect(posts(page)).toHaveCount(WINDOW);
  await expect(post(page, 1)).toHaveCount(1);
  await expect(post(page, WINDOW)).toHaveCount(1);

  // A deep link the server can see (?post=) renders the window holding the post.
  await page.goto(`/cases/${slug}?post=${ids[170]}#post-${ids[170]}`);
  await expect(post(page, 170)).toBeVisible();
  await expect(post(page, 170)).toBeInViewport();
  await expect(posts(page)).toHaveCount(POSTS - 170 + 1);
  await expect(page.getByRole('link', { name: 'Later posts' })).toHaveCount(0);
  await context.close();
});

test('with JavaScript: the later posts load as the reader scrolls, to the end of the thread', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`/cases/${slug}`);
  await expect(posts(page)).toHaveCount(WINDOW);
  // The page is hydrated when the reader's presence line shows.
  await expect(page.getByText(/reading this case right now|You are reading/)).toBeVisible({ timeout: 15_000 });
  await expect(post(page, WINDOW + 1)).toHaveCount(0);
  // Each time the reader nears the "later posts" link, the next posts come, a window at a time.
  const later = page.getByRole('link', { name: 'Later posts' });
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        if (await later.count()) await later.scrollIntoViewIfNeeded().catch(() => undefined);
        const count = await posts(page).count();
        seen.add(count);
        return count;
      },
      { timeout: 60_000 },
    )
    .toBe(POSTS);
  expect([...seen].every((count) => count % WINDOW === 0)).toBe(true);
  await expect(post(page, POSTS)).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Later posts' })).toHaveCount(0);
  // Loaded in place: the address did not change.
  expect(new URL(page.url()).search).toBe('');
});

test('a deep link to an old post (#post-<id>, as notifications send) shows that post', async ({ page }) => {
  await page.goto(`/cases/${slug}#post-${ids[120]}`);
  await expect(post(page, 120)).toBeVisible();
  await expect(post(page, 120)).toBeInViewport();
  await expect(page).toHaveURL(new RegExp(`\\?post=${ids[120]}#post-${ids[120]}$`));
  await expect(page.getByRole('link', { name: 'Earlier posts' })).toBeVisible();
  await expectAccessible(page);
});

test('a member coming back opens at the first post they have not read, after the “new” divider', async ({
  browser,
}) => {
  const reader = await newMember(browser, 'Rita');
  members.push(reader);
  const page = await reader.context.newPage();
  // The first visit reads the start window (posts 1–40), and the page says so to the API once shown.
  const recorded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${slug}/read`) && r.ok());
  await page.goto(`/cases/${slug}`);
  await expect(post(page, WINDOW)).toHaveCount(1);
  await recorded;
  await page.goto('/cases');
  await page.goto(`/cases/${slug}`);
  await expect(post(page, WINDOW + 1)).toBeVisible();
  await expect(post(page, WINDOW)).toHaveCount(0);
  const divider = page.locator('#discussion').getByRole('listitem').filter({ hasText: 'New since your last visit' });
  await expect(divider).toHaveCount(1);
  expect(await divider.evaluate((li) => li.nextElementSibling?.textContent ?? '')).toContain(`Post ${WINDOW + 1}.`);
  await expect(page.getByRole('link', { name: 'Earlier posts' })).toBeVisible();
});

test('the page and the API’s JSON come compressed when the browser asks, and plain otherwise', async ({ request }) => {
  for (const url of [`/cases/${slug}`, `/api/v1/cases/${slug}/posts?limit=50`]) {
    const br = await request.get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status()).toBe(200);
    expect(br.headers()['content-encoding']).toBe('br');
    expect(await br.text()).toContain('Post 1.');
    const gzip = await request.get(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers()['content-encoding']).toBe('gzip');
    const plain = await request.get(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers()['content-encoding']).toBeUndefined();
    expect(await plain.text()).toContain('Post 1.');
  }
});

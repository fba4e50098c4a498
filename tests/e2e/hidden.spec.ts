import { expect, test, type Page } from '@playwright/test';
import { hidePost } from './hiding.ts';
import { setRole } from './roles.ts';
import { membersOf, run } from './people.ts';

/** A made-up word no case or post contains (letters only, so the search parser keeps it whole). */
function uniqueWord(): string {
  const letters = Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  return `zh${letters.join('')}`;
}

const newMember = membersOf('hidden');

/** The text of a server-rendered page, as a reader without JavaScript gets it. */
async function pageText(page: Page, path: string): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  return page.locator('body').innerText();
}

test('a hidden post is gone for others from the search page, the feed page and the Atom feed, and its author still finds it', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const organiser = await newMember(browser, 'Orla');
  setRole(organiser.handle, 'organiser');
  const slug = `t-hidden-${run}`;
  const made = await organiser.context.request.post('/api/v1/cases', {
    data: {
      slug,
      title: `Hidden ${run}`,
      summary: 'A case for the hidden post journey.',
      countries: ['FR'],
      themes: ['citizen-engagement'],
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    },
  });
  expect(made.status(), await made.text()).toBe(201);

  const reader = await newMember(browser, 'Rita');
  expect((await reader.context.request.put(`/api/v1/follows/case/${slug}`)).status()).toBe(200);
  const author = await newMember(browser, 'Aldo');
  const word = uniqueWord();
  // The search page repeats the query: what must not show is the post's own text.
  const secret = `Something to hide ${run}`;
  const created = await author.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `${secret}: ${word}` },
  });
  expect(created.status()).toBe(201);
  const postId = ((await created.json()) as { id: string }).id;

  const anonymous = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const visitor = await anonymous.newPage();
  const readerPage = await reader.context.newPage();
  // Before: the post shows where it should (so the checks after the hide can see it).
  expect(await pageText(visitor, `/search?q=${word}`)).toContain(secret);
  expect(await pageText(readerPage, '/feed')).toContain(secret);

  hidePost(postId);

  // The anonymous pages and the Atom feed come from the public cache: the real hide empties it at
  // once (its activity), the database hide of this journey lets its entries expire.
  await expect(async () => {
    expect(await pageText(visitor, `/search?q=${word}`)).not.toContain(secret);
    const atom = await anonymous.request.get('/api/v1/countries/FR/feed.atom');
    expect(atom.status()).toBe(200);
    expect(await atom.text()).not.toContain(secret);
  }).toPass({ timeout: 15_000 });
  expect(await pageText(readerPage, `/search?q=${word}`)).not.toContain(secret);
  expect(await pageText(readerPage, '/feed')).not.toContain(secret);
  // The home page's glimpse of the feed.
  expect(await pageText(readerPage, '/')).not.toContain(secret);

  // Its author still finds it in the search.
  const authorPage = await author.context.newPage();
  expect(await pageText(authorPage, `/search?q=${word}`)).toContain(secret);

  await Promise.all([organiser.context.close(), reader.context.close(), author.context.close(), anonymous.close()]);
});

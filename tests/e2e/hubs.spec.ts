import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { membersOf } from './people.ts';

const THEME = { slug: 'citizen-engagement', name: 'Citizen engagement' };

/** A member signed in within a new context (through the API, like the other journeys). */
const newMember = membersOf('hub');

function followButton(page: Page) {
  return page.getByRole('button', { name: /^(Follow|Following)\b/ });
}

/** The follower count next to the follow button. */
async function followers(page: Page): Promise<number> {
  const text = await page
    .locator('form.follow')
    .getByText(/^\d+ followers?$/)
    .innerText();
  return Number(text.split(' ')[0]);
}

async function expectFollowers(page: Page, count: number) {
  await expect(page.locator('form.follow').getByText(/^\d+ followers?$/)).toHaveText(
    count === 1 ? '1 follower' : `${count} followers`,
  );
}

test('a visitor goes from the themes index to a theme hub and a country hub, in English and French', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();

  await page.goto('/themes');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Themes');
  const indexes = page.getByRole('navigation', { name: 'Countries & themes' });
  await expect(indexes.getByRole('link', { name: 'Themes' })).toHaveAttribute('aria-current', 'page');
  await expect(indexes.getByRole('link', { name: 'Countries' })).toHaveAttribute('href', '/countries');
  await expectAccessible(page);

  await page.getByRole('link', { name: THEME.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/themes/${THEME.slug}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(THEME.name);
  await expect(page.locator('.hub-head .kicker')).toHaveText('Theme');
  const cases = page.getByRole('region', { name: 'Cases' });
  await expect(cases.getByRole('article').first()).toBeVisible();
  await expect(cases.getByRole('link', { name: /All cases in Citizen engagement/ })).toHaveAttribute(
    'href',
    `/cases?theme=${THEME.slug}`,
  );
  await expect(page.getByRole('region', { name: 'Upcoming events' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Active discussions' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'People' })).toBeVisible();
  await expect(followButton(page)).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('link', { name: 'Atom feed' })).toHaveAttribute(
    'href',
    `/api/v1/themes/${THEME.slug}/feed.atom`,
  );
  await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute(
    'href',
    `/api/v1/themes/${THEME.slug}/feed.atom`,
  );
  await expectAccessible(page);

  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Themes' }).click();
  await indexes.getByRole('link', { name: 'Countries' }).click();
  await expect(page).toHaveURL(/\/countries$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Countries');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'France', exact: true }).click();
  await expect(page).toHaveURL(/\/countries\/FR$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('France');
  await expect(page.getByRole('region', { name: 'Cases' }).getByRole('article').first()).toBeVisible();
  // "All cases in France (20)"; once cases have posts, the "Most discussed" section links to its own list.
  await expect(page.getByRole('link', { name: /^All cases in France \(\d+\)$/ })).toHaveAttribute(
    'href',
    '/cases?country=FR',
  );
  await expect(page.locator('link[type="application/atom+xml"]')).toHaveAttribute(
    'href',
    '/api/v1/countries/FR/feed.atom',
  );
  const atom = await page.request.get('/api/v1/countries/FR/feed.atom');
  expect(atom.ok()).toBe(true);
  expect(atom.headers()['content-type']).toContain('application/atom+xml');
  await expectAccessible(page);

  await page.goto('/fr/countries/FR');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('France');
  await expect(page.locator('.hub-head .kicker')).toHaveText('Pays');
  await expect(page.getByRole('button', { name: /^Suivre/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Tous les cas : France \(\d+\)$/ })).toHaveAttribute(
    'href',
    '/fr/cases?country=FR',
  );
  await expectAccessible(page);

  await page.goto(`/fr/themes/${THEME.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Participation citoyenne');
  await expectAccessible(page);
  await context.close();
});

test('nothing scrolls sideways on a 320 px screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 720 } });
  const page = await context.newPage();
  for (const path of ['/themes', '/countries', `/themes/${THEME.slug}`, '/countries/FR', '/fr/countries/FR']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(320);
  }
  await context.close();
});

test('an unknown country or theme is not found; a lowercase code leads to the hub', async ({ page }) => {
  for (const path of ['/countries/ZZ', '/countries/FRA', '/themes/no-such-theme', '/fr/themes/no-such-theme']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Page not found|Page introuvable/);
  }
  await page.goto('/countries/fr');
  await expect(page).toHaveURL(/\/countries\/FR$/);
});

test('a visitor who is not signed in is asked to sign in to follow', async ({ page }) => {
  await page.goto(`/themes/${THEME.slug}`);
  await followButton(page).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('a member follows a theme: the button is pressed and the count goes up, also after a reload', async ({
  browser,
}) => {
  const { context } = await newMember(browser, 'Theo');
  const page = await context.newPage();
  await page.goto(`/themes/${THEME.slug}`);
  const button = followButton(page);
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  const before = await followers(page);

  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect(button).toContainText('Following');
  await expectFollowers(page, before + 1);
  await expect(page.getByRole('status').filter({ hasText: 'You follow Citizen engagement' })).toBeAttached();
  await expectAccessible(page);

  await page.reload();
  await expect(followButton(page)).toHaveAttribute('aria-pressed', 'true');
  await expectFollowers(page, before + 1);

  await followButton(page).click();
  await expect(followButton(page)).toHaveAttribute('aria-pressed', 'false');
  await expectFollowers(page, before);
  await context.close();
});

test('following a country works without JavaScript', async ({ browser }) => {
  const { context } = await newMember(browser, 'Nora', { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/countries/FR');
  await expect(followButton(page)).toHaveAttribute('aria-pressed', 'false');
  const before = await followers(page);

  await followButton(page).click();
  await expect(followButton(page)).toHaveAttribute('aria-pressed', 'true');
  await expectFollowers(page, before + 1);

  await page.goto('/countries/FR');
  await expect(followButton(page)).toHaveAttribute('aria-pressed', 'true');
  await expectFollowers(page, before + 1);
  await context.close();
});

import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';

/** Unique per run, so the journey can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

/** A new member with a role, signed in in a browser of their own (signed up through the API). */
async function newEditor(browser: Browser, first: string, role: 'organiser' | 'moderator') {
  const context = await browser.newContext({ locale: 'en-GB' });
  const handle = `${first.toLowerCase()}-${run}`;
  const name = `${first} Editor`;
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: name, handle },
  });
  expect(created.status()).toBe(201);
  setRole(handle, role);
  return { context, handle, name };
}

async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

test('an organiser adds a case, renames it while a moderator edits it, and the history shows the diff', async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const olga = await newEditor(browser, 'Olga', 'organiser');
  const pierre = await newEditor(browser, 'Pierre', 'moderator');
  const slug = `budgets-${run}`;
  const renamed = `open-budgets-${run}`;

  // Olga adds the case at /cases/new, with a markdown body she sees in the preview.
  const page = await olga.context.newPage();
  await page.goto('/cases/new');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add a case');
  await page.getByLabel('Title').fill('Participatory budgets');
  await page.getByLabel('Web address (optional)').fill(slug);
  await page.getByLabel('Summary').fill('Residents decide how part of the city budget is spent.');
  await page
    .getByLabel('The case in detail (optional)')
    .fill('## Results\n\nA **third** of the budget.\n\n- parks\n- schools');
  await expect(page.getByTestId('case-preview').getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(page.getByTestId('case-preview').locator('strong')).toHaveText('third');
  await page.getByRole('checkbox', { name: 'France' }).check();
  await page.getByRole('checkbox', { name: 'Digital government' }).check();
  await page.getByLabel('Year').fill('2021');
  await page.getByLabel('Organisation').fill('City of Paris');
  await page.getByLabel('Level of government').selectOption('local');
  await page.getByLabel('Stage').selectOption('diffusion');
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('case-new-en.png'), fullPage: true });
  await page.getByRole('button', { name: 'Add the case' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${slug}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Participatory budgets');
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
  await expect(page.locator('.markdown li')).toHaveText(['parks', 'schools']);

  // Both open the edit page: each sees the other editing.
  await page.getByRole('link', { name: 'Edit this case' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${slug}/edit$`));
  await hydrated(page);
  const other = await pierre.context.newPage();
  await other.goto(`/cases/${slug}/edit`);
  await hydrated(other);
  await expect(page.getByTestId('case-editors')).toContainText(pierre.name);
  await expect(other.getByTestId('case-editors')).toContainText(olga.name);
  await expectAccessible(other);
  await other.screenshot({ path: testInfo.outputPath('case-edit-presence-en.png'), fullPage: true });

  // Olga renames the case and rewrites its summary.
  await page.getByLabel('Web address', { exact: true }).fill(renamed);
  await page.getByLabel('Summary').fill('Residents of Paris decide how a part of the budget is spent.');
  await page.getByLabel('What you changed (optional)').fill('A clearer address');
  await page.getByRole('button', { name: 'Save the case' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${renamed}\\?saved=2$`));
  await expect(page.getByRole('status').filter({ hasText: 'Saved: this is version 2.' })).toBeVisible();

  // Pierre is told before he submits; his stale save shows the merge view.
  await expect(other.getByTestId('case-saved')).toContainText(`${olga.name} saved version 2`);
  await other.getByLabel('Summary').fill('Citizens choose the projects their taxes pay for.');
  await other.getByRole('button', { name: 'Save the case' }).click();
  const merge = other.getByTestId('case-merge');
  await expect(merge.getByRole('heading', { name: 'Version 2 was saved meanwhile' })).toBeVisible();
  await expect(merge.getByRole('group', { name: 'Summary' })).toBeVisible();
  await expect(merge).toContainText('Taken from the newer version (you had not changed them): Web address.');
  await expect(merge.getByRole('radio', { name: /Keep yours/ })).toBeChecked();
  await expectAccessible(other);
  await other.screenshot({ path: testInfo.outputPath('case-merge-en.png'), fullPage: true });
  await other.getByRole('radio', { name: /Keep yours/ }).check();
  await other.getByRole('button', { name: 'Save the case' }).click();
  await expect(other).toHaveURL(new RegExp(`/cases/${renamed}\\?saved=3$`));
  await expect(other.locator('.lead')).toHaveText('Citizens choose the projects their taxes pay for.');

  // The old address leads to the case, in English and in French.
  await page.goto(`/cases/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/cases/${renamed}$`));
  await page.goto(`/fr/cases/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/fr/cases/${renamed}$`));

  // The history: newest first, who, the note, and what changed word by word.
  await page.goto(`/cases/${renamed}/history`);
  const versions = page.locator('ol.revisions > li');
  await expect(versions.locator('h2')).toHaveText(['Version 3', 'Version 2', 'Version 1']);
  await expect(versions.nth(1)).toContainText(olga.name);
  await expect(versions.nth(1)).toContainText('Note: A clearer address');
  await expect(versions.nth(1).locator('dt')).toHaveText(['Web address', 'Summary']);
  await expect(versions.nth(1).locator('ins').first()).toContainText('of Paris');
  await expect(versions.nth(0)).toContainText(pierre.name);
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('case-history-en.png'), fullPage: true });

  await page.goto(`/fr/cases/${renamed}/history`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Historique de «\u00a0Participatory budgets\u00a0»');
  await expect(versions.nth(1).locator('dt')).toHaveText(['Adresse web', 'Résumé']);
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('case-history-fr.png'), fullPage: true });
  await page.goto(`/fr/cases/${renamed}/edit`);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Modifier «\u00a0Participatory budgets\u00a0»');
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('case-edit-fr.png'), fullPage: true });
});

test('a member sees the proposal form; without JavaScript an organiser still adds a case', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const handle = `mia-${run}`;
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: 'Mia Member', handle },
  });
  expect(created.status()).toBe(201);
  const page = await context.newPage();
  await page.goto('/cases/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add your innovation');
  await expect(page.getByRole('button', { name: 'Propose this case' })).toBeVisible();
  await page.goto('/fr/cases/new');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajoutez votre innovation');
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('case-propose-fr.png'), fullPage: true });

  const olga = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const organiser = `nojs-${run}`;
  expect(
    (
      await olga.request.post('/api/v1/auth/signup', {
        data: { email: `${organiser}@example.org`, password: PASSWORD, displayName: 'No Script', handle: organiser },
      })
    ).status(),
  ).toBe(201);
  setRole(organiser, 'organiser');
  const plain = await olga.newPage();
  await plain.goto('/cases/new');
  await plain.getByRole('button', { name: 'Add the case' }).click();
  await expect(plain.locator('.error-summary')).toContainText('Choose at least one country');
  await plain.getByLabel('Title').fill(`Plain form ${run}`);
  await plain.getByLabel('Summary').fill('Added without any JavaScript at all.');
  await plain.getByRole('checkbox', { name: 'Belgium' }).check();
  await plain.getByRole('checkbox', { name: 'Digital government' }).check();
  await plain.getByLabel('Organisation').fill('Région wallonne');
  await plain.getByRole('button', { name: 'Add the case' }).click();
  await expect(plain).toHaveURL(new RegExp(`/cases/plain-form-${run}$`));
  await expect(plain.getByRole('heading', { level: 1 })).toHaveText(`Plain form ${run}`);
});

/**
 * Issue 13's whole chain in one journey: a member proposes a case through the form, a moderator
 * approves it, it is in the catalogue, its hub and the proposer's profile; an organiser edits it
 * and its history shows the change; /fr shows a translated case in French and this untranslated
 * one marked lang="en" with a notice.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { setRole } from './roles.ts';

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

async function person(browser: Browser, first: string, role: 'member' | 'organiser' | 'moderator') {
  const context = await browser.newContext({ locale: 'en-GB' });
  const handle = `${first.toLowerCase()}-l${run}`;
  const name = `${first} Library ${run}`;
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: name, handle },
  });
  expect(created.status()).toBe(201);
  if (role !== 'member') setRole(handle, role);
  return { page: await context.newPage(), handle, name };
}

async function hydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

test('proposed, approved, found, edited with its history, and read in French', async ({ browser }) => {
  test.setTimeout(240_000);
  const [proposer, moderator, organiser] = await Promise.all([
    person(browser, 'Tala', 'member'),
    person(browser, 'Mose', 'moderator'),
    person(browser, 'Oriane', 'organiser'),
  ]);
  const title = `Island budgets ${run}`;
  const slug = `island-budgets-${run}`;

  // The member proposes the case through the form.
  const form = proposer.page;
  await hydrated(form, '/cases/new');
  await expect(form.getByRole('heading', { level: 1 })).toHaveText('Add your innovation');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Web address (optional)').fill(slug);
  await form.getByLabel('Summary').fill('Residents of the atolls vote on a share of the island budget.');
  await form.getByLabel('The case in detail (optional)').fill('It started on **one island** in 2021.');
  await expect(form.getByTestId('case-preview').locator('strong')).toHaveText('one island');
  await form.getByRole('checkbox', { name: 'Tuvalu' }).check();
  await form.getByRole('checkbox', { name: 'Citizen engagement' }).check();
  await form.getByLabel('Year').fill('2025');
  await form.getByLabel('Organisation').fill(`Funafuti Kaupule ${run}`);
  await form.getByLabel('Level of government').selectOption('local');
  await form.getByLabel('Stage').selectOption('pilot');
  await form.getByRole('button', { name: 'Propose this case' }).click();
  await expect(form).toHaveURL(/\/cases\?proposed=1$/);
  await expect(form.getByText('Thank you: your proposal waits for review.')).toBeVisible();
  // Not public while it waits.
  expect((await moderator.page.goto(`/cases/${slug}`))?.status()).toBe(404);

  // The moderator approves it from the queue.
  const queue = moderator.page;
  await hydrated(queue, '/moderation/cases');
  const item = queue.getByRole('article', { name: title });
  await expect(item).toContainText('Residents of the atolls');
  await item.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(queue.getByRole('status').filter({ hasText: `Published: ${title}.` })).toBeVisible();

  // In the catalogue, its hub and the proposer's profile.
  const visitor = queue;
  await visitor.goto(`/cases?q=${encodeURIComponent(run)}`);
  await expect(visitor.getByRole('link', { name: title })).toBeVisible();
  await visitor.goto('/countries/TV');
  await expect(visitor.getByRole('link', { name: title }).first()).toBeVisible();
  await visitor.goto(`/people/${proposer.handle}`);
  await expect(
    visitor.getByRole('region', { name: 'Cases proposed' }).getByRole('link', { name: title }),
  ).toBeVisible();

  // The organiser edits it; the history shows what changed.
  const editor = organiser.page;
  await hydrated(editor, `/cases/${slug}/edit`);
  await editor
    .getByLabel('Summary')
    .fill('Residents of the atolls choose the projects a share of the island budget pays for.');
  await editor.getByLabel('What you changed (optional)').fill('Clearer summary');
  await editor.getByRole('button', { name: 'Save the case' }).click();
  await expect(editor.getByRole('status').filter({ hasText: 'Saved: this is version 2.' })).toBeVisible();
  await editor.goto(`/cases/${slug}/history`);
  const versions = editor.locator('ol.revisions > li');
  await expect(versions.locator('h2')).toHaveText(['Version 2', 'Version 1']);
  await expect(versions.first()).toContainText('Clearer summary');
  await expect(versions.first().locator('dt')).toHaveText(['Summary']);
  await expect(versions.first().locator('ins').first()).toContainText('choose the projects');

  // In French: a translated demo case reads in French; this one is marked English, with a notice.
  await editor.goto('/fr/cases/my-france-2022');
  await expect(editor.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(editor.locator('.lead')).toContainText('La plus grande consultation citoyenne');
  await editor.goto(`/fr/cases/${slug}`);
  await expect(editor.getByRole('heading', { level: 1 })).toHaveAttribute('lang', 'en');
  await expect(editor.locator('main')).toContainText('Ce cas est disponible en anglais');
});

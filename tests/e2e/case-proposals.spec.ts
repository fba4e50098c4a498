import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';

/** Unique per run, so the journeys can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

async function member(browser: Browser, first: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ locale: 'en-GB', javaScriptEnabled });
  const handle = `${first.toLowerCase()}-p${run}`;
  const name = `${first} Proposer ${run}`;
  const signup = await context.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: name, handle },
  });
  expect(signup.status()).toBe(201);
  return { context, handle, name };
}

/** A made-up word no case contains (letters only, so the search parser keeps it whole). */
function uniqueWord(): string {
  const letters = Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  return `zp${letters.join('')}`;
}

async function hydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** What the /cases/new form sends for a member (the form is another page's; its request is the contract). */
function proposal(title: string, word: string) {
  return {
    title,
    summary: `Residents of the atolls vote on a share of the budget (${word}).`,
    body: 'It started on one island in 2021.\n\nThree more joined the next year.',
    countries: ['TV'],
    themes: ['citizen-engagement'],
    year: 2025,
    organisation: `Funafuti Kaupule ${run}`,
    levelOfGovernment: 'local',
    stage: 'pilot',
  };
}

test('"Add your innovation" leads members to the case form, from the home page and the case list', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Add your innovation' })).toHaveAttribute('href', '/cases/new');
  await page.goto('/cases');
  await expect(page.getByRole('link', { name: 'Add your innovation' })).toHaveAttribute('href', '/cases/new');
  await page.goto('/fr/cases');
  await expect(page.getByRole('link', { name: 'Ajoutez votre innovation' })).toHaveAttribute('href', '/fr/cases/new');
});

test('a member proposes a case, it arrives live in the queue, a moderator approves it: published and credited', async ({
  browser,
}) => {
  // Several pages checked with axe, on a machine that may be busy.
  test.setTimeout(300_000);
  const moderator = await member(browser, 'Modestine');
  setRole(moderator.handle, 'moderator');
  const queue = await moderator.context.newPage();
  await hydrated(queue, '/moderation/cases');
  await expect(queue.getByRole('heading', { level: 1, name: 'Proposed cases' })).toBeVisible();
  await expect(queue.getByText('Live: new proposals appear here as they arrive.')).toBeVisible({ timeout: 15_000 });
  await queue.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });

  // The member proposes (202: pending, public only once approved).
  const proposer = await member(browser, 'Pauline');
  const word = uniqueWord();
  const title = `Atoll budgets ${run}`;
  const sent = await proposer.context.request.post('/api/v1/cases', { data: proposal(title, word) });
  expect(sent.status(), await sent.text()).toBe(202);
  const { slug, status } = (await sent.json()) as { slug: string; status: string };
  expect(status).toBe('pending');

  // Nothing public yet: the case page is not found, the search finds nothing.
  const anonymous = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  const visitor = await anonymous.newPage();
  expect((await visitor.goto(`/cases/${slug}`))?.status()).toBe(404);
  await visitor.goto(`/cases?q=${word}`);
  await expect(visitor.locator('main')).not.toContainText(title);

  // It appears in the open queue without a reload, in full, announced politely.
  const item = queue.getByRole('article', { name: title });
  await expect(item).toBeVisible();
  await expect(item).toContainText(`Proposed by ${proposer.name} (@${proposer.handle})`);
  await expect(item).toContainText('Three more joined the next year.');
  await expect(item).toContainText('Tuvalu');
  await expect(queue.locator('[aria-live="polite"]').filter({ hasText: 'A new case was proposed.' })).toHaveCount(1);
  expect(await queue.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await queue.screenshot({ path: 'test-results/case-proposals-queue.png', fullPage: true });
  await expectAccessible(queue);

  // The same queue in French.
  const enFrancais = await moderator.context.newPage();
  await hydrated(enFrancais, '/fr/moderation/cases');
  await expect(enFrancais.getByRole('heading', { level: 1, name: 'Cas proposés' })).toBeVisible();
  await expect(enFrancais.getByRole('article', { name: title })).toContainText('Proposé par');
  await expectAccessible(enFrancais);
  await enFrancais.screenshot({ path: 'test-results/case-proposals-queue-fr.png', fullPage: true });
  await enFrancais.close();

  // The moderator approves it.
  await item.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(queue.getByRole('status').filter({ hasText: `Published: ${title}.` })).toBeVisible();
  await expect(queue.getByRole('article', { name: title })).toHaveCount(0);

  // In the catalogue, its country's hub, with its proposer credited, and on their profile.
  await visitor.goto(`/cases?q=${word}`);
  await expect(visitor.getByRole('link', { name: title })).toBeVisible();
  await visitor.goto('/countries/TV');
  await expect(visitor.getByRole('link', { name: title }).first()).toBeVisible();
  await visitor.goto(`/cases/${slug}`);
  await expect(visitor.locator('.proposer')).toHaveText(`Proposed by ${proposer.name}`);
  await expect(visitor.getByRole('link', { name: proposer.name })).toHaveAttribute(
    'href',
    `/people/${proposer.handle}`,
  );
  await visitor.screenshot({ path: 'test-results/case-proposals-case.png', fullPage: true });
  await visitor.goto(`/people/${proposer.handle}`);
  const proposed = visitor.getByRole('region', { name: 'Cases proposed' });
  await expect(proposed.getByRole('link', { name: title })).toHaveAttribute('href', `/cases/${slug}`);

  // The proposer was told, follows the case, and their list says it is published.
  const mine = await proposer.context.newPage();
  // (axe runs scripts in the page: it checks the profile where scripts run.)
  await mine.goto(`/people/${proposer.handle}`);
  await expect(mine.getByRole('region', { name: 'Cases proposed' })).toBeVisible();
  await expectAccessible(mine);
  await mine.goto('/notifications');
  await expect(mine.locator('main')).toContainText(`Your proposed case “${title}” is published`);
  await mine.goto(`/cases/${slug}`);
  await expect(mine.getByRole('button', { name: `Following: ${title}` })).toHaveAttribute('aria-pressed', 'true');
  await mine.goto('/settings/proposals');
  const listed = mine.getByRole('listitem').filter({ hasText: title });
  await expect(listed).toContainText('Published');
  await expect(listed.getByRole('link', { name: title })).toHaveAttribute('href', `/cases/${slug}`);
  await expectAccessible(mine);
  await mine.screenshot({ path: 'test-results/case-proposals-mine.png', fullPage: true });
  await anonymous.close();
});

test('without JavaScript, a moderator returns a proposal with a reason; the proposer reads why, in French too', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const moderator = await member(browser, 'Romuald', false);
  setRole(moderator.handle, 'moderator');
  const proposer = await member(browser, 'Quitterie');
  const title = `Island radio consultations ${run}`;
  const sent = await proposer.context.request.post('/api/v1/cases', { data: proposal(title, uniqueWord()) });
  expect(sent.status()).toBe(202);

  const queue = await moderator.context.newPage();
  await queue.goto('/moderation');
  await queue.getByRole('link', { name: 'Proposed cases' }).click();
  const item = queue.getByRole('article', { name: title });
  const reason = `Please add what the consultations changed ${run}`;
  await item.getByLabel('Reason for returning it (sent to the proposer)').fill(reason);
  await item.getByRole('button', { name: 'Return with this reason' }).click();
  await expect(queue.getByRole('status').filter({ hasText: `Returned to its proposer: ${title}.` })).toBeVisible();
  await expect(queue.getByRole('article', { name: title })).toHaveCount(0);
  await queue.getByRole('link', { name: 'Returned' }).click();
  await expect(queue.getByRole('article', { name: title })).toContainText(`Reason: ${reason}`);
  // axe runs scripts in the page: the same list, signed in where scripts run.
  const scripted = await browser.newContext({ locale: 'en-GB' });
  const login = await scripted.request.post('/api/v1/auth/login', {
    data: { email: `${moderator.handle}@example.org`, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const returned = await scripted.newPage();
  await returned.goto('/moderation/cases?status=rejected');
  await expect(returned.getByRole('article', { name: title })).toBeVisible();
  await expectAccessible(returned);
  await returned.screenshot({ path: 'test-results/case-proposals-returned.png', fullPage: true });
  await scripted.close();

  const mine = await proposer.context.newPage();
  await mine.goto('/notifications');
  await expect(mine.locator('main')).toContainText(`Your proposed case “${title}” was returned to you: ${reason}`);
  await mine.goto('/settings/proposals');
  const listed = mine.getByRole('listitem').filter({ hasText: title });
  await expect(listed).toContainText('Returned');
  await expect(listed).toContainText(`Reason: ${reason}`);
  await mine.goto('/fr/settings/proposals');
  await expect(mine.getByRole('heading', { name: 'Vos cas proposés' })).toBeVisible();
  await expect(mine.getByRole('listitem').filter({ hasText: title })).toContainText(`Raison : ${reason}`);
  await expectAccessible(mine);
  await mine.screenshot({ path: 'test-results/case-proposals-mine-fr.png', fullPage: true });
  // The case never went public.
  expect((await mine.goto(`/cases/${((await sent.json()) as { slug: string }).slug}`))?.status()).toBe(404);
});

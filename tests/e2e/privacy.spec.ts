import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run } from './people.ts';

const newMember = membersOf('private');

test('a member downloads their data, deletes their account keeping their posts anonymous, and cannot sign in again', async ({
  browser,
}) => {
  test.slow();
  const organiser = await newMember(browser, 'Olga');
  setRole(organiser.handle, 'organiser');
  const slug = `t-privacy-${run}`;
  const made = await organiser.context.request.post('/api/v1/cases', {
    data: {
      slug,
      title: `Privacy ${run}`,
      summary: 'A case for the privacy journey.',
      countries: ['FR'],
      themes: ['citizen-engagement'],
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    },
  });
  expect(made.status(), await made.text()).toBe(201);

  const dana = await newMember(browser, 'Dana');
  const posted = await dana.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `Our pilot halved the waiting times ${run}` },
  });
  expect(posted.status()).toBe(201);

  const page = await dana.context.newPage();
  await page.goto('/settings/profile');
  await page.getByRole('link', { name: 'Your data' }).click();
  await expect(page).toHaveURL(/\/settings\/data$/);
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
  await expectAccessible(page);

  // The download: a dated JSON file holding their account and post.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^opsi-data-${dana.handle}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(data.account).toMatchObject({ handle: dana.handle, email: dana.email });
  expect(data.posts.map((p: { body: string }) => p.body)).toEqual([`Our pilot halved the waiting times ${run}`]);

  // Deleting: first the choice (refused without one), then the password to confirm.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Choose what should happen to your posts').first()).toBeVisible();
  await page.getByRole('radio', { name: 'Keep them, signed “a former member”' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Are you sure?' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Your password').fill('not my password, surely');
  await page.getByRole('button', { name: 'Delete my account permanently' }).click();
  await expect(page.getByText('The password is incorrect').first()).toBeVisible();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account permanently' }).click();

  // Home, signed out, told.
  await expect(page).toHaveURL(/\/\?account=deleted$/);
  await expect(page.getByRole('status').filter({ hasText: 'Your account has been deleted.' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);

  // The thread keeps the post, by "a former member", with no profile link.
  const reader = await browser.newContext({ locale: 'en-GB' });
  const anonymous = await reader.newPage();
  await anonymous.goto(`/cases/${slug}`);
  const post = anonymous
    .locator('#discussion article')
    .filter({ hasText: `Our pilot halved the waiting times ${run}` });
  await expect(post.getByText('a former member')).toBeVisible();
  await expect(post.getByRole('link', { name: /former member/ })).toHaveCount(0);
  await expect(anonymous.locator(`a[href*="/people/${dana.handle}"]`)).toHaveCount(0);
  expect((await anonymous.goto(`/people/${dana.handle}`))?.status()).toBe(404);

  // The old credentials fail.
  await anonymous.goto('/login');
  await anonymous.getByLabel('Email address').fill(dana.email);
  await anonymous.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await anonymous.getByRole('button', { name: 'Sign in' }).click();
  await expect(anonymous.getByText('The email address or password is incorrect.').first()).toBeVisible();
  await expect(anonymous).toHaveURL(/\/login/);

  await reader.close();
  await dana.context.close();
  await organiser.context.close();
});

test('the data page in French is accessible, and deletion works by plain forms without JavaScript', async ({
  browser,
}) => {
  test.slow();
  const emil = await newMember(browser, 'Emil', { locale: 'fr-FR' });
  const page = await emil.context.newPage();
  await page.goto('/fr/settings/data');
  await expect(page.getByRole('heading', { name: 'Vos données' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Télécharger mes données' })).toHaveAttribute(
    'href',
    '/api/v1/me/export',
  );
  await expectAccessible(page);
  await page.getByRole('radio', { name: 'Les supprimer' }).check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('heading', { name: 'En êtes-vous sûr ?' })).toBeVisible();
  await expectAccessible(page);
  await emil.context.close();

  // Without JavaScript, the same two forms delete the account (and its posts).
  const fay = await newMember(browser, 'Fay', { locale: 'fr-FR', javaScriptEnabled: false });
  const plain = await fay.context.newPage();
  await plain.goto('/fr/settings/data');
  await plain.getByRole('radio', { name: 'Les supprimer' }).check();
  await plain.getByRole('button', { name: 'Continuer' }).click();
  await plain.getByLabel('Votre mot de passe').fill(PASSWORD);
  await plain.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(plain).toHaveURL(/\/fr\/?\?account=deleted$/);
  await expect(plain.getByText('Votre compte a été supprimé.')).toBeVisible();
  expect((await fay.context.request.get('/api/v1/me')).status()).toBe(401);
  await fay.context.close();
});

import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run } from './people.ts';

const newMember = membersOf('redaction');

test('a moderator edits a post, redacts the earlier version, and readers no longer see its text', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const organiser = await newMember(browser, 'Olga');
  setRole(organiser.handle, 'organiser');
  const slug = `t-redaction-${run}`;
  const made = await organiser.context.request.post('/api/v1/cases', {
    data: {
      slug,
      title: `Redaction ${run}`,
      summary: 'A case for the redaction journey.',
      countries: ['FR'],
      themes: ['citizen-engagement'],
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    },
  });
  expect(made.status(), await made.text()).toBe(201);

  const author = await newMember(browser, 'Abel');
  const secret = `my phone is +33 6 12 ${run}`;
  const created = await author.context.request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `Ring me: ${secret}` },
  });
  expect(created.status()).toBe(201);
  const postId = ((await created.json()) as { id: string }).id;
  const historyPath = `/cases/${slug}/posts/${postId}/history`;

  // The moderator works without JavaScript, and with the keyboard on the history page.
  const mod = await newMember(browser, 'Maud', { javaScriptEnabled: false });
  setRole(mod.handle, 'moderator');
  const page = await mod.context.newPage();
  await page.goto(`/cases/${slug}`);
  await page.locator('#discussion').getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel(`Edit ${author.name}’s post`).fill(`Phone number removed by a moderator ${run}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#discussion').getByText(`Phone number removed by a moderator ${run}`)).toBeVisible();

  // With scripts (and axe, which needs them): the form, its hint and its problem are accessible.
  const withScripts = await browser.newContext({ locale: 'en-GB' });
  const signedIn = await withScripts.request.post('/api/v1/auth/login', {
    data: { email: `${mod.handle}@example.org`, password: PASSWORD },
  });
  expect(signedIn.status()).toBe(200);
  const checked = await withScripts.newPage();
  await checked.goto(historyPath);
  await expect(checked.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect(checked.getByText(secret)).toBeVisible();
  await checked.getByText('Redact version 1…').click();
  const field = checked.getByLabel('Reason for the redaction');
  await expect(field).toHaveAccessibleDescription(/never shown publicly/);
  await expectAccessible(checked);
  await checked.getByRole('button', { name: 'Redact version 1', exact: true }).click();
  await expect(checked.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(field).toHaveAccessibleDescription(/Give a reason for the redaction/);
  await expectAccessible(checked);
  await withScripts.close();

  // Without scripts, with the keyboard: open the form, forget the reason, then give it.
  await page.goto(historyPath);
  await expect(page.getByText(secret)).toBeVisible();
  await page.getByText('Redact version 1…').focus();
  await page.keyboard.press('Enter');
  const reason = page.getByLabel('Reason for the redaction');
  await expect(reason).toBeVisible();
  await reason.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(reason).toHaveAccessibleDescription(/Give a reason for the redaction/);
  await expect(page.getByText(secret)).toBeVisible();
  await reason.fill('A private phone number');
  await reason.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Version 1 was redacted: its text is gone for everyone.');
  await expect(page.getByText('Redacted by a moderator.')).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByText('Redact version 1…')).toHaveCount(0);

  // An anonymous reader, in English and in French, and the author: no trace of the old text.
  const reader = await browser.newContext({ locale: 'en-GB' });
  const anonymous = await reader.newPage();
  await anonymous.goto(historyPath);
  await expect(anonymous.getByText(`Phone number removed by a moderator ${run}`)).toBeVisible();
  await expect(anonymous.getByText('Redacted by a moderator.')).toBeVisible();
  await expect(anonymous.getByText('Redact version')).toHaveCount(0);
  expect(await anonymous.content()).not.toContain(secret);
  await expectAccessible(anonymous);
  await anonymous.goto(`/fr${historyPath}`);
  await expect(anonymous.getByText('Texte retiré par un modérateur.')).toBeVisible();
  expect(await anonymous.content()).not.toContain(secret);
  const revisions = await reader.request.get(`/api/v1/posts/${postId}/revisions`);
  expect(await revisions.text()).not.toContain(secret);

  const authorPage = await author.context.newPage();
  await authorPage.goto(historyPath);
  await expect(authorPage.getByText('Redacted by a moderator.')).toBeVisible();
  await expect(authorPage.getByText('Redact version')).toHaveCount(0);
  expect(await authorPage.content()).not.toContain(secret);

  await reader.close();
  await author.context.close();
  await mod.context.close();
  await organiser.context.close();
});

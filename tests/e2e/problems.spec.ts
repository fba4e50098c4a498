import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';

/**
 * The API names each problem with a code; the French interface words the code, never the API's
 * English. Each step here makes the API refuse with one code (the page's own checks pass) and
 * reads the French words next to the field.
 */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'quatre mots sans rapport font un bon mot de passe';

async function signUpFr(page: Page, person: { handle: string; password: string; email?: string }) {
  await page.goto('/fr/signup');
  await page.getByLabel('Votre nom').fill('Camille Problème');
  await page.getByLabel('Adresse e-mail').fill(person.email ?? `${person.handle}@example.org`);
  await page.getByLabel('Identifiant').fill(person.handle);
  await page.getByLabel('Mot de passe', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
}

test('in French, each refusal of the API is worded from its code', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const password = page.getByLabel('Mot de passe', { exact: true });
  const handle = page.getByLabel('Identifiant');

  // password_common
  await signUpFr(page, { handle: `pc-${run}`, password: 'password1234' });
  await expect(password).toHaveAccessibleDescription(/fait partie des plus courants/);
  // password_personal: the handle as the password
  const personal = `personnel-${run}`;
  await signUpFr(page, { handle: personal, password: personal });
  await expect(password).toHaveAccessibleDescription(
    /N’utilisez pas votre adresse e-mail, votre identifiant ou votre nom/,
  );
  // reserved
  await signUpFr(page, { handle: 'admin', password: PASSWORD, email: `admin-${run}@example.org` });
  await expect(handle).toHaveAccessibleDescription(/Cet identifiant est réservé/);
  await expectAccessible(page);

  // taken: the same address twice (the page cannot know the address is in use)
  const member = { handle: `pb-${run}`, password: PASSWORD };
  await signUpFr(page, member);
  await expect(page).toHaveURL(/\/fr\/settings\/profile/);
  const other = await browser.newContext();
  const second = await other.newPage();
  await signUpFr(second, { handle: `pb2-${run}`, password: PASSWORD, email: `${member.handle}@example.org` });
  await expect(second.getByLabel('Adresse e-mail')).toHaveAccessibleDescription(/Un compte utilise déjà cette adresse/);
  await other.close();

  // password_incorrect
  await page.goto('/fr/settings/password');
  await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe du tout');
  await page.getByLabel('Nouveau mot de passe').fill('un autre long mot de passe ici');
  await page.getByRole('button', { name: 'Changer de mot de passe' }).click();
  await expect(page.getByLabel('Mot de passe actuel')).toHaveAccessibleDescription(
    /Le mot de passe actuel est incorrect/,
  );
  await expectAccessible(page);

  // Every other code has its French words too: apps/web/src/lib/problem-text.test.ts checks each
  // code of the contracts.
  await context.close();
});

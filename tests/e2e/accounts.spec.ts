import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { newestEmailTo } from './mail.ts';

/** Unique per run, so the journeys can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

async function signUp(page: Page, person: { name: string; email: string; handle: string; password: string }) {
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Handle').fill(person.handle);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('a newcomer signs up, fills in a profile, finds themself in the directory, signs out and back in', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const person = {
    name: `Erika Journey ${run}`,
    email: `journey-${run}@example.org`,
    handle: `journey-${run}`,
    password: PASSWORD,
  };

  await page.goto('/');
  await page.getByRole('link', { name: 'Join' }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
  await expect(page.getByText(/Use 12 to 256 characters/)).toBeVisible();
  await expectAccessible(page);

  await signUp(page, person);
  await expect(page).toHaveURL(/\/settings\/profile\?welcome=1$/);
  await expect(page.getByRole('status').filter({ hasText: 'Welcome' })).toBeVisible();
  await expect(page.getByText('Signed in as')).toBeVisible();
  await expectAccessible(page);

  // The profile: headline, country and themes.
  await page.getByLabel('Headline').fill('Service designer in a small island state');
  await page.getByLabel('Country').selectOption('IS');
  await page.getByRole('checkbox', { name: 'Open government' }).check();
  await page.getByRole('checkbox', { name: 'Service design' }).check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your profile has been saved.' })).toBeVisible();
  await expect(page.getByLabel('Headline')).toHaveValue('Service designer in a small island state');
  await expectAccessible(page);

  // The directory, filtered by that country.
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'People' }).click();
  await expect(page).toHaveURL(/\/people$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People');
  await expectAccessible(page);
  await page.getByLabel('Country').selectOption('IS');
  await expect(page).toHaveURL(/\/people\?country=IS$/);
  const card = page.getByRole('article').filter({ hasText: person.name });
  await expect(card).toBeVisible();
  await expect(card).toContainText('Iceland');
  await expect(card).toContainText('Open government');
  await expect(page.getByRole('status').getByRole('heading', { level: 2 })).toHaveText(/(?<!\d)\d+ members?/);
  await expectAccessible(page);

  await card.getByRole('link', { name: person.name }).click();
  await expect(page).toHaveURL(new RegExp(`/people/${person.handle}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(person.name);
  await expect(page.getByRole('link', { name: 'Edit your profile' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Iceland' })).toHaveAttribute('href', '/people?country=IS');
  await expectAccessible(page);

  // Sign out from the account menu.
  await page.getByText('Signed in as').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(page);

  // Back on the profile, signed out: no edit link; signing in comes back here.
  await page.goto(`/people/${person.handle}`);
  await expect(page.getByRole('link', { name: 'Edit your profile' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=%2Fpeople%2F${person.handle}$`));
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`/people/${person.handle}$`));
  await expect(page.getByRole('link', { name: 'Edit your profile' })).toBeVisible();
  await expectAccessible(page);
  await context.close();
});

test('a member resets a forgotten password with the emailed link', async ({ browser }) => {
  const context = await browser.newContext();
  const person = { email: `reset-${run}@example.org`, handle: `reset-${run}` };
  // The account, made through the API (a client without a browser passes the CSRF check).
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: person.email, password: PASSWORD, displayName: `Rémi Reset ${run}`, handle: person.handle },
  });
  expect(created.status()).toBe(201);
  await context.clearCookies();

  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/reset$/);
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText(`If an account uses ${person.email}, we have sent a link`);
  await expectAccessible(page);

  const email = await newestEmailTo(person.email);
  const link = /https?:\/\/\S+\/reset\/[a-z2-7]{32}/.exec(email)?.[0];
  expect(link, 'a reset link in the email').toBeTruthy();
  const path = new URL(link!).pathname;

  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  await expectAccessible(page);
  const newPassword = 'a fresh passphrase after the reset';
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?done=reset$/);
  await expect(page.getByRole('status')).toContainText('Your password has been changed');
  await expectAccessible(page);

  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText('Signed in as')).toBeVisible();

  // The link works once.
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link no longer works');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/reset');
  await expectAccessible(page);
  await context.close();
});

test('a member sees where they are signed in, signs out another device and changes their password', async ({
  browser,
  playwright,
}) => {
  const context = await browser.newContext();
  const person = { email: `settings-${run}@example.org`, handle: `settings-${run}` };
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: person.email, password: PASSWORD, displayName: `Sam Settings ${run}`, handle: person.handle },
  });
  expect(created.status()).toBe(201);
  // Another device, signed in too.
  const other = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0',
  });
  expect((await other.post('/api/v1/auth/login', { data: { email: person.email, password: PASSWORD } })).ok()).toBe(
    true,
  );

  const page = await context.newPage();
  await page.goto('/settings/sessions');
  const sessions = page.getByRole('region', { name: 'Where you are signed in' });
  await expect(sessions.getByRole('listitem')).toHaveCount(2);
  await expect(sessions.getByText('This device', { exact: true })).toBeVisible();
  await expect(sessions.getByText('Firefox on Windows', { exact: true })).toBeVisible();
  await expectAccessible(page);

  await sessions.getByRole('button', { name: 'Sign out – Firefox on Windows' }).click();
  await expect(sessions.getByRole('status')).toHaveText('Firefox on Windows has been signed out.');
  await expect(sessions.getByRole('listitem')).toHaveCount(1);
  expect((await other.get('/api/v1/me')).status()).toBe(401);
  await expectAccessible(page);

  await page.goto('/settings/password');
  const passwordForm = page.getByRole('form', { name: 'Password' });
  await passwordForm.getByLabel('Current password').fill('not the password at all');
  await passwordForm.getByLabel('New password').fill('another long passphrase here');
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await expect(passwordForm.getByLabel('Current password')).toHaveAccessibleDescription(
    /The current password is incorrect/,
  );
  await expect(passwordForm.getByLabel('Current password')).toHaveValue('');
  await expectAccessible(page);

  await passwordForm.getByLabel('Current password').fill(PASSWORD);
  await passwordForm.getByLabel('New password').fill('another long passphrase here');
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your password has been changed' })).toBeVisible();
  await expect(page.getByText('Signed in as')).toBeVisible();
  await expectAccessible(page);
  await other.dispose();
  await context.close();
});

test('a member changes their email address: nothing changes until the new address confirms the link', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const person = { email: `before-${run}@example.org`, handle: `mover-${run}` };
  const fresh = `after-${run}@example.org`;
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: person.email, password: PASSWORD, displayName: `Maud Mover ${run}`, handle: person.handle },
  });
  expect(created.status()).toBe(201);

  const page = await context.newPage();
  await page.goto('/settings/email');
  const emailForm = page.getByRole('form', { name: 'Email address' });
  await emailForm.getByLabel('New email address').fill(fresh);
  await emailForm.getByLabel('Current password').fill(PASSWORD);
  await emailForm.getByRole('button', { name: 'Change email address' }).click();
  await expect(page.getByRole('status').filter({ hasText: `We have sent a link to ${fresh}` })).toBeVisible();
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByText(`Your email address is ${person.email}.`)).toBeVisible();
  await expect(page.getByText(`Waiting for confirmation: ${fresh}.`)).toBeVisible();

  // The current address is told; the new one gets the link.
  expect(await newestEmailTo(person.email)).toContain('Your email address is being changed');
  const link = /https?:\/\/\S+\/confirm-email\/[a-z2-7]{32}/.exec(await newestEmailTo(fresh))?.[0];
  expect(link, 'a confirmation link in the email').toBeTruthy();
  const path = new URL(link!).pathname;

  // Opened signed out, in French first: opening the page changes nothing.
  const stranger = await browser.newContext();
  const confirmPage = await stranger.newPage();
  await confirmPage.goto(`/fr${path}`);
  await expect(confirmPage.getByRole('heading', { level: 1 })).toHaveText('Confirmer votre nouvelle adresse e-mail');
  await expectAccessible(confirmPage);
  expect((await (await context.request.get('/api/v1/me')).json()).email).toBe(person.email);

  await confirmPage.goto(path);
  await expect(confirmPage.getByRole('heading', { level: 1 })).toHaveText('Confirm your new email address');
  await confirmPage.getByRole('button', { name: 'Confirm my new address' }).click();
  await expect(confirmPage.getByRole('status')).toContainText(`Your email address is now ${fresh}.`);
  await expectAccessible(confirmPage);
  expect((await (await context.request.get('/api/v1/me')).json()).email).toBe(fresh);
  expect(await newestEmailTo(person.email)).toContain('Your email address has changed');

  // The link works once.
  await confirmPage.goto(path);
  await confirmPage.getByRole('button', { name: 'Confirm my new address' }).click();
  await expect(confirmPage.getByRole('heading', { level: 1 })).toHaveText('This link no longer works');
  await expectAccessible(confirmPage);
  await stranger.close();
  await context.close();
});

test('each part of the settings has its own page; the old /settings address and its forms lead there', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext();
  const person = { email: `pages-${run}@example.org`, handle: `pages-${run}` };
  const created = await context.request.post('/api/v1/auth/signup', {
    data: { email: person.email, password: PASSWORD, displayName: `Pat Pages ${run}`, handle: person.handle },
  });
  expect(created.status()).toBe(201);

  const page = await context.newPage();
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/settings\/profile$/);
  const pages = page.getByRole('navigation', { name: 'Settings pages' });
  for (const [name, path] of [
    ['Email address', '/settings/email'],
    ['Password', '/settings/password'],
    ['Where you are signed in', '/settings/sessions'],
    ['Profile', '/settings/profile'],
  ] as const) {
    await pages.getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page).toHaveTitle(new RegExp(`^${name} – Settings`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
    await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
    await expect(pages.getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'page');
    await expectAccessible(page);
  }

  await page.goto('/fr/settings');
  await expect(page).toHaveURL(/\/fr\/settings\/profile$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paramètres');
  await expect(page).toHaveTitle(/^Profil – Paramètres/);
  const pagesFr = page.getByRole('navigation', { name: 'Pages des paramètres' });
  await expect(pagesFr.getByRole('link', { name: 'Adresse e-mail' })).toHaveAttribute('href', '/fr/settings/email');
  await expectAccessible(page);

  // A form of the old page (rendered before it was split) goes on, with what was typed, to the page that has it now.
  const form = { displayName: `Pat Pages ${run}`, headline: 'Sent to the old address' };
  const moved = await context.request.post('/settings?/profile', {
    form,
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(moved.status()).toBe(307);
  expect(moved.headers().location).toBe('/settings/profile?/profile');
  const sent = await context.request.post('/settings?/profile', { form, headers: { origin: baseURL! } });
  expect(sent.ok()).toBe(true);
  expect((await (await context.request.get('/api/v1/me')).json()).profile.headline).toBe('Sent to the old address');
  await context.close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`sign-up problems show next to the fields, typed values kept (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const email = `errors-${javaScriptEnabled ? 'js' : 'nojs'}-${run}@example.org`;

    // axe runs inside the page, so it needs JavaScript: the server renders the same markup for
    // both runs, and the run with JavaScript checks it.
    const checkAccessible = () => (javaScriptEnabled ? expectAccessible(page) : Promise.resolve());

    await page.goto('/signup');
    await checkAccessible();
    // A handle a demo member has, and a password that is too short.
    await signUp(page, { name: 'Erin Errors', email, handle: 'ines-marchetti', password: 'short' });

    const summary = page.locator('[aria-labelledby="signup-errors-title"]');
    await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(page).toHaveTitle(/^Error: Create an account/);
    const handle = page.getByLabel('Handle');
    const password = page.getByLabel('Password', { exact: true });
    await expect(handle).toHaveAttribute('aria-invalid', 'true');
    await expect(handle).toHaveAccessibleDescription(/This handle is taken: choose another/);
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(/Use at least 12 characters/);
    await expect(page.getByLabel('Email address')).not.toHaveAttribute('aria-invalid', 'true');
    // What was typed is kept, except the password.
    await expect(page.getByLabel('Your name')).toHaveValue('Erin Errors');
    await expect(page.getByLabel('Email address')).toHaveValue(email);
    await expect(handle).toHaveValue('ines-marchetti');
    await expect(password).toHaveValue('');
    await checkAccessible();

    // The summary links to each field; with JavaScript it takes focus and moves it to the field.
    const toHandle = summary.getByRole('link', { name: 'This handle is taken: choose another' });
    await expect(toHandle).toHaveAttribute('href', '#signup-handle');
    if (javaScriptEnabled) {
      await expect(summary).toBeFocused();
      await toHandle.click();
      await expect(handle).toBeFocused();
    }
    await context.close();
  });
}

test('French: /fr/signup is in French, with <html lang="fr">', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/fr/signup');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Créer un compte');
  await expect(page.getByLabel('Mot de passe', { exact: true })).toHaveAttribute('autocomplete', 'new-password');
  await expect(page.getByText(/Utilisez de 12 à 256\u00a0caractères/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Se connecter' }).first()).toBeVisible();
  await expectAccessible(page);

  // Problems are in French too.
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('heading', { name: 'Il y a un problème' })).toBeVisible();
  await expect(page.getByLabel('Votre nom')).toHaveAccessibleDescription(/Saisissez votre nom/);
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Se connecter' }).last().click();
  await expect(page).toHaveURL(/\/fr\/login$/);
  await expect(page.getByRole('link', { name: 'Mot de passe oublié\u00a0?' })).toHaveAttribute('href', '/fr/reset');
  await expectAccessible(page);
  await context.close();
});

test('form actions refuse cross-site posts and accept same-origin ones', async ({ request, baseURL }) => {
  const form = { email: 'nobody@example.org', password: 'not the right password' };
  const crossSite = await request.post('/login', {
    form,
    headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    maxRedirects: 0,
  });
  expect(crossSite.status()).toBe(403);
  const oldBrowser = await request.post('/login', {
    form,
    headers: { origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(oldBrowser.status()).toBe(403);
  const sameOrigin = await request.post('/login', {
    form,
    headers: { origin: baseURL!, 'sec-fetch-site': 'same-origin' },
    maxRedirects: 0,
  });
  // The form is processed: the wrong password is reported on the page, not refused as cross-site.
  expect(sameOrigin.status()).not.toBe(403);
  expect(sameOrigin.status()).toBeLessThan(500);
});

/**
 * A member's language: Camille signs up on /fr/signup, so a mention email comes in French with
 * links to French pages (the .eml parsed with mailparser: both parts, <html lang>, the links);
 * she switches to English in the settings (without JavaScript) and the next mention email is in
 * English. The settings page is axe-clean in English and French.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { expectAccessible } from './a11y.ts';
import { confirmAddress } from './mail.ts';

/** Unique per run, so the journey can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

/** Every email to `address` in the e2e server's outbox whose subject matches, oldest first, parsed. */
async function emailsTo(address: string, subject: RegExp, count: number): Promise<ParsedMail[]> {
  const dir = join(process.env.E2E_DATA_DIR ?? '', 'outbox');
  const read = async (): Promise<ParsedMail[]> => {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
    const found: ParsedMail[] = [];
    for (const name of names) {
      const raw = await readFile(join(dir, name));
      if (!raw.toString('latin1').toLowerCase().includes(`to: ${address}`)) continue;
      const mail = await simpleParser(raw);
      if (subject.test(mail.subject ?? '')) found.push(mail);
    }
    return found;
  };
  // Polled until the emails themselves are there (Playwright's expect.poll), never a fixed wait.
  await expect
    .poll(async () => (await read()).length, {
      message: `${count} emails to ${address} matching ${subject}`,
      timeout: 20_000,
    })
    .toBeGreaterThanOrEqual(count);
  return read();
}

const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

async function mention(request: APIRequestContext, slug: string, handle: string) {
  const response = await request.post(`/api/v1/cases/${slug}/posts`, {
    data: { body: `@${handle} what do you think of this?` },
  });
  expect(response.status(), await response.text()).toBe(201);
}

test('a French member gets her mention email in French with /fr links, then in English after switching', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  // Camille, without JavaScript: the sign-up and the language form are plain forms.
  const camille = await browser.newContext({ javaScriptEnabled: false });
  const page = await camille.newPage();
  const handle = `camille-${run}`;
  const email = `${handle}@example.org`;
  await page.goto('/fr/signup');
  await page.getByLabel('Votre nom').fill(`Camille Langue ${run}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Identifiant').fill(handle);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page).toHaveURL(/\/fr\/settings\/profile\?welcome=1$/);
  await confirmAddress(camille.request, email);
  const prefs = await camille.request.patch('/api/v1/me/notification-prefs', {
    data: { kinds: [{ kind: 'mention', channel: 'email' }] },
  });
  expect(prefs.status()).toBe(200);

  // Her language in the settings: French, as her sign-up page was. (axe runs script: a page of
  // hers with JavaScript, signed in with the same session, checks each settings page.)
  const checker = await browser.newContext({ storageState: await camille.storageState() });
  const axePage = await checker.newPage();
  const accessible = async (path: string) => {
    await axePage.goto(path);
    await expect(axePage.locator('#language-heading')).toBeVisible();
    await expectAccessible(axePage);
  };
  await page.goto('/fr/settings/language');
  await expect(page.getByRole('heading', { level: 2, name: 'Langue' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Français' })).toBeChecked();
  await accessible('/fr/settings/language');

  // Someone mentions her: the email is in French, both parts, with links to French pages.
  const cases = (await (await page.request.get('/api/v1/cases?limit=2')).json()) as { items: { slug: string }[] };
  const [first, second] = cases.items.map((c) => c.slug);
  const other = await browser.newContext();
  const poster = `noa-${run}`;
  const created = await other.request.post('/api/v1/auth/signup', {
    data: { email: `${poster}@example.org`, password: PASSWORD, displayName: `Noa Mentions ${run}`, handle: poster },
  });
  expect(created.status()).toBe(201);
  await mention(other.request, first!, handle);
  const [french] = await emailsTo(email, /mentionn|mentioned/, 1);
  expect(french!.subject).toContain(`Noa Mentions ${run} vous a mentionné·e dans « `);
  expect(french!.text).toContain('Réseau des innovateurs du secteur public');
  expect(french!.text).toContain(`${baseURL}/fr/cases/${first}#post-`);
  const html = String(french!.html);
  expect(html).toContain('<html lang="fr">');
  expect(html).toContain('Ouvrir');
  const links = hrefs(html);
  expect(links.some((l) => l.startsWith(`${baseURL}/fr/cases/${first}#post-`))).toBe(true);
  expect(links.some((l) => l.startsWith(`${baseURL}/fr/unsubscribe/`))).toBe(true);

  // She opens the post from the email: the page is in French.
  await page.goto(links.find((l) => l.includes('/fr/cases/'))!);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // She switches to English in the settings (a plain form post).
  await page.goto('/fr/settings/language');
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: 'Enregistrer la langue' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
  await page.goto('/settings/language');
  await expect(page.getByRole('heading', { level: 2, name: 'Language' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'English' })).toBeChecked();
  await accessible('/settings/language');

  // The next mention email is in English, with links to English pages.
  await mention(other.request, second!, handle);
  const [, english] = await emailsTo(email, /mentionn|mentioned/, 2);
  expect(english!.subject).toContain(`Noa Mentions ${run} mentioned you in “`);
  expect(String(english!.html)).toContain('<html lang="en">');
  expect(english!.text).toContain('Stop these emails');
  const englishLinks = hrefs(String(english!.html));
  expect(englishLinks.some((l) => l.startsWith(`${baseURL}/cases/${second}#post-`))).toBe(true);
  expect(englishLinks.some((l) => l.startsWith(`${baseURL}/fr/`))).toBe(false);

  await checker.close();
  await camille.close();
  await other.close();
});

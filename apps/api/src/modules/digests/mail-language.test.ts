/**
 * Notification emails in the member's language: a member who signed up in French gets their
 * mention email in French with /fr links, in the one template (text and HTML parts, read here with
 * mailparser from the .eml files the app writes); after switching to English in the settings, the
 * next one is in English. Hostile names and titles are escaped in the HTML part.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import { call, createTestApp, createTestCase, signUp } from '../../testing.ts';
import { tempDataDir } from '../../testing-mail.ts';
import { eventually } from '../../testing-until.ts';

const dataDir = tempDataDir('mail-language');
let app: FastifyInstance;
const ORIGIN = 'https://network.example';

beforeAll(async () => {
  app = await createTestApp({
    JOBS: 'true',
    JOBS_KINDS: 'email.notification',
    DATA_DIR: dataDir,
    PUBLIC_ORIGIN: ORIGIN,
    ABUSE_LIMITS: 'off',
  });
});
afterAll(async () => {
  await app?.close();
});

/** Every .eml in the outbox to `to`, parsed, oldest first. */
async function mailsTo(to: string): Promise<ParsedMail[]> {
  const dir = join(dataDir, 'outbox');
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
  return parsed.filter((m) => m.to && !Array.isArray(m.to) && m.to.value.some((a) => a.address === to));
}

async function waitForMails(to: string, count: number): Promise<ParsedMail[]> {
  return eventually(
    async () => {
      await app.notifier.poke();
      await app.jobs.poke();
      return mailsTo(to);
    },
    (m) => m.length >= count,
    `${count} email(s) to ${to}`,
    { within: 30_000, every: 100 },
  );
}

/** Every href of the HTML part. */
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&#38;/g, '&'));

describe('the member’s language', () => {
  it('is the sign-up page’s, can be changed, and refuses another language naming the field', async () => {
    const member = await signUp(app, { lang: 'fr' });
    expect((await call(app, member, { method: 'GET', url: '/api/v1/me' })).json().language).toBe('fr');
    expect((await call(app, member, { method: 'GET', url: '/api/v1/me/language' })).json()).toEqual({ language: 'fr' });
    const wrong = await call(app, member, { method: 'PUT', url: '/api/v1/me/language', payload: { language: 'de' } });
    expect(wrong.statusCode).toBe(400);
    expect(JSON.stringify(wrong.json().error.details)).toContain('language');
    const put = await call(app, member, { method: 'PUT', url: '/api/v1/me/language', payload: { language: 'en' } });
    expect(put.json()).toEqual({ language: 'en' });
    expect((await call(app, member, { method: 'GET', url: '/api/v1/me' })).json().language).toBe('en');
    expect((await call(app, null, { method: 'GET', url: '/api/v1/me/language' })).statusCode).toBe(401);
  });

  it('a French member’s mention email is in French with /fr links; after switching, the next is in English', async () => {
    const hostile = `<script>alert("x")</script> & 'Ève'`;
    const [french, mentioner] = await Promise.all([
      signUp(app, { lang: 'fr' }),
      signUp(app, { displayName: `Zoé <b>"bold"</b> & co` }),
    ]);
    await call(app, french, {
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      payload: { kinds: [{ kind: 'mention', channel: 'email' }] },
    });
    const slug = await createTestCase(app, { title: hostile });
    const mention = (where = slug) =>
      call(app, mentioner, {
        method: 'POST',
        url: `/api/v1/cases/${where}/posts`,
        payload: { body: `Bonjour @${french.handle}, votre avis ?` },
      });
    expect((await mention()).statusCode).toBe(201);
    const to = `${french.handle}@example.org`;
    const [fr] = await waitForMails(to, 1);

    expect(fr!.subject).toBe(`Zoé <b>"bold"</b> & co vous a mentionné·e dans « ${hostile} »`);
    // Both parts, the HTML in French.
    expect(fr!.text).toContain('vous a mentionné·e');
    expect(fr!.text).toContain('Réseau des innovateurs du secteur public');
    expect(fr!.html).toBeTruthy();
    const html = fr!.html as string;
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Réseau des innovateurs du secteur public');
    // Escaped: the title's and the name's markup is text, never markup.
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    // Links to French pages: the post, and the page that stops these emails.
    const links = hrefs(html);
    expect(links.some((l) => l.startsWith(`${ORIGIN}/fr/cases/${slug}#post-`))).toBe(true);
    expect(links.some((l) => l.startsWith(`${ORIGIN}/fr/unsubscribe/`) && l.endsWith('?kind=mention'))).toBe(true);
    expect(links.every((l) => !l.startsWith(ORIGIN) || l.startsWith(`${ORIGIN}/fr/`))).toBe(true);
    expect(fr!.text).toContain(`${ORIGIN}/fr/cases/${slug}#post-`);
    expect(fr!.text).toContain('Ne plus recevoir ces courriels');
    // One-click unsubscribe headers stay.
    const header = (name: string) => fr!.headerLines.find((h) => h.key === name)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toMatch(/\/api\/v1\/unsubscribe\/[a-z2-7]{32}\?kind=mention>$/);

    // The member switches to English: the next mention email (in another thread) is in English, with English links.
    await call(app, french, { method: 'PUT', url: '/api/v1/me/language', payload: { language: 'en' } });
    const other = await createTestCase(app, { title: hostile });
    expect((await mention(other)).statusCode).toBe(201);
    const [, en] = await waitForMails(to, 2);
    expect(en!.subject).toBe(`Zoé <b>"bold"</b> & co mentioned you in “${hostile}”`);
    expect(en!.html as string).toContain('<html lang="en">');
    expect(en!.text).toContain('Public Sector Innovators Network');
    expect(en!.text).toContain('Stop these emails');
    const english = hrefs(en!.html as string);
    expect(english.some((l) => l.startsWith(`${ORIGIN}/cases/${other}#post-`))).toBe(true);
    expect(english.some((l) => l.startsWith(`${ORIGIN}/unsubscribe/`))).toBe(true);
    expect(english.some((l) => l.startsWith(`${ORIGIN}/fr/`))).toBe(false);
  });
});

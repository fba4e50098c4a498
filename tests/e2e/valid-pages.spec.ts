import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { setRole } from './roles.ts';
import { codeSnifferErrors, nuErrors, requireJava } from './validators.ts';

/** Unique per run, so the journey can run again against the same database. */
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';
const CASE = 'sigab-bogota-waste-management';

/** An event made and answered ("Going") by `request`'s member, so its ticket exists. */
async function eventWithTicket(request: APIRequestContext): Promise<string> {
  const startsAt = new Date(Date.now() + 12 * 86_400_000);
  startsAt.setUTCHours(8, 0, 0, 0);
  const made = await request.post('/api/v1/events', {
    data: {
      title: `Valid pages day ${run}`,
      description: 'A day on **valid pages**, with a [checker](https://validator.w3.org/nu/).',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 6 * 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'hybrid',
      venue: 'Salle Marie Curie',
      address: '2 rue André Pascal, 75016 Paris',
      onlineUrl: `https://meet.example.org/${run}`,
      capacity: 20,
      countries: ['FR'],
      themes: ['service-design'],
      caseSlugs: [CASE],
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  const { slug } = (await made.json()) as { slug: string };
  expect((await request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } })).status()).toBe(200);
  return slug;
}

/** A post with a reply in the case's thread, the post edited once (so it has a history). */
async function postWithHistory(request: APIRequestContext): Promise<string> {
  const made = await request.post(`/api/v1/cases/${CASE}/posts`, {
    data: { body: `Does **this** hold up? A list:\n\n- one\n- two\n\n> quoted ${run}` },
  });
  expect(made.status()).toBe(201);
  const { id } = (await made.json()) as { id: string };
  const reply = await request.post(`/api/v1/cases/${CASE}/posts`, { data: { body: 'It does.', parentId: id } });
  expect(reply.status()).toBe(201);
  const edited = await request.patch(`/api/v1/posts/${id}`, { data: { body: `Does **this** hold up? ${run}` } });
  expect(edited.ok()).toBe(true);
  return id;
}

/** Every kind of page a reader signed out sees. */
const publicPaths = [
  '/',
  '/cases',
  `/cases?q=waste&sort=newest`,
  `/cases/${CASE}`,
  `/cases/${CASE}/history`,
  '/events',
  '/events?when=past',
  '/people',
  '/themes',
  '/themes/service-design',
  '/countries',
  '/countries/FR',
  '/search?q=waste',
  '/login',
  '/signup',
  '/reset',
  '/about',
  '/accessibility',
  '/privacy',
  '/transparency',
  '/no-such-page',
];

/** Every kind of page a member, a moderator and an admin see (the member here is all three). */
function signedInPaths(handle: string, event: string, postId: string): string[] {
  return [
    '/',
    `/cases/${CASE}`,
    `/cases/${CASE}/edit`,
    `/cases/${CASE}/translate`,
    `/cases/${CASE}/posts/${postId}/history`,
    '/cases/new',
    `/events/${event}`,
    `/events/${event}/ticket`,
    `/events/${event}/manage`,
    `/events/${event}/checkin`,
    `/events/${event}/edit`,
    `/events/${event}/cancel`,
    '/events/new',
    '/events/mine',
    `/people/${handle}`,
    '/feed',
    '/notifications',
    `/report?type=post&target=${postId}`,
    '/verify-email',
    '/settings/profile',
    '/settings/email',
    '/settings/password',
    '/settings/notifications',
    '/settings/calendar',
    '/settings/blocks',
    '/settings/sessions',
    '/settings/proposals',
    '/settings/data',
    '/settings/follows',
    '/settings/language',
    '/moderation',
    '/moderation/cases',
    '/admin',
    '/admin/log',
    '/admin/suspensions',
  ];
}

interface Visit {
  who: 'reader' | 'admin';
  context: BrowserContext;
  path: string;
}

test('every kind of page, in English and French, signed out and as an admin: 0 Nu checker errors, 0 HTML_CodeSniffer errors', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  requireJava();
  // The pages as they are sent, and as the browser shows them with HTML_CodeSniffer injected.
  const reader = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
  const admin = await browser.newContext({ locale: 'en-GB', bypassCSP: true });
  const handle = `vera-${run}`;
  const created = await admin.request.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: `Vera Valid ${run}`, handle },
  });
  expect(created.status()).toBe(201);
  setRole(handle, 'admin');
  const event = await eventWithTicket(admin.request);
  const postId = await postWithHistory(admin.request);

  const visits: Visit[] = [];
  for (const prefix of ['', '/fr']) {
    const at = (path: string) => (prefix && path === '/' ? prefix : `${prefix}${path}`);
    for (const path of publicPaths) visits.push({ who: 'reader', context: reader, path: at(path) });
    for (const path of signedInPaths(handle, event, postId))
      visits.push({ who: 'admin', context: admin, path: at(path) });
  }

  // The Nu checker: the HTML the server sends, one file per page, one run over the folder.
  const folder = await mkdtemp(join(tmpdir(), 'opsi-vnu-'));
  try {
    for (const [index, visit] of visits.entries()) {
      const response = await visit.context.request.get(visit.path, { maxRedirects: 0 });
      const expected = visit.path.endsWith('/no-such-page') ? 404 : 200;
      expect(response.status(), `${visit.who} ${visit.path}`).toBe(expected);
      const name = `${String(index).padStart(3, '0')}-${visit.who}${visit.path.replace(/[^a-z0-9]+/gi, '-')}.html`;
      await writeFile(join(folder, name), await response.text());
    }
    expect(await nuErrors(folder), 'Nu HTML checker errors (file: line: message)').toEqual([]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  // HTML_CodeSniffer, WCAG2AA, on the same pages as the browser shows them (the reader's and the
  // admin's side by side: two tabs keep CI's two cores busy).
  const problems: string[] = [];
  await Promise.all(
    [reader, admin].map(async (context) => {
      const page = await context.newPage();
      for (const visit of visits.filter((v) => v.context === context)) {
        await page.goto(visit.path);
        const errors = await codeSnifferErrors(page).catch((error: Error) => [`it failed: ${error.message}`]);
        for (const error of errors) problems.push(`${visit.who} ${visit.path}: ${error}`);
      }
      await page.close();
    }),
  );
  expect(problems.sort(), 'HTML_CodeSniffer WCAG2AA errors').toEqual([]);

  await reader.close();
  await admin.close();
});

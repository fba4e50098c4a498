/**
 * My events: answering from the event page, the confirmation email (its ticket code and the event
 * as an .ics attachment, parsed), the waitlisted state shown as its own answer (never "Going"
 * selected next to a place in line), /events/mine in English and French, on a phone too, and the
 * event cards saying "You're going".
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, run } from './people.ts';

const newMember = membersOf('mine', { timezoneId: 'Europe/Paris' });

/** One MIME part of a raw message: its headers (lower-case names) and its decoded body. */
function parts(raw: string): { headers: string; body: string }[] {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1]!);
  const out: { headers: string; body: string }[] = [];
  for (const boundary of boundaries) {
    for (const chunk of raw.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) continue;
      const text = chunk.replace(/^\r?\n/, '');
      const cut = text.search(/\r?\n\r?\n/);
      const headers = text.slice(0, cut).replace(/\r?\n[ \t]+/g, ' ');
      const body = text.slice(cut).trim();
      const decoded = /content-transfer-encoding:\s*base64/i.test(headers)
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : /content-transfer-encoding:\s*quoted-printable/i.test(headers)
          ? Buffer.from(
              body
                .replace(/=\r?\n/g, '')
                .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            ).toString('utf8')
          : body;
      out.push({ headers, body: decoded });
    }
  }
  return out;
}

/** The raw email to `address` whose text contains `marker`, waiting for the job queue to write it. */
async function emailWith(address: string, marker: string): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR!, 'outbox');
  const find = async (): Promise<string | null> => {
    for (const name of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'))) {
      const raw = await readFile(join(dir, name), 'utf8');
      if (!new RegExp(`^To: .*${address.replace(/[.+]/g, '\\$&')}`, 'im').test(raw)) continue;
      if (parts(raw).some((p) => p.body.includes(marker))) return raw;
    }
    return null;
  };
  // Polled until the email itself is there (Playwright's expect.poll), never a fixed wait.
  await expect.poll(find, { message: `an email to ${address} with ${marker}`, timeout: 15_000 }).not.toBeNull();
  return (await find())!;
}

test('answering shows in My events, the confirmation carries the ticket and an .ics, and the waitlist is its own state', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const olga = await newMember(browser, 'Olga');
  setRole(olga.handle, 'organiser');
  const starts = new Date(Date.UTC(2031, 2, 14, 8, 30));
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title: `Open budgets evening ${run}`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 2 * 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Town hall',
      capacity: 1,
      // A country no other journey uses: its list is short whatever the journeys made before.
      countries: ['NR'],
    },
  });
  expect(created.status()).toBe(201);
  const { slug, title } = (await created.json()) as { slug: string; title: string };
  const panel = (page: Page) => page.getByRole('complementary', { name: 'Your answer' });

  // Ana takes the one seat from the event page.
  const ana = await newMember(browser, 'Ana');
  const anaPage = await ana.context.newPage();
  await anaPage.goto(`/events/${slug}`);
  await panel(anaPage).getByRole('button', { name: 'Going', exact: true }).click();
  await expect(panel(anaPage)).toContainText('You’re going.');
  await expect(panel(anaPage).getByRole('button', { name: 'Going', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const code = (
    (await (await ana.context.request.get(`/api/v1/events/${slug}`)).json()) as {
      myRsvp: { ticketCode: string };
    }
  ).myRsvp.ticketCode;

  // Her confirmation: the ticket code, the organiser to reply to, and the event as a calendar file.
  const raw = await emailWith(ana.email, `Your ticket code: ${code}`);
  expect(raw).toMatch(new RegExp(`^Reply-To: ${olga.email.replace(/[.+]/g, '\\$&')}`, 'im'));
  const ics = parts(raw).find((p) => /filename="?[^"]*\.ics/i.test(p.headers));
  expect(ics, 'an .ics attachment').toBeDefined();
  expect(ics!.headers).toMatch(/text\/calendar/i);
  const lines = ics!.body.replace(/\r\n[ \t]/g, '').split(/\r?\n/);
  expect(lines).toContain('BEGIN:VEVENT');
  expect(lines).toContain('DTSTART;TZID=Europe/Paris:20310314T093000');
  expect(lines.find((l) => l.startsWith('UID:'))).toMatch(/^UID:event-\d+@127\.0\.0\.1$/);
  expect(lines).toContain(`SUMMARY:${title}`);

  // Ben finds it full: he joins the waitlist and the form says so, not "Going".
  const ben = await newMember(browser, 'Ben');
  const benPage = await ben.context.newPage();
  await benPage.goto(`/events/${slug}`);
  await panel(benPage).getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(panel(benPage)).toContainText('You’re on the waitlist — position 1.');
  await expect(panel(benPage).getByRole('button', { name: 'On the waitlist' })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel(benPage).getByRole('button', { name: 'Going', exact: true })).toHaveCount(0);
  await expect(panel(benPage).locator('[aria-pressed="true"]')).toHaveCount(1);
  await expectAccessible(benPage);
  const waitMail = await emailWith(ben.email, 'you are on the waitlist, at position 1');
  expect(parts(waitMail).some((p) => /\.ics/.test(p.headers))).toBe(false);

  // The list of events tells each of them where they stand.
  await benPage.goto('/events?country=NR');
  const card = benPage.getByRole('article').filter({ hasText: title });
  await expect(card).toContainText('You’re on the waitlist — position 1');
  await anaPage.goto('/events?country=NR');
  await expect(anaPage.getByRole('article').filter({ hasText: title })).toContainText('You’re going');
  // So does the country's hub (and the home page, from the same answers).
  await anaPage.goto('/countries/NR');
  await expect(anaPage.getByRole('article').filter({ hasText: title })).toContainText('You’re going');
  await benPage.goto('/fr/countries/NR');
  await expect(benPage.getByRole('article').filter({ hasText: title })).toContainText(
    'Vous êtes sur la liste d’attente',
  );

  // My events, from the account menu.
  await anaPage.getByText(`Signed in as`).click();
  await anaPage.getByRole('link', { name: 'My events' }).click();
  await expect(anaPage).toHaveURL(/\/events\/mine$/);
  await expect(anaPage.getByRole('heading', { level: 1 })).toHaveText('My events');
  const mine = anaPage.getByRole('listitem').filter({ hasText: title });
  await expect(mine).toContainText('You’re going.');
  await expect(mine.getByRole('link', { name: `Ticket ${code} — ${title}` })).toBeVisible();
  await expect(anaPage.getByRole('link', { name: 'Upcoming' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(anaPage);
  await anaPage.getByRole('link', { name: 'Past' }).click();
  await expect(anaPage.getByText('You have not answered any past event.')).toBeVisible();

  await benPage.goto('/events/mine');
  await expect(benPage.getByRole('listitem').filter({ hasText: title })).toContainText(
    'You’re on the waitlist — position 1.',
  );
  await expect(benPage.getByRole('link', { name: /^Ticket / })).toHaveCount(0);
  await benPage.screenshot({ path: 'test-results/my-events-waitlisted.png', fullPage: true });

  // On a phone, and in French.
  await anaPage.setViewportSize({ width: 375, height: 812 });
  await anaPage.goto('/events/mine');
  expect(await anaPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await anaPage.screenshot({ path: 'test-results/my-events-375.png', fullPage: true });
  await anaPage.goto('/fr/events/mine');
  await expect(anaPage.getByRole('heading', { level: 1 })).toHaveText('Mes événements');
  await expect(anaPage.getByRole('listitem').filter({ hasText: title })).toContainText('Vous participez.');
  await expect(anaPage.getByRole('link', { name: `Billet ${code} — ${title}` })).toBeVisible();
  await expectAccessible(anaPage);
  await anaPage.screenshot({ path: 'test-results/my-events-375-fr.png', fullPage: true });

  // Signed out, the page asks to sign in and comes back.
  const anonymous = await browser.newContext();
  const outside = await anonymous.newPage();
  await outside.goto('/events/mine');
  await expect(outside).toHaveURL(/\/login\?redirectTo=%2Fevents%2Fmine$/);

  await Promise.all([olga.context.close(), ana.context.close(), ben.context.close(), anonymous.close()]);
});

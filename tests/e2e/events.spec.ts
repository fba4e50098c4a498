import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, run, type Member } from './people.ts';

/** Makes a member an organiser with the operator CLI. */
async function makeOrganiser(handle: string): Promise<void> {
  setRole(handle, 'organiser');
}

/** A new member, signed in in a browser context of their own (signed up through the API). */
const newMember = membersOf('eventgoer', { timezoneId: 'America/Toronto' });

/** An event made through the API by an organiser; returns its slug. */
async function createEvent(
  organiser: APIRequestContext,
  fields: { title: string; capacity?: number | null; inDays?: number; countries?: string[]; onlineUrl?: string },
): Promise<string> {
  const startsAt = new Date(Date.now() + (fields.inDays ?? 10) * 86_400_000);
  startsAt.setUTCHours(8, 0, 0, 0);
  const endsAt = new Date(startsAt.getTime() + 8 * 3_600_000);
  const response = await organiser.post('/api/v1/events', {
    data: {
      title: fields.title,
      description: 'A hands-on day on **service design**, with case clinics.',
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      timezone: 'Europe/Paris',
      mode: 'hybrid',
      venue: 'Salle Marie Curie',
      address: '2 rue André Pascal, 75016 Paris',
      onlineUrl: fields.onlineUrl ?? `https://meet.example.org/${run}`,
      capacity: fields.capacity === undefined ? 2 : fields.capacity,
      countries: fields.countries ?? ['FR'],
      themes: ['service-design'],
      caseSlugs: ['my-france-2022'],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

let organiser: Member;

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Olga');
  await makeOrganiser(organiser.handle);
});

test.afterAll(async () => {
  await organiser.context.close();
});

test('two seats, three members: the third waits, a seat frees up and they are promoted live', async ({ browser }) => {
  // Four people in their own browsers, and axe on each kind of page: longer than one journey.
  test.setTimeout(120_000);
  const secret = `https://meet.example.org/waitlist-${run}`;
  const slug = await createEvent(organiser.context.request, {
    title: `Service design clinic ${run}`,
    capacity: 2,
    onlineUrl: secret,
  });
  const path = `/events/${slug}`;

  // The list shows it with its seats left, dates in the viewer's zone and the event's.
  const visitor = await browser.newContext({ timezoneId: 'America/Toronto', locale: 'en-GB' });
  const list = await visitor.newPage();
  await list.goto('/events');
  await expect(list.getByRole('heading', { level: 1 })).toHaveText('Events');
  const card = list.getByRole('article').filter({ hasText: `Service design clinic ${run}` });
  await expect(card).toContainText('2 seats left');
  await expect(card).toContainText('09:00 CET in Paris');
  await expect(card).toContainText('In person and online');
  await expectAccessible(list);

  // Signed out: an invitation to sign in that comes back here, and no online link.
  await card.getByRole('link', { name: `Service design clinic ${run}` }).click();
  await expect(list).toHaveURL(new RegExp(`${path}$`));
  // Its page adds the viewer's own time (formatted by the zone worker) to the venue's.
  await expect(list.getByText('Your time:')).toContainText('(Eastern Time)');
  await expect(list.getByRole('link', { name: 'Sign in to RSVP' })).toHaveAttribute(
    'href',
    `/login?redirectTo=${encodeURIComponent(path)}`,
  );
  // Creating an account comes back here too.
  await expect(list.getByRole('link', { name: 'New here? Create an account' })).toHaveAttribute(
    'href',
    `/signup?redirectTo=${encodeURIComponent(path)}`,
  );
  expect(await list.content()).not.toContain(secret);
  await visitor.close();

  const [ana, ben, cleo] = await Promise.all(['Ana', 'Ben', 'Cleo'].map((first) => newMember(browser, first)));
  const panel = (page: Page) => page.getByRole('complementary', { name: 'Your answer' });

  // Ana and Ben take the two seats.
  const anaPage = await ana!.context.newPage();
  await anaPage.goto(path);
  await panel(anaPage).getByRole('button', { name: 'Going', exact: true }).click();
  await expect(panel(anaPage)).toContainText('You’re going.');
  await expect(panel(anaPage)).toContainText('1 of 2 seats left');
  await expect(anaPage.getByRole('link', { name: 'Join online' })).toHaveAttribute('href', secret);

  const benPage = await ben!.context.newPage();
  await benPage.goto(path);
  await panel(benPage).getByRole('button', { name: 'Going', exact: true }).click();
  await expect(panel(benPage)).toContainText('You’re going.');
  await expect(panel(benPage)).toContainText('Full — waitlist open');
  // Ana's open page follows the count live.
  await expect(panel(anaPage)).toContainText('Full — waitlist open');

  // Cleo can only join the waitlist, first in line; no online link for her.
  const cleoPage = await cleo!.context.newPage();
  await cleoPage.goto(path);
  await panel(cleoPage).getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(panel(cleoPage)).toContainText('You’re on the waitlist — position 1.');
  await expect(panel(cleoPage)).toContainText('1 on the waitlist');
  expect(await cleoPage.content()).not.toContain(secret);
  await expect(cleoPage.getByRole('link', { name: 'Show your ticket' })).toHaveCount(0);
  await expectAccessible(cleoPage);

  // Cleo's page stays open (no reload) while Ana withdraws.
  await cleoPage.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  await panel(anaPage).getByRole('button', { name: 'Withdraw my answer' }).click();
  await expect(panel(anaPage)).toContainText('You’re not going.');

  const announcement = panel(cleoPage).getByRole('status').filter({ hasText: 'A seat opened: you’re going!' });
  await expect(announcement).toBeVisible();
  await expect(announcement.getByRole('link', { name: 'Show your ticket' })).toBeVisible();
  await expect(panel(cleoPage)).toContainText('You’re going.');
  expect(await cleoPage.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expect(cleoPage.getByRole('link', { name: 'Join online' })).toHaveAttribute('href', secret);
  await expectAccessible(cleoPage);

  // Ana no longer goes: the online link is gone from her page's HTML.
  const anaHtml = await (await ana!.context.request.get(path)).text();
  expect(anaHtml).not.toContain(secret);
  expect(anaHtml).toContain('You’re not going.');

  // Cleo's ticket: the code in large type and a QR code drawn as SVG.
  await announcement.getByRole('link', { name: 'Show your ticket' }).click();
  await expect(cleoPage).toHaveURL(new RegExp(`${path}/ticket$`));
  const detail = (await (await cleo!.context.request.get(`/api/v1/events/${slug}`)).json()) as {
    myRsvp: { ticketCode: string };
  };
  const code = detail.myRsvp.ticketCode;
  expect(code).toMatch(/^[A-Z0-9]{6,}$/);
  await expect(cleoPage.getByRole('heading', { level: 1 })).toHaveText('Your ticket');
  await expect(cleoPage.getByText(code, { exact: true })).toBeVisible();
  const qr = cleoPage.getByRole('img', { name: `QR code of the ticket code ${code}` });
  await expect(qr.locator('svg path')).not.toHaveCount(0);
  await expect(cleoPage.getByRole('article').getByText(cleo!.name)).toBeVisible();
  await expectAccessible(cleoPage);

  // Ana has no ticket any more; a signed-out visitor is asked to sign in.
  const anaTicket = await ana!.context.newPage();
  await anaTicket.goto(`${path}/ticket`);
  await expect(anaTicket.getByRole('heading', { level: 1 })).toHaveText('You have no ticket for this event');
  await expect(anaTicket.getByText(code)).toHaveCount(0);
  const anonymous = await browser.newContext();
  const anonymousTicket = await anonymous.newPage();
  await anonymousTicket.goto(`${path}/ticket`);
  await expect(anonymousTicket.getByRole('heading', { level: 1 })).toHaveText('Sign in to see your ticket');
  await expectAccessible(anonymousTicket);

  await Promise.all([ana!.context.close(), ben!.context.close(), cleo!.context.close(), anonymous.close()]);
});

test('RSVP, the attendee list choice, withdrawal and the ticket work without JavaScript', async ({ browser }) => {
  const slug = await createEvent(organiser.context.request, { title: `No-script roundtable ${run}`, capacity: 5 });
  const path = `/events/${slug}`;
  const dora = await newMember(browser, 'Dora', { javaScriptEnabled: false });
  const page = await dora.context.newPage();
  await page.goto(path);
  const panel = page.getByRole('complementary', { name: 'Your answer' });
  await expect(panel).toContainText('You have not answered yet.');

  await panel.getByRole('button', { name: 'Going', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?/rsvp$`));
  await expect(panel).toContainText('You’re going.');
  await expect(panel).toContainText('4 of 5 seats left');
  await expect(page.getByRole('region', { name: 'Who is going' }).getByRole('link', { name: dora.name })).toBeVisible();

  // Leave the public list, with the button shown when scripts do not run.
  await panel.getByRole('checkbox', { name: 'Show me in the public attendee list' }).uncheck();
  await panel.getByRole('button', { name: 'Save this choice' }).click();
  await expect(panel.getByRole('checkbox', { name: 'Show me in the public attendee list' })).not.toBeChecked();
  await expect(page.getByRole('region', { name: 'Who is going' }).getByRole('link', { name: dora.name })).toHaveCount(
    0,
  );
  await expect(panel).toContainText('You’re going.');

  // The ticket page needs no script either.
  await page.goto(`${path}/ticket`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your ticket');
  await expect(page.locator('.qr svg')).toHaveCount(1);

  await page.goto(path);
  await panel.getByRole('button', { name: 'Interested' }).click();
  await expect(panel).toContainText('You’re interested (no seat reserved).');
  await expect(panel).toContainText('5 of 5 seats left');
  await panel.getByRole('button', { name: 'Withdraw my answer' }).click();
  await expect(page).toHaveURL(new RegExp(`${path}\\?/withdraw$`));
  await expect(panel).toContainText('You’re not going.');
  await dora.context.close();
});

test('the list filters by country and format, without JavaScript and live with it', async ({ browser }) => {
  // Heard Island keeps these events apart from the demo ones.
  await createEvent(organiser.context.request, { title: `Heard Island hybrid ${run}`, countries: ['HM'] });

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const page = await plain.newPage();
  await page.goto('/events');
  await page.getByLabel('Country').selectOption('HM');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  // A plain GET form: the empty choices come along.
  await expect(page).toHaveURL(/\/events\?country=HM(&|$)/);
  await expect(page.getByRole('article').filter({ hasText: `Heard Island hybrid ${run}` })).toBeVisible();
  await plain.close();

  const live = await browser.newContext();
  const livePage = await live.newPage();
  await livePage.goto('/events?country=HM');
  await expect(livePage.getByRole('button', { name: 'Apply filters' })).toBeHidden();
  // The filters apply live once the page's scripts run.
  await expect(livePage.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await livePage.getByLabel('Format').selectOption('online');
  await expect(livePage).toHaveURL(/\/events\?country=HM&mode=online$/);
  await expect(livePage.getByText('No event matches these filters')).toBeVisible();
  await expectAccessible(livePage);
  await livePage.getByLabel('Format').selectOption('hybrid');
  await expect(livePage).toHaveURL(/\/events\?country=HM&mode=hybrid$/);
  await expect(livePage.getByRole('article').filter({ hasText: `Heard Island hybrid ${run}` })).toBeVisible();

  // Past events: a tab that keeps the filters.
  await livePage
    .getByRole('navigation', { name: 'Upcoming or past events' })
    .getByRole('link', { name: 'Past' })
    .click();
  await expect(livePage).toHaveURL(/\/events\?when=past&country=HM&mode=hybrid$/);
  await expect(livePage.getByRole('heading', { level: 2, name: 'Past events' })).toBeVisible();
  await live.close();
});

test('an event in French, and a past event', async ({ browser }) => {
  const slug = await createEvent(organiser.context.request, { title: `Atelier francophone ${run}`, capacity: 30 });
  const context = await browser.newContext({ timezoneId: 'Europe/Paris', locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`/fr/events/${slug}`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Atelier francophone ${run}`);
  const panel = page.getByRole('complementary', { name: 'Votre réponse' });
  await expect(panel).toContainText('30 places restantes sur 30');
  await expect(panel.getByRole('link', { name: 'Se connecter pour répondre' })).toHaveAttribute(
    'href',
    `/fr/login?redirectTo=${encodeURIComponent(`/fr/events/${slug}`)}`,
  );
  await expect(page.getByText('C’est aussi votre fuseau horaire.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Fichier d’agenda (.ics)' })).toHaveAttribute(
    'href',
    new RegExp(`/api/v1/events/${slug}/calendar\\.ics`),
  );
  await expectAccessible(page);

  await page.goto('/fr/events');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Événements');
  await expectAccessible(page);

  // An event that is over says so and takes no answer.
  const startsAt = new Date(Date.now() - 3 * 86_400_000);
  const past = await organiser.context.request.post('/api/v1/events', {
    data: {
      title: `Retrospective ${run}`,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      capacity: 10,
    },
  });
  expect(past.status(), await past.text()).toBe(201);
  const pastSlug = ((await past.json()) as { slug: string }).slug;
  await page.goto(`/events/${pastSlug}`);
  await expect(page.getByText('This event has ended').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in to RSVP' })).toHaveCount(0);
  // Its organiser can no longer cancel it (nobody is told of a cancellation after the fact).
  const organiserPage = await organiser.context.newPage();
  await organiserPage.goto(`/events/${pastSlug}/cancel`);
  await expect(organiserPage.getByText('This event is over: it can no longer be cancelled.')).toBeVisible();
  await expect(organiserPage.getByRole('button', { name: 'Yes, cancel the event' })).toHaveCount(0);
  await organiserPage.goto(`/events/${pastSlug}/edit`);
  await expect(organiserPage.getByRole('heading', { level: 1 })).toHaveText('Edit the event');
  await expect(organiserPage.getByRole('link', { name: 'Cancel this event' })).toHaveCount(0);
  await organiserPage.close();
  await context.close();
});

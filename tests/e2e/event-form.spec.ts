import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, run } from './people.ts';

/** A new member signed in in a browser of their own, in Paris (signed up through the API). */
const newMember = membersOf('formfiller', { timezoneId: 'Europe/Paris' });

async function newOrganiser(browser: Browser, first: string, options: { javaScriptEnabled?: boolean } = {}) {
  const member = await newMember(browser, first, options);
  setRole(member.handle, 'organiser');
  return member;
}

const summary = (page: Page) => page.locator('.error-summary');

/** The fields of the form that every event needs (an event on Tuesday 15 January 2030, in Paris). */
async function fillEvent(page: Page, title: string, times: { start: string; end: string }) {
  await page.getByLabel('Title').fill(title);
  const start = page.getByRole('group', { name: 'Starts' });
  await start.getByLabel('Date').fill('2030-01-15');
  await start.getByLabel('Time').fill(times.start);
  const end = page.getByRole('group', { name: 'Ends' });
  await end.getByLabel('Date').fill('2030-01-15');
  await end.getByLabel('Time').fill(times.end);
  await page.getByLabel('Time zone').selectOption('Europe/Paris');
  await page.getByRole('radio', { name: 'In person', exact: true }).check();
  await page.getByLabel('Venue').fill('Salle Marie Curie');
}

test('an organiser creates an event with two seats, edits its time and seats, then cancels it', async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const olga = await newOrganiser(browser, 'Olga');
  const page = await olga.context.newPage();
  await page.goto('/events');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('link', { name: 'Create an event' }).click();
  await expect(page).toHaveURL(/\/events\/new$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an event');
  // The browser's zone is the default.
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Paris');
  await expectAccessible(page);

  // Nothing filled in: every problem at once, in a summary and next to each field.
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(summary(page)).toBeFocused();
  for (const message of [
    'Enter a title',
    'Enter the date the event starts',
    'Enter the date and time the event ends',
    'Choose how people take part',
  ]) {
    await expect(summary(page).getByRole('link', { name: message })).toBeVisible();
  }
  await expect(page.locator('#event-title-error')).toContainText('Enter a title');
  await expect(page).toHaveTitle(/^Error: /);
  await expectAccessible(page);

  // The end before the start: refused, and nothing typed is lost.
  const title = `Form clinic ${run}`;
  await fillEvent(page, title, { start: '09:30', end: '08:00' });
  await expect(page.getByLabel('Web address (optional)')).toHaveValue(`form-clinic-${run}`);
  await page.getByLabel('Seats (optional)').fill('2');
  await page.getByLabel('Description (optional)').fill('A morning on **service design**.');
  await page.getByLabel('Find a country').fill('fran');
  await page.getByRole('checkbox', { name: 'France', exact: true }).check();
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(summary(page).getByRole('link', { name: 'The end must be after the start' })).toBeVisible();
  await expect(page.locator('#event-end-error')).toContainText('The end must be after the start');
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await expect(page.getByLabel('Seats (optional)')).toHaveValue('2');
  await expect(page.getByLabel('Venue')).toHaveValue('Salle Marie Curie');
  await expect(page.getByRole('checkbox', { name: 'France', exact: true })).toBeChecked();
  await expect(page.getByRole('group', { name: 'Ends' }).getByLabel('Time')).toHaveValue('08:00');

  await page.getByRole('group', { name: 'Ends' }).getByLabel('Time').fill('17:00');
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(page).toHaveURL(new RegExp(`/events/form-clinic-${run}$`));
  await expect(page.getByRole('status').filter({ hasText: 'Your event is published.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('main')).toContainText('15 January 2030');
  await expect(page.locator('main')).toContainText(/09:30\s*–\s*17:00 CET/);
  await expect(page.locator('main')).toContainText('2 of 2 seats left');
  await expect(page.locator('main')).toContainText('Salle Marie Curie');
  await page.screenshot({ path: testInfo.outputPath('event-created.png') });

  // Edit from the organiser dashboard: a new time and more seats.
  await page.goto(`/events/form-clinic-${run}/manage`);
  await page.getByRole('link', { name: 'Edit event' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit the event');
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await expect(page.getByRole('group', { name: 'Starts' }).getByLabel('Time')).toHaveValue('09:30');
  await expect(page.getByLabel('Seats (optional)')).toHaveValue('2');
  await expectAccessible(page);
  await page.getByRole('group', { name: 'Starts' }).getByLabel('Time').fill('10:00');
  await page.getByRole('group', { name: 'Ends' }).getByLabel('Time').fill('12:30');
  await page.getByLabel('Seats (optional)').fill('5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(new RegExp(`/events/form-clinic-${run}$`));
  await expect(page.getByRole('status').filter({ hasText: 'Your changes to the event are saved.' })).toBeVisible();
  await expect(page.locator('main')).toContainText(/10:00\s*–\s*12:30 CET/);
  await expect(page.locator('main')).toContainText('5 of 5 seats left');

  // Cancel, after a confirmation.
  await page.goto(`/events/form-clinic-${run}/edit`);
  await page.getByRole('link', { name: 'Cancel this event' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Cancel “${title}”?`);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
  await expect(page).toHaveURL(new RegExp(`/events/form-clinic-${run}$`));
  await expect(page.getByText('This event was cancelled').first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'The event is cancelled.' })).toBeVisible();
  const api = await olga.context.request.get(`/api/v1/events/form-clinic-${run}`);
  expect(((await api.json()) as { status: string }).status).toBe('cancelled');

  // Cancelled, it stays as it is: no more edits, messages or check-ins (the dashboard says so).
  await page.goto(`/events/form-clinic-${run}/manage`);
  await expect(page.getByText('This event was cancelled: it can no longer be edited')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit event' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send the message' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Download the list (CSV)' })).toBeVisible();
  await page.goto(`/events/form-clinic-${run}/checkin`);
  await expect(page.getByRole('status')).toContainText('This event was cancelled: nobody can be checked in.');
  await expect(page.getByLabel('Ticket code')).toHaveCount(0);
  await page.goto(`/events/form-clinic-${run}/edit`);
  await expect(page.getByText('This event was cancelled: it can no longer be edited.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await expectAccessible(page);
  await olga.context.close();
});

test('an organiser names a co-organiser: invited, she accepts from her notification and manages the event', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const [olga, ines, jon] = [
    await newOrganiser(browser, 'Olgainv'),
    await newOrganiser(browser, 'Ines'),
    await newOrganiser(browser, 'Jon', { javaScriptEnabled: false }),
  ];
  const page = await olga.context.newPage();
  await page.goto('/events/new');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const title = `Co-run clinic ${run}`;
  await fillEvent(page, title, { start: '09:00', end: '12:00' });
  const coOrganisers = page.getByLabel('Co-organisers (optional)');
  await expect(page.getByText('Each one named is sent an invitation')).toBeVisible();
  await coOrganisers.fill(`${ines.handle}, ${jon.handle}`);
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(page).toHaveURL(new RegExp(`/events/co-run-clinic-${run}$`));
  const slug = `co-run-clinic-${run}`;

  // Invited, not yet organisers: the dashboard lists them as waiting.
  await page.goto(`/events/${slug}/manage`);
  const waiting = page.getByRole('region', { name: 'Invited to co-organise' });
  await expect(waiting.getByRole('listitem')).toHaveText([ines.name, jon.name].sort());
  await expectAccessible(page);

  // Ines hears of it, opens the notification and answers on the event page, with the keyboard.
  const inesPage = await ines.context.newPage();
  const notification = inesPage.getByRole('button', { name: `${olga.name} invited you to co-organise “${title}”` });
  await expect
    .poll(async () => {
      await inesPage.goto('/notifications');
      return notification.count();
    })
    .toBe(1);
  await expect(inesPage.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await notification.click();
  await expect(inesPage).toHaveURL(new RegExp(`/events/${slug}$`));
  const invitation = inesPage.getByRole('region', { name: 'You are invited to co-organise this event' });
  await expect(invitation).toContainText(`${olga.name} invited you to co-organise it`);
  await expect(inesPage.getByRole('link', { name: 'Manage this event' })).toHaveCount(0);
  expect((await inesPage.goto(`/events/${slug}/manage`))?.status()).toBe(403);

  // The same in French.
  await inesPage.goto(`/fr/events/${slug}`);
  const enFrancais = inesPage.getByRole('region', { name: 'Vous êtes invité·e à co-organiser cet événement' });
  await expect(enFrancais).toContainText(`${olga.name} vous invite à le co-organiser`);
  await expect(enFrancais.getByRole('button', { name: 'Accepter l’invitation' })).toBeVisible();
  await expect(enFrancais.getByRole('button', { name: 'Refuser' })).toBeVisible();
  await expectAccessible(inesPage);

  await inesPage.goto(`/events/${slug}`);
  await expect(inesPage.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(inesPage);
  const accept = invitation.getByRole('button', { name: 'Accept the invitation' });
  for (let presses = 0; presses < 80 && !(await accept.evaluate((b) => b === document.activeElement)); presses += 1) {
    await inesPage.keyboard.press('Tab');
  }
  await expect(accept).toBeFocused();
  await inesPage.keyboard.press('Enter');
  await expect(inesPage.getByRole('status').filter({ hasText: 'You now co-organise this event.' })).toBeVisible();
  await expect(invitation).toHaveCount(0);
  await inesPage.getByRole('link', { name: 'Manage this event' }).click();
  await expect(inesPage.getByRole('heading', { level: 1, name: 'Organiser dashboard' })).toBeVisible();
  await inesPage.getByRole('link', { name: 'Edit event' }).click();
  await expect(inesPage.getByLabel('Title')).toHaveValue(title);
  // Jon has not answered yet: he stays in the list, so saving keeps his invitation.
  await expect(inesPage.getByLabel('Co-organisers (optional)')).toHaveValue(`${ines.handle}, ${jon.handle}`);

  // Jon, without JavaScript, declines: the plain form works, and he stays out.
  const jonPage = await jon.context.newPage();
  await jonPage.goto(`/events/${slug}`);
  await jonPage.getByRole('button', { name: 'Decline' }).click();
  await expect(jonPage.getByRole('status').filter({ hasText: 'You declined the invitation' })).toBeVisible();
  await expect(jonPage.getByRole('region', { name: 'You are invited to co-organise this event' })).toHaveCount(0);
  await page.goto(`/events/${slug}/manage`);
  await expect(page.getByRole('region', { name: 'Invited to co-organise' })).toHaveCount(0);
  const api = (await (await olga.context.request.get(`/api/v1/events/${slug}`)).json()) as {
    organisers: { handle: string }[];
  };
  expect(api.organisers.map((o) => o.handle).sort()).toEqual([ines.handle, olga.handle].sort());
  await Promise.all([olga.context.close(), ines.context.close(), jon.context.close()]);
});

test('a member cannot create events; a visitor is asked to sign in', async ({ browser }) => {
  const mia = await newMember(browser, 'Mia');
  const page = await mia.context.newPage();
  await page.goto('/events');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Events');
  await expect(page.getByRole('link', { name: 'Create an event' })).toHaveCount(0);
  const refused = await page.goto('/events/new');
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot create events');
  await expectAccessible(page);
  await mia.context.close();

  const visitor = await browser.newContext({ locale: 'en-GB' });
  const anonymous = await visitor.newPage();
  await anonymous.goto('/events/new');
  await expect(anonymous).toHaveURL(/\/login\?redirectTo=%2Fevents%2Fnew$/);
  await visitor.close();
});

test('the form speaks French under /fr', async ({ browser }) => {
  const leo = await newOrganiser(browser, 'Leo');
  const page = await leo.context.newPage();
  await page.goto('/fr/events/new');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Créer un événement');
  await page.getByRole('button', { name: 'Publier l’événement' }).click();
  await expect(summary(page)).toContainText('Il y a un problème');
  await expect(page.locator('#event-title-error')).toContainText('Saisissez un titre');
  await expect(page.locator('#event-start-error')).toContainText('Saisissez la date de début de l’événement');
  await expectAccessible(page);
  await leo.context.close();
});

test('the form works without JavaScript', async ({ browser }) => {
  const noa = await newOrganiser(browser, 'Noa', { javaScriptEnabled: false });
  const page = await noa.context.newPage();
  await page.goto('/events/new');
  const title = `No script meetup ${run}`;
  await fillEvent(page, title, { start: '18:00', end: '17:00' });
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(page.locator('#event-end-error')).toContainText('The end must be after the start');
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await page.getByRole('group', { name: 'Ends' }).getByLabel('Time').fill('20:00');
  await page.getByRole('button', { name: 'Publish the event' }).click();
  await expect(page).toHaveURL(new RegExp(`/events/no-script-meetup-${run}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('main')).toContainText(/18:00\s*–\s*20:00 CET/);
  await expect(page.getByText('Your event is published.')).toBeVisible();
  await noa.context.close();
});

test('the calendar settings give a private feed address that calendar apps can read', async ({ browser }) => {
  const cal = await newMember(browser, 'Cal');
  const page = await cal.context.newPage();
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Calendar feed' }).click();
  await expect(page).toHaveURL(/\/settings\/calendar$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Calendar feed');
  await expect(page.getByText('You have no feed address yet.')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Create my feed address' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your feed address is created.' })).toBeVisible();
  const field = page.getByRole('textbox', { name: 'Feed address' });
  await expect(field).toHaveValue(/\/api\/v1\/calendar\/[a-z2-7]{32}\.ics$/);
  const url = await field.inputValue();
  await expect(page.getByRole('link', { name: 'Subscribe in my calendar app' })).toHaveAttribute(
    'href',
    url.replace(/^https?:/, 'webcal:'),
  );
  await expectAccessible(page);
  const feed = await cal.context.request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');

  // Turned off: the address stops working.
  await page.getByRole('button', { name: 'Turn off the feed' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your calendar feed is turned off' })).toBeVisible();
  expect((await cal.context.request.get(url)).status()).toBe(404);
  await cal.context.close();
});

test('the form is calm at 320 px and on a desktop, and nothing scrolls sideways', async ({ browser }, testInfo) => {
  const ada = await newOrganiser(browser, 'Ada');
  const page = await ada.context.newPage();
  for (const width of [1280, 320]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/events/new');
    await page.getByRole('button', { name: 'Publish the event' }).click();
    await expect(summary(page)).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `sideways scroll at ${width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath(`event-form-${width}.png`), fullPage: true });
  }
  // The edit and cancel pages of an event of hers, still at 320 px.
  const starts = new Date(Date.now() + 20 * 86_400_000);
  const created = await ada.context.request.post('/api/v1/events', {
    data: {
      title: `A rather long title for a small screen ${run}`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
      timezone: 'America/Port_of_Spain',
      mode: 'hybrid',
      venue: 'Salle 1',
      onlineUrl: 'https://meet.example.org/a-very-long-room-name-that-goes-on-and-on',
      capacity: 30,
    },
  });
  expect(created.status()).toBe(201);
  const slug = ((await created.json()) as { slug: string }).slug;
  for (const path of [`/events/${slug}/edit`, `/events/${slug}/cancel`]) {
    await page.goto(path);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways, `sideways scroll on ${path}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: testInfo.outputPath(`${path.split('/').pop()}-320.png`), fullPage: true });
  }
  await page.goto('/settings/calendar');
  await page.getByRole('button', { name: 'Create my feed address' }).click();
  await expect(page.getByRole('textbox', { name: 'Feed address' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'sideways scroll on the calendar page').toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('calendar-320.png'), fullPage: true });
  await ada.context.close();
});

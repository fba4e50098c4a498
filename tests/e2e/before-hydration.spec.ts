/**
 * What a person chooses or types before the page's scripts run stays chosen once they do: the
 * page is painted, and used, a while before it hydrates on a slow phone. Radios and boxes the
 * server rendered as checked or not, and the filters the page keeps in step by hand, used to be
 * set back to what the server rendered.
 */
import { expect, test } from '@playwright/test';
import { beforeHydration } from './hydration.ts';
import { newMember, run, withoutScripts } from './people.ts';
import { setRole } from './roles.ts';
import { newCase } from './threads.ts';

test('a visitor who chooses a filter or types a search before the page runs keeps it', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();

  const countries = page.getByRole('group', { name: 'Country' });
  const france = countries.getByRole('radio', { name: /France/ });
  await beforeHydration(page, '/cases', () => france.check());
  await expect(france).toBeChecked();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]country=FR/);

  const country = page.getByLabel('Country');
  let picked = '';
  await beforeHydration(page, '/people', async () => {
    picked = (await country.locator('option').nth(1).getAttribute('value')) ?? '';
    await country.selectOption(picked);
  });
  expect(picked).not.toBe('');
  await expect(country).toHaveValue(picked);

  const words = `open data ${run}`;
  await beforeHydration(page, '/search?q=budget', () => page.locator('#search-q').fill(words));
  await expect(page.locator('#search-q')).toHaveValue(words);
  await context.close();
});

test('a member who chooses in settings or a report form before the page runs keeps the choice', async ({ browser }) => {
  const [ada, ben] = [
    await newMember(browser, 'Ada', { tag: 'early' }),
    await newMember(browser, 'Ben', { tag: 'early' }),
  ];
  const page = await ada.context.newPage();

  const french = page.getByRole('radio', { name: 'Français' });
  await beforeHydration(page, '/settings/language', () => french.check());
  await expect(french).toBeChecked();

  const introductions = page.getByRole('checkbox', { name: 'Open to introductions' });
  let was = false;
  await beforeHydration(page, '/settings/profile', async () => {
    was = await introductions.isChecked();
    await introductions.setChecked(!was);
  });
  await expect(introductions).toBeChecked({ checked: !was });

  const weekly = page.getByRole('radio', { name: 'Weekly, on Monday morning' });
  await beforeHydration(page, '/settings/notifications', () => weekly.check());
  await expect(weekly).toBeChecked();

  const spam = page.getByRole('radio', { name: 'Spam or advertising' });
  const note = page.getByLabel('Anything the moderators should know (optional)');
  await beforeHydration(page, `/report?type=person&target=${ben.handle}`, async () => {
    await spam.check();
    await note.fill(`Written early ${run}`);
  });
  await expect(spam).toBeChecked();
  await expect(note).toHaveValue(`Written early ${run}`);
  await page.getByRole('button', { name: 'Send the report' }).click();
  await expect(page.getByText('Thank you. The moderators will look at your report')).toBeVisible();

  for (const m of [ada, ben]) await m.context.close();
});

test('an organiser and an admin who choose before the page runs keep the choice', async ({ browser }) => {
  const cleo = await newMember(browser, 'Cleo', { tag: 'early' });
  setRole(cleo.handle, 'admin');
  const page = await cleo.context.newPage();

  // The event form: "Online" chosen early is kept, and the venue fields it hides are hidden.
  const online = page.getByRole('radio', { name: 'Online', exact: true });
  await beforeHydration(page, '/events/new', () => online.check());
  await expect(online).toBeChecked();
  await expect(page.getByLabel('Venue')).toBeHidden();

  // The case form: a body written early stays, and the preview shows it once the page runs.
  const body = page.getByLabel('The case in detail (optional)');
  await beforeHydration(page, '/cases/new', () => body.fill('Written **early**.'));
  await expect(body).toHaveValue('Written **early**.');
  await expect(page.getByTestId('case-preview').locator('strong')).toHaveText('early');

  const suspendedOnly = page.getByRole('checkbox', { name: 'Suspended members only' });
  const search = page.getByLabel('Name or handle');
  await beforeHydration(page, '/admin', async () => {
    await suspendedOnly.check();
    await search.fill('early');
  });
  await expect(suspendedOnly).toBeChecked();
  await expect(search).toHaveValue('early');

  const untilLifted = page.getByRole('radio', { name: 'Until lifted by a moderator' });
  await beforeHydration(page, '/admin/suspensions', () => untilLifted.check());
  await expect(untilLifted).toBeChecked();
  await cleo.context.close();
});

test('long texts are in the page itself: without JavaScript, saving a profile, a case or an event keeps them', async ({
  browser,
}) => {
  const dana = await newMember(browser, 'Dana', { tag: 'early' });
  setRole(dana.handle, 'organiser');
  const bio = `I run a **service design** lab ${run}.`;
  expect((await dana.context.request.patch('/api/v1/me/profile', { data: { bio } })).status()).toBe(200);
  const body = `How the pilot went, in detail ${run}.`;
  const made = await newCase(dana, 'Kept texts', { prefix: 'h', summary: `A short summary ${run}.`, body });
  const starts = new Date(Date.now() + 7 * 86_400_000);
  const event = await dana.context.request.post('/api/v1/events', {
    data: {
      title: `Kept description ${run}`,
      description: `A day on **open data** ${run}.`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/kept',
      countries: ['FR'],
      themes: ['open-government'],
    },
  });
  expect(event.status(), await event.text()).toBe(201);
  const eventSlug = ((await event.json()) as { slug: string }).slug;

  const plain = await withoutScripts(browser, dana);
  const page = await plain.newPage();
  await page.goto('/settings/profile');
  await expect(page.getByLabel('About you')).toHaveValue(bio);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByLabel('About you')).toHaveValue(bio);
  const profile = await dana.context.request.get(`/api/v1/people/${dana.handle}`);
  expect(((await profile.json()) as { bio: string }).bio).toBe(bio);

  await page.goto(`/cases/${made.slug}/edit`);
  await expect(page.getByLabel('Summary')).toHaveValue(`A short summary ${run}.`);
  await expect(page.getByLabel('The case in detail')).toHaveValue(body);

  await page.goto(`/events/${eventSlug}/edit`);
  await expect(page.getByLabel('Description')).toHaveValue(`A day on **open data** ${run}.`);
  await plain.close();
  await dana.context.close();
});

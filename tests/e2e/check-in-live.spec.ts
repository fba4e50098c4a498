/**
 * The door on two devices: the organiser's check-in page open in two browsers; whoever is checked
 * in on one (by code, by name, or through the API from a third device) shows as checked in on the
 * other without a reload, so the door never offers "Check in" for someone already in. Without a
 * camera scanner (headless Chromium has no BarcodeDetector) the manual code path is explained,
 * and it works without JavaScript.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run } from './people.ts';

const newMember = membersOf('door');

/** A page that has not reloaded since it was marked. */
async function mark(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
}
const stillHere = (page: Page) => page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere);

test('a check-in on one device shows on the other without a reload', async ({ browser }) => {
  test.setTimeout(120_000);
  const olga = await newMember(browser, 'Olga');
  setRole(olga.handle, 'organiser');
  const starts = new Date(Date.now() + 3 * 86_400_000);
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title: `Two doors ${run}`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Salle 2',
    },
  });
  expect(created.status()).toBe(201);
  const slug = ((await created.json()) as { slug: string }).slug;
  const guests = [await newMember(browser, 'Amy'), await newMember(browser, 'Bob'), await newMember(browser, 'Cyd')];
  const tickets: string[] = [];
  for (const g of guests) {
    const res = await g.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } });
    tickets.push(((await res.json()) as { ticketCode: string }).ticketCode);
  }
  const [amy, bob, cyd] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];

  // The same organiser on a second device (another browser, signed in there).
  const second = await browser.newContext({ locale: 'en-GB' });
  expect(
    (await second.request.post('/api/v1/auth/login', { data: { email: olga.email, password: PASSWORD } })).status(),
  ).toBe(200);
  const doorA = await olga.context.newPage();
  const doorB = await second.newPage();
  for (const door of [doorA, doorB]) {
    await door.goto(`/events/${slug}/checkin`);
    await expect(door.getByText('0 of 3 checked in')).toBeVisible();
    await expect(door.getByRole('button', { name: `Check in ${amy.name}` })).toBeVisible();
    // No camera scanner here: the manual path says what to type.
    await expect(door.getByRole('button', { name: 'Scan a QR code' })).toHaveCount(0);
    await expect(door.getByText('Type the code shown under the QR code')).toBeVisible();
    await mark(door);
  }
  await expectAccessible(doorB);

  // Device A: Amy by her code. Device B follows.
  await doorA.getByLabel('Ticket code').fill(tickets[0]!);
  await doorA.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(doorA.getByRole('status')).toContainText(`${amy.name} is checked in`);
  await expect(doorA.getByRole('button', { name: `Check in ${amy.name}` })).toHaveCount(0);
  await expect(doorA.getByText('1 of 3 checked in')).toBeVisible();
  await expect(doorB.getByRole('button', { name: `Check in ${amy.name}` })).toHaveCount(0);
  await expect(doorB.getByRole('listitem').filter({ hasText: amy.name })).toContainText('checked in at');
  await expect(doorB.getByText('1 of 3 checked in')).toBeVisible();
  await expect(doorB.getByText(`${amy.name} was checked in on another device`)).toBeVisible();

  // Device B: Bob by name. Device A follows.
  await doorB.getByRole('button', { name: `Check in ${bob.name}` }).click();
  await expect(doorB.getByRole('status')).toContainText(`${bob.name} is checked in`);
  await expect(doorA.getByRole('button', { name: `Check in ${bob.name}` })).toHaveCount(0);
  await expect(doorA.getByText('2 of 3 checked in')).toBeVisible();

  // A third device (the API): both doors follow.
  const third = await olga.context.request.post(`/api/v1/events/${slug}/checkins`, { data: { handle: cyd.handle } });
  expect(third.status()).toBe(200);
  for (const door of [doorA, doorB]) {
    await expect(door.getByRole('button', { name: `Check in ${cyd.name}` })).toHaveCount(0);
    await expect(door.getByText('3 of 3 checked in')).toBeVisible();
  }
  expect(await stillHere(doorA)).toBe(true);
  await expectAccessible(doorA);
  await doorA.screenshot({ path: 'test-results/check-in-live.png', fullPage: true });

  // On a phone at the door, in French.
  await doorB.setViewportSize({ width: 375, height: 812 });
  await doorB.goto(`/fr/events/${slug}/checkin`);
  await expect(doorB.getByText('3 sur 3 enregistrés')).toBeVisible();
  await expectAccessible(doorB);
  await doorB.screenshot({ path: 'test-results/check-in-375-fr.png', fullPage: true });

  await Promise.all([olga.context.close(), second.close(), ...guests.map((g) => g.context.close())]);
});

test('the manual code path works without JavaScript', async ({ browser }) => {
  const olga = await newMember(browser, 'Nora');
  setRole(olga.handle, 'organiser');
  const starts = new Date(Date.now() + 3 * 86_400_000);
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title: `Plain door ${run}`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Salle 3',
    },
  });
  const slug = ((await created.json()) as { slug: string }).slug;
  const guest = await newMember(browser, 'Gus');
  const code = (
    (await (await guest.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } })).json()) as {
      ticketCode: string;
    }
  ).ticketCode;
  const plain = await browser.newContext({ locale: 'en-GB', javaScriptEnabled: false });
  expect(
    (await plain.request.post('/api/v1/auth/login', { data: { email: olga.email, password: PASSWORD } })).status(),
  ).toBe(200);
  const door = await plain.newPage();
  await door.goto(`/events/${slug}/checkin`);
  await door.getByLabel('Ticket code').fill(code);
  await door.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(door.getByRole('status')).toContainText(`${guest.name} is checked in`);
  await expect(door.getByText('1 of 1 checked in')).toBeVisible();
  await expect(door.getByRole('button', { name: `Check in ${guest.name}` })).toHaveCount(0);
  await Promise.all([olga.context.close(), guest.context.close(), plain.close()]);
});

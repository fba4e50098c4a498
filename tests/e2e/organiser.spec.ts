import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, run } from './people.ts';

const newMember = membersOf('organised');

test('the organiser sees sign-ups arrive live and checks people in by code and by name', async ({ browser }) => {
  test.setTimeout(120_000);
  const olga = await newMember(browser, 'Olga');
  setRole(olga.handle, 'organiser');
  const starts = new Date(Date.now() + 5 * 86_400_000);
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title: `Door check ${run}`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Salle 1',
      capacity: 2,
    },
  });
  expect(created.status()).toBe(201);
  const slug = ((await created.json()) as { slug: string }).slug;
  const [amy, bob, cyd] = [
    await newMember(browser, 'Amy'),
    await newMember(browser, 'Bob'),
    await newMember(browser, 'Cyd'),
  ];
  const amyTicket = (
    (await (await amy.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } })).json()) as {
      ticketCode: string;
    }
  ).ticketCode;

  const page = await olga.context.newPage();
  await page.goto(`/events/${slug}/manage`);
  await expect(page.getByRole('heading', { name: 'Organiser dashboard' })).toBeVisible();
  await expect(page.getByRole('definition').first()).toHaveText('1 / 2');
  await expectAccessible(page);
  // Bob answers while the dashboard is open: the counts and the table follow without a reload.
  await bob.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } });
  await cyd.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } });
  await expect(page.getByRole('definition').first()).toHaveText('2 / 2');
  await expect(page.getByRole('row', { name: new RegExp(cyd.name) })).toContainText('Waitlisted (#1)');

  await page.getByRole('link', { name: 'Check people in' }).click();
  await expect(page.getByText('0 of 2 checked in')).toBeVisible();
  // Typed as people read it off a phone: lower case, with a dash.
  await page.getByLabel('Ticket code').fill(`${amyTicket.slice(0, 5).toLowerCase()}-${amyTicket.slice(5)}`);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(page.getByRole('status')).toContainText(`${amy.name} is checked in`);
  await page.getByLabel('Ticket code').fill(amyTicket);
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('was already checked in');
  await page.getByLabel('Ticket code').fill('ZZZZZZZZZZ');
  await page.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('No ticket with this code');
  await page.getByRole('button', { name: `Check in ${bob.name}` }).click();
  await expect(page.getByRole('status')).toContainText(`${bob.name} is checked in`);
  await expect(page.getByText('2 of 2 checked in')).toBeVisible();
  await expectAccessible(page);

  // Not for others.
  const other = await amy.context.newPage();
  for (const path of [`/events/${slug}/manage`, `/events/${slug}/checkin`]) {
    const response = await other.goto(path);
    expect(response?.status()).toBe(403);
  }
  for (const member of [olga, amy, bob, cyd]) await member.context.close();
});

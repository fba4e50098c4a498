import { expect, test, type WebSocket } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD } from './people.ts';

const newMember = membersOf('admin');

test('an admin makes a member a moderator from /admin, and finds it in the moderation log', async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await newMember(browser, 'Ada');
  setRole(admin.handle, 'admin');
  const member = await newMember(browser, 'Mia');

  const page = await admin.context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByText(admin.name).click();
  await page.getByRole('link', { name: 'Administration' }).click();
  await expect(page.getByRole('heading', { name: 'Members', level: 2 })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Name or handle').fill(member.handle);
  await page.getByRole('button', { name: 'Search' }).click();
  const card = page.getByTestId('admin-person').filter({ hasText: `@${member.handle}` });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Member');
  // With the keyboard: choose the role, give the reason, press Enter.
  await card.getByLabel(/New role/).selectOption('moderator');
  await card.getByLabel(/Reason/).fill('Helps with the queue');
  await card.getByLabel(/Reason/).press('Enter');
  await expect(page.getByRole('status')).toHaveText(`${member.name} is now: Moderator.`);
  await expect(card.locator('dd').first()).toHaveText('Moderator');

  // At once, on the member's existing session.
  const me = await member.context.request.get('/api/v1/me');
  expect(((await me.json()) as { user: { role: string } }).user.role).toBe('moderator');

  await page.getByRole('link', { name: 'Moderation log' }).click();
  const entry = page
    .getByTestId('log-entry')
    .filter({ hasText: `@${member.handle}` })
    .first();
  await expect(entry).toContainText('Role changed (Member → Moderator)');
  await expect(entry).toContainText(`by @${admin.handle}`);
  await expect(entry).toContainText('Helps with the queue');
  await expectAccessible(page);
  await page.getByLabel('Target (handle, post number or slug)').fill(member.handle);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('log-entry')).toHaveCount(1);

  // A moderator is not an admin: the admin pages answer 403.
  const moderatorPage = await member.context.newPage();
  const refused = await moderatorPage.goto('/admin');
  expect(refused?.status()).toBe(403);
  await expect(moderatorPage.getByRole('heading', { name: 'For admins only' })).toBeVisible();

  await admin.context.close();
  await member.context.close();
});

test('a member suspended while their case page is open is told they were signed out; sign-in then says until when, in French', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const admin = await newMember(browser, 'Adele');
  setRole(admin.handle, 'admin');
  const member = await newMember(browser, 'Sam', { locale: 'fr-FR' });
  const cases = await member.context.request.get('/api/v1/cases?limit=1');
  const slug = ((await cases.json()) as { items: { slug: string }[] }).items[0]!.slug;

  const memberPage = await member.context.newPage();
  const sockets: WebSocket[] = [];
  memberPage.on('websocket', (ws) => {
    if (ws.url().includes('/socket.io/')) sockets.push(ws);
  });
  const opened = memberPage.waitForEvent('websocket', (ws) => ws.url().includes('/socket.io/'));
  await memberPage.goto(`/cases/${slug}`);
  await expect(memberPage.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const socket = await opened;
  const closed = socket.waitForEvent('close');

  const page = await admin.context.newPage();
  await page.goto('/admin/suspensions');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Member’s handle').fill(member.handle);
  await page.getByLabel('Number of days', { exact: true }).fill('3');
  await page.getByLabel('Reason', { exact: true }).fill('Repeated spam');
  await page.getByRole('button', { name: 'Suspend', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`@${member.handle} is suspended.`);
  const listed = page.getByTestId('admin-suspension').filter({ hasText: `@${member.handle}` });
  await expect(listed).toContainText('Repeated spam');
  await expectAccessible(page);

  // The member's page: the server closed its socket, and the page says why, once.
  await closed;
  await expect(memberPage.getByRole('alert')).toContainText('You have been signed out');
  await expect(memberPage.getByRole('link', { name: 'Sign in again' })).toBeVisible();
  // Shown as a signed-out reader sees it; the socket came back once, anonymous, and stays.
  await expect(memberPage.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect.poll(() => sockets.length).toBe(2);
  expect(sockets[1]!.isClosed()).toBe(false);

  // Sign-in: the suspension in words, with its end date and the reason, in French.
  const suspensions = await admin.context.request.get('/api/v1/moderation/suspensions?limit=100');
  const mine = ((await suspensions.json()) as { items: { handle: string; suspendedUntil: string }[] }).items.find(
    (s) => s.handle === member.handle,
  )!;
  const until = new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(new Date(mine.suspendedUntil));
  await memberPage.goto('/fr/login');
  await memberPage.getByLabel('Adresse e-mail').fill(`${member.handle}@example.org`);
  await memberPage.getByLabel('Mot de passe').fill(PASSWORD);
  await memberPage.getByRole('button', { name: 'Se connecter' }).click();
  await expect(
    memberPage.getByText(`Votre compte est suspendu jusqu’au ${until}. Motif indiqué : Repeated spam`),
  ).toBeVisible();
  await expectAccessible(memberPage);

  // Lifted from the same page, with a reason.
  await listed.getByLabel(/Reason/).fill('Appeal accepted');
  await listed.getByRole('button', { name: /Lift the suspension/ }).click();
  await expect(page.getByRole('status')).toHaveText(`The suspension of @${member.handle} is lifted.`);
  const back = await member.context.request.post('/api/v1/auth/login', {
    data: { email: `${member.handle}@example.org`, password: PASSWORD },
  });
  expect(back.status()).toBe(200);

  await admin.context.close();
  await member.context.close();
});

test('/transparency and /admin are accessible in English and French, and the report downloads', async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await newMember(browser, 'Axel');
  setRole(admin.handle, 'admin');
  const page = await admin.context.newPage();

  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Transparency' }).click();
  await expect(page.getByRole('heading', { name: 'Transparency report', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What the numbers mean' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(3);
  await expectAccessible(page);
  const csv = await admin.context.request.get(
    (await page.getByRole('link', { name: 'CSV (spreadsheet)' }).getAttribute('href'))!,
  );
  expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="transparency-/);
  expect((await csv.text()).split('\r\n')[0]).toMatch(/^month,reports,reports_spam,/);

  await page.goto('/transparency?from=2026-06&to=2026-01');
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expectAccessible(page);

  await page.goto('/fr/transparency');
  await expect(page.getByRole('heading', { name: 'Rapport de transparence', level: 1 })).toBeVisible();
  await expectAccessible(page);

  for (const path of [
    '/admin',
    '/admin/suspensions',
    '/admin/log',
    '/fr/admin',
    '/fr/admin/suspensions',
    '/fr/admin/log',
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
    await expectAccessible(page);
  }
  await admin.context.close();
});

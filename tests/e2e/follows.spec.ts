import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, run, type Member } from './people.ts';
import { newCase as createCase, post } from './threads.ts';

const THEME = { slug: 'open-government', name: 'Open government' };

const newMember = membersOf('follows');

let organiser: Member;

const newCase = (title: string, themes: string[]) =>
  createCase(organiser, title, { prefix: 'f', summary: 'A case for a follows journey.', countries: ['NZ'], themes });

/** The body of an .eml file, its quoted-printable encoding undone. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/** The newest email to an address in the e2e server's outbox (DATA_DIR/outbox). */
async function emailTo(address: string, matching: RegExp): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR ?? '', 'outbox');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.eml'))
      .sort()
      .reverse();
    for (const name of names) {
      const raw = await readFile(join(dir, name), 'utf8');
      // Headers unfolded (RFC 5322), the body decoded.
      const split = raw.search(/\r?\n\r?\n/);
      const text = `${raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ')}\n${decodeQuotedPrintable(raw.slice(split))}`;
      if (new RegExp(`^To: .*${address.replace(/[.+]/g, '\\$&')}`, 'im').test(text) && matching.test(text)) return text;
    }
    if (Date.now() > deadline) throw new Error(`No email to ${address} matching ${matching} in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function bell(page: Page) {
  return page.getByRole('banner').getByRole('link', { name: /^Notifications/ });
}

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Olga');
  setRole(organiser.handle, 'organiser');
});

test.afterAll(async () => {
  await organiser.context.close();
});

test('follow a theme: a post on a case in it lights the bell live, and the feed says why', async ({ browser }) => {
  test.setTimeout(120_000);
  const item = await newCase('Open budgets', [THEME.slug]);
  const [fatima, ben] = [await newMember(browser, 'Fatima'), await newMember(browser, 'Ben')];
  const page = await fatima.context.newPage();

  await page.goto(`/themes/${THEME.slug}`);
  const follow = page.getByRole('button', { name: `Follow: ${THEME.name}` });
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  await follow.click();
  await expect(page.getByRole('button', { name: `Following: ${THEME.name}` })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status').filter({ hasText: `You follow ${THEME.name}.` })).toHaveCount(1);
  // Nothing unread yet: the bell has no count.
  await expect(bell(page)).toHaveAccessibleName('Notifications');

  // Ben posts on a case in the theme, from his own browser: Fatima's bell updates where she is.
  const benPage = await ben.context.newPage();
  await benPage.goto(`/cases/${item.slug}`);
  await benPage.getByLabel('Your post').fill(`Budgets should be readable by everyone ${run}`);
  await benPage.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(benPage.locator('#discussion').getByText(`Budgets should be readable by everyone ${run}`)).toBeVisible();

  await expect(bell(page)).toHaveAccessibleName('Notifications, 1 unread', { timeout: 15_000 });
  await expect(page.getByTestId('unread-count')).toHaveText('1');
  await expect(
    page.locator('[aria-live="polite"]').filter({ hasText: `${ben.name} posted in “${item.title}”` }),
  ).toHaveCount(1);

  // The feed shows the post and the reason.
  await page.getByRole('navigation', { name: /main/i }).getByRole('link', { name: 'Feed' }).click();
  await expect(page).toHaveURL(/\/feed$/);
  const entry = page.getByRole('article').filter({ hasText: `${ben.name} posted in` });
  await expect(entry.getByRole('link', { name: `${ben.name} posted in “${item.title}”` })).toBeVisible();
  await expect(entry).toContainText(`Because you follow ${THEME.name}`);
  await expect(entry).toContainText('Budgets should be readable by everyone');
  await expectAccessible(page);

  // The notifications page: open it, mark everything read, the bell goes quiet.
  await bell(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(page.getByRole('button', { name: `${ben.name} posted in “${item.title}”` })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'All notifications are marked as read.' })).toHaveCount(1);
  await expect(bell(page)).toHaveAccessibleName('Notifications');

  // Unfollow from the theme page: the next post in the theme does not reach her.
  await page.goto(`/themes/${THEME.slug}`);
  await page.getByRole('button', { name: `Following: ${THEME.name}` }).click();
  await expect(page.getByRole('button', { name: `Follow: ${THEME.name}` })).toHaveAttribute('aria-pressed', 'false');
  await post(ben, item.slug, `A second thought ${run}`);
  await page.goto('/feed');
  await expect(page.getByText('Your feed is empty for now.')).toBeVisible();
  await page.goto('/notifications?unread=true');
  await expect(page.getByText('You have read everything.')).toBeVisible();

  await Promise.all([fatima.context.close(), ben.context.close()]);
});

test('without JavaScript: follow a case, read the feed, mark a notification read', async ({ browser }) => {
  test.setTimeout(90_000);
  const item = await newCase('Quiet follow', ['open-government']);
  const [noel, ana] = [await newMember(browser, 'Noel', { javaScriptEnabled: false }), await newMember(browser, 'Ana')];
  const page = await noel.context.newPage();
  await page.goto(`/cases/${item.slug}`);
  await page.getByRole('button', { name: `Follow: ${item.title}` }).click();
  await expect(page.getByRole('button', { name: `Following: ${item.title}` })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('1 follower')).toBeVisible();

  await post(ana, item.slug, `Following this closely ${run}`);
  await expect
    .poll(async () => {
      await page.goto('/feed');
      return page
        .getByRole('article')
        .filter({ hasText: `${ana.name} posted in` })
        .count();
    })
    .toBe(1);
  await expect(page.getByRole('article').filter({ hasText: `${ana.name} posted in` })).toContainText(
    `Because you follow ${item.title}`,
  );

  await page.goto('/notifications');
  await page.getByRole('button', { name: `${ana.name} posted in “${item.title}”` }).click();
  // Opening it marks it read and goes to the case.
  await expect(page).toHaveURL(new RegExp(`/cases/${item.slug}`));
  await page.goto('/notifications?unread=true');
  await expect(page.getByText('You have read everything.')).toBeVisible();
  await Promise.all([noel.context.close(), ana.context.close()]);
});

test('notification settings, an email for a reply, and its unsubscribe link that needs no sign-in', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const item = await newCase('Email replies', ['open-government']);
  const [rosa, sam] = [await newMember(browser, 'Rosa'), await newMember(browser, 'Sam')];
  const page = await rosa.context.newPage();
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Notification settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notification settings' })).toBeVisible();
  await expectAccessible(page);
  const replies = page.getByRole('group', { name: 'Replies to your posts' });
  await replies.getByLabel('In the app and by email').check();
  await page
    .getByRole('group', { name: /Email digest/ })
    .getByLabel('Daily')
    .check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your notification settings are saved.' })).toHaveCount(1);
  await page.reload();
  await expect(
    page.getByRole('group', { name: 'Replies to your posts' }).getByLabel('In the app and by email'),
  ).toBeChecked();
  await expect(page.getByRole('group', { name: /Email digest/ }).getByLabel('Daily')).toBeChecked();

  const mine = await post(rosa, item.slug, `Who else publishes budgets as data? ${run}`);
  await post(sam, item.slug, `We do, every quarter ${run}`, mine);
  const mail = await emailTo(rosa.email, /We do, every quarter|Sam Follows/);
  expect(mail).toMatch(
    /^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/api\/v1\/unsubscribe\/[a-z2-7]{32}\?kind=reply>/m,
  );
  expect(mail).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  const link = /http:\/\/127\.0\.0\.1:\d+(\/unsubscribe\/[a-z2-7]{32}\?kind=reply)/.exec(mail)?.[1];
  expect(link, 'the unsubscribe page link in the email').toBeTruthy();

  // Someone who is not signed in (a mail client on another device) follows the link.
  const stranger = await browser.newContext({ locale: 'en-GB' });
  const visit = await stranger.newPage();
  await visit.goto(link!);
  await expect(visit.getByText('Stop receiving emails about: Replies to your posts?')).toBeVisible();
  await expectAccessible(visit);
  await visit.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(visit.getByText('Done: you will no longer receive emails about: Replies to your posts.')).toBeVisible();
  await page.goto('/settings/notifications');
  await expect(
    page.getByRole('group', { name: 'Replies to your posts' }).getByLabel('In the app', { exact: true }),
  ).toBeChecked();
  await visit.getByRole('button', { name: 'Undo' }).click();
  await expect(visit.getByText('You are subscribed again.')).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole('group', { name: 'Replies to your posts' }).getByLabel('In the app and by email'),
  ).toBeChecked();

  // A made-up token is refused with a way forward.
  await visit.goto(`/unsubscribe/${'a'.repeat(32)}?kind=digest`);
  await visit.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(visit.getByRole('alert')).toContainText('This unsubscribe link is not valid');
  await Promise.all([rosa.context.close(), sam.context.close(), stranger.close()]);
});

test('in French: the feed, notifications and their settings', async ({ browser }) => {
  const claire = await newMember(browser, 'Claire');
  const page = await claire.context.newPage();
  await page.goto('/fr/feed');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Votre fil' })).toBeVisible();
  await expectAccessible(page);
  await page.goto('/fr/notifications');
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(page.getByText('Aucune notification pour l’instant.')).toBeVisible();
  await page.goto('/fr/settings/notifications');
  await expect(page.getByRole('heading', { level: 1, name: 'Paramètres des notifications' })).toBeVisible();
  await expectAccessible(page);
  // A narrow phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/fr/feed', '/fr/notifications', '/fr/settings/notifications']) {
    await page.goto(path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(320);
  }
  await claire.context.close();
});

test('signed out: the feed and notifications ask to sign in, and come back after', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto('/feed');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Ffeed/);
  await expect(page.getByRole('banner').getByRole('link', { name: /^Notifications/ })).toHaveCount(0);
  await context.close();
});

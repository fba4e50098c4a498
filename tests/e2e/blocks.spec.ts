import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { newestEmailTo } from './mail.ts';
import { beforeHydration } from './hydration.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run, type Member, withoutScripts } from './people.ts';
import { newCase as createCase, post } from './threads.ts';

const newMember = membersOf('tools');

let organiser: Member;

/** A case of its own for each journey, so threads never mix. */
const newCase = (title: string) =>
  createCase(organiser, title, { prefix: 'b', summary: 'A case for the member tools journey.' });

interface NotificationItem {
  title: string;
  actors: { handle: string }[];
}

/** The member's notifications, once one about `title` has arrived (the marker sent last). */
async function notificationsAfter(member: Member, title: string): Promise<NotificationItem[]> {
  let items: NotificationItem[] = [];
  await expect
    .poll(async () => {
      const res = await member.context.request.get('/api/v1/me/notifications?limit=100');
      expect(res.status()).toBe(200);
      items = ((await res.json()) as { items: NotificationItem[] }).items;
      return items.some((n) => n.title === title);
    })
    .toBe(true);
  return items;
}

function thread(page: Page) {
  return page.locator('#discussion');
}

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Otto');
  setRole(organiser.handle, 'organiser');
});

test.afterAll(async () => {
  await organiser.context.close();
});

test('a member blocks another: no notification from them, their posts collapsed (on load and live), unblocked from the settings', async ({
  browser,
}) => {
  test.slow();
  const shared = await newCase('Blocked thread');
  const marker = await newCase('Marker thread');
  const [alba, bruno, cleo] = [
    await newMember(browser, 'Alba'),
    await newMember(browser, 'Bruno'),
    await newMember(browser, 'Cleo'),
  ];

  // Alba blocks Bruno from his profile page.
  const a = await alba.context.newPage();
  await a.goto(`/people/${bruno.handle}`);
  await expectAccessible(a);
  await a.getByRole('button', { name: `Block ${bruno.name}` }).click();
  await expect(a.getByRole('button', { name: `Unblock ${bruno.name}` })).toBeVisible();
  await expect(a.getByText('You blocked this member')).toBeVisible();
  await expectAccessible(a);

  // Both on the case page; Bruno's post mentioning Alba arrives live, collapsed for her.
  const b = await bruno.context.newPage();
  await a.goto(`/cases/${shared.slug}`);
  await b.goto(`/cases/${shared.slug}`);
  await expect(a.getByText('2 people are reading this case right now.')).toBeVisible({ timeout: 15_000 });
  const said = `What do you think, @${alba.handle}? ${run}`;
  await post(bruno, shared.slug, said);
  await expect(thread(b).getByText(said)).toBeVisible();
  const collapsed = thread(a).locator('details').filter({ hasText: 'Post by a member you blocked — Show' });
  await expect(collapsed).toHaveCount(1);
  await expect(thread(a).getByText(said)).toBeHidden();

  // Cleo mentions Alba elsewhere, after Bruno: once hers has arrived, his would have too.
  await post(cleo, marker.slug, `@${alba.handle} have a look at this ${run}`);
  const items = await notificationsAfter(alba, marker.title);
  expect(items.flatMap((n) => n.actors.map((p) => p.handle))).not.toContain(bruno.handle);
  await a.goto('/notifications');
  await expect(a.getByText(`${cleo.name} mentioned you`)).toBeVisible();
  await expect(a.getByText(bruno.name)).toHaveCount(0);

  // On load too: collapsed, and it opens with the keyboard.
  await a.goto(`/cases/${shared.slug}`);
  const summary = thread(a).getByText('Post by a member you blocked — Show');
  await expect(summary).toBeVisible();
  await expect(thread(a).getByText(said)).toBeHidden();
  await a.screenshot({ path: 'test-results/blocks-collapsed.png', fullPage: true });
  await expectAccessible(a);
  await summary.focus();
  await a.keyboard.press('Enter');
  await expect(thread(a).getByText(said)).toBeVisible();
  await expectAccessible(a);

  // Unblocking from the settings: his posts show again.
  await a.goto('/settings/blocks');
  await expectAccessible(a);
  await a.getByRole('button', { name: `Unblock ${bruno.name}` }).click();
  await expect(a.getByText(`You unblocked ${bruno.name}.`)).toBeVisible();
  await expect(a.getByText('You have blocked no one.')).toBeVisible();
  await a.goto(`/cases/${shared.slug}`);
  await expect(thread(a).getByText(said)).toBeVisible();
  await expect(thread(a).locator('details')).toHaveCount(0);

  for (const m of [alba, bruno, cleo]) await m.context.close();
});

test('a member mutes a thread from the case page: mentions in it notify no more; setting it back to normal works without JavaScript, in French', async ({
  browser,
}) => {
  test.slow();
  const muted = await newCase('Muted thread');
  const marker = await newCase('Other thread');
  const [dora, emil] = [await newMember(browser, 'Dora'), await newMember(browser, 'Emil')];

  const page = await dora.context.newPage();
  // The choice is made before the page's scripts run: hydrating the page keeps it, so the
  // enhanced form sends what the member chose.
  await beforeHydration(page, `/cases/${muted.slug}`, async () => {
    // The thread's level (watching levels, issue 14): muted is one of three.
    await expect(page.getByText('Nothing notifies or emails you, mentions of you included.')).toBeVisible();
    await page.getByRole('radio', { name: /Muted/ }).check();
  });
  await expect(page.getByRole('radio', { name: /Muted/ })).toBeChecked();
  await page.getByRole('button', { name: 'Set this level' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You muted this thread.' })).toBeVisible();
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole('radio', { name: /Muted/ })).toBeChecked();

  await post(emil, muted.slug, `@${dora.handle} are you there? ${run}`);
  await post(emil, marker.slug, `@${dora.handle} and here? ${run}`);
  const items = await notificationsAfter(dora, marker.title);
  expect(items.map((n) => n.title)).not.toContain(muted.title);

  // In French; then without JavaScript (where axe cannot run), the same form unmutes.
  await page.goto(`/fr/cases/${muted.slug}`);
  await expect(page.getByRole('radio', { name: /Sourdine/ })).toBeChecked();
  await expectAccessible(page);
  const plain = await withoutScripts(browser, dora, { locale: 'fr-FR' });
  const fr = await plain.newPage();
  await fr.goto(`/fr/cases/${muted.slug}`);
  await fr.getByRole('radio', { name: /Normal/ }).check();
  await fr.getByRole('button', { name: 'Choisir ce niveau' }).click();
  await expect(fr.getByText('Cette discussion est en mode normal')).toBeVisible();
  await expect(fr.getByRole('radio', { name: /Normal/ })).toBeChecked();
  expect((await (await dora.context.request.get(`/api/v1/me/mutes/cases/${muted.slug}`)).json()).muted).toBe(false);

  await plain.close();
  for (const m of [dora, emil]) await m.context.close();
});

test('a fresh sign-up sees the unverified banner and confirms the address with the emailed link', async ({
  browser,
}) => {
  test.slow();
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const person = { name: `Vera Verify ${run}`, email: `vera-${run}@example.org`, handle: `vera-${run}` };
  await page.goto('/signup');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Handle').fill(person.handle);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/settings\/profile\?welcome=1$/);
  const banner = page.getByText('Confirm your email address: until you do');
  await expect(banner).toBeVisible();
  await expectAccessible(page);

  const email = await newestEmailTo(person.email);
  const link = /https?:\/\/\S+\/verify-email\?token=[^\s"<>]+/.exec(email)?.[0];
  expect(link, 'a verification link in the email').toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your email address');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByText(`Thank you: ${person.email} is confirmed.`)).toBeVisible();
  await expectAccessible(page);
  await page.goto('/settings/profile');
  await expect(banner).toHaveCount(0);
  await context.close();
});

test('the member tools pages are accessible in English and French', async ({ browser }) => {
  test.slow();
  const [gus, hana] = [await newMember(browser, 'Gus'), await newMember(browser, 'Hana')];
  await gus.context.request.put(`/api/v1/me/blocks/${hana.handle}`);
  const page = await gus.context.newPage();
  for (const prefix of ['', '/fr']) {
    for (const path of ['/settings/blocks', '/verify-email', '/settings/data', `/people/${organiser.handle}`]) {
      await page.goto(`${prefix}${path}`);
      await expect(page.locator('h1').first()).toBeVisible();
      await expectAccessible(page);
    }
  }
  await page.goto(`/fr/people/${organiser.handle}`);
  await expect(page.getByRole('button', { name: new RegExp(`Bloquer ${organiser.name}`) })).toBeVisible();
  for (const m of [gus, hana]) await m.context.close();
});

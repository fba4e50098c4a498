/**
 * Watching levels, "What I follow" and coming back after signing in (issue 14, Conversations):
 * posting makes a member watch a thread and later posts notify them; muting stops it; the follows
 * page lists and ends follows; a follow or a reply started signed out is offered again after
 * signing in, a draft kept.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, PASSWORD, run, type Member, withoutScripts } from './people.ts';
import { newCase as createCase, post } from './threads.ts';

const newMember = membersOf('watch');

let organiser: Member;

const newCase = (title: string) =>
  createCase(organiser, title, {
    prefix: 'w',
    summary: 'A case for the watching journey.',
    countries: ['PT'],
    themes: ['open-government'],
  });

interface NotificationItem {
  kind: string;
  title: string;
  count: number;
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

/** The member's level for a thread, once it is `level` (the notifier writes it after the post). */
async function levelBecomes(member: Member, slug: string, level: string) {
  await expect
    .poll(async () => {
      const res = await member.context.request.get(`/api/v1/me/threads/cases/${slug}`);
      return ((await res.json()) as { level: string }).level;
    })
    .toBe(level);
}

/** The composer of a reply in a conversation (its textarea is `#reply-<id>-body`). */
function replyForm(page: Page, rootId: string) {
  return page.locator('form.composer', { has: page.locator(`#reply-${rootId}-body`) });
}

async function signIn(page: Page, member: Member) {
  await page.getByLabel('Email address').fill(member.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Olga');
  setRole(organiser.handle, 'organiser');
});

test.afterAll(async () => {
  await organiser.context.close();
});

test('posting makes a member watch a thread: later posts notify them; muted with the keyboard, they do not', async ({
  browser,
}) => {
  test.slow();
  const watched = await newCase('Watched thread');
  const marker = await newCase('Marker thread');
  const [ana, ben] = [await newMember(browser, 'Ana'), await newMember(browser, 'Ben')];

  await post(ana, watched.slug, `A question from Ana ${run}`);
  await levelBecomes(ana, watched.slug, 'watching');
  await post(ben, watched.slug, `An answer from Ben ${run}`);
  const told = await notificationsAfter(ana, watched.title);
  expect(told.filter((n) => n.title === watched.title).map((n) => `${n.kind}×${n.count}`)).toEqual(['watched_post×1']);

  const page = await ana.context.newPage();
  await page.goto('/notifications');
  await expect(page.getByText(`${ben.name} posted in “${watched.title}”, a thread you watch`)).toBeVisible();

  await page.goto(`/cases/${watched.slug}`);
  const level = page.getByRole('group', { name: 'Notifications from this thread' });
  await expect(level.getByRole('radio', { name: /Watching/ })).toBeChecked();
  await expectAccessible(page);
  // With the keyboard only: to "Muted", then the button.
  await level.getByRole('radio', { name: /Watching/ }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(level.getByRole('radio', { name: /Muted/ })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Set this level' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'You muted this thread.' })).toBeVisible();
  await levelBecomes(ana, watched.slug, 'muted');
  await expectAccessible(page);

  // Muted: Ben's next post tells Ana nothing (the marker, sent last, arrives; the count stays 1).
  await post(ben, watched.slug, `More from Ben ${run}`);
  await post(ben, marker.slug, `@${ana.handle} over here ${run}`);
  const after = await notificationsAfter(ana, marker.title);
  expect(after.filter((n) => n.title === watched.title).map((n) => `${n.kind}×${n.count}`)).toEqual(['watched_post×1']);

  // In French, and without JavaScript: back to watching.
  await page.goto(`/fr/cases/${watched.slug}`);
  await expect(page.getByRole('radio', { name: /Sourdine/ })).toBeChecked();
  await expectAccessible(page);
  const plain = await withoutScripts(browser, ana, { locale: 'fr-FR' });
  const fr = await plain.newPage();
  await fr.goto(`/fr/cases/${watched.slug}`);
  await fr.getByRole('radio', { name: /Surveiller/ }).check();
  await fr.getByRole('button', { name: 'Choisir ce niveau' }).click();
  await expect(fr.getByText('Vous surveillez cette discussion')).toBeVisible();
  await expect(fr.getByRole('radio', { name: /Surveiller/ })).toBeChecked();
  await levelBecomes(ana, watched.slug, 'watching');

  // The notification settings say what each level means.
  await page.goto('/settings/notifications');
  await expect(page.getByRole('heading', { name: 'Discussions you watch' })).toBeVisible();
  await expect(page.getByText('Every new post notifies you.')).toBeVisible();
  await expectAccessible(page);

  await plain.close();
  for (const m of [ana, ben]) await m.context.close();
});

test('“What I follow” lists every follow and watched thread, from the account menu; unfollow and level change work without JavaScript', async ({
  browser,
}) => {
  test.slow();
  const followed = await newCase('Followed case');
  const discussed = await newCase('Discussed case');
  const [cleo, dan] = [await newMember(browser, 'Cleo'), await newMember(browser, 'Dan')];
  for (const path of [`case/${followed.slug}`, 'theme/open-government', `person/${dan.handle}`, 'country/PT']) {
    expect((await cleo.context.request.put(`/api/v1/follows/${path}`)).status()).toBe(200);
  }
  await post(cleo, discussed.slug, `Cleo joins in ${run}`);
  await levelBecomes(cleo, discussed.slug, 'watching');

  const page = await cleo.context.newPage();
  await page.goto('/');
  await page.getByText('Signed in as').click();
  await page.getByRole('link', { name: 'What I follow' }).click();
  await expect(page).toHaveURL(/\/settings\/follows$/);
  await expect(page.getByRole('link', { name: followed.title })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open government' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Portugal' })).toBeVisible();
  await expect(page.getByRole('link', { name: dan.name })).toBeVisible();
  await expect(page.getByLabel(`Level for “${discussed.title}”`)).toHaveValue('watching');
  await expectAccessible(page);

  await page.getByRole('button', { name: `Unfollow ${followed.title}` }).click();
  await expect(page.getByText(`You no longer follow ${followed.title}.`)).toBeVisible();
  await expect(page.getByRole('link', { name: followed.title })).toHaveCount(0);
  expect(
    ((await (await cleo.context.request.get(`/api/v1/follows/case/${followed.slug}`)).json()) as { following: boolean })
      .following,
  ).toBe(false);

  // In French, without JavaScript: the person unfollowed, the thread muted.
  const plain = await withoutScripts(browser, cleo, { locale: 'fr-FR' });
  const fr = await plain.newPage();
  await fr.goto('/fr/settings/follows');
  await expect(fr.getByRole('heading', { name: 'Ce que je suis' })).toBeVisible();
  await fr.getByRole('button', { name: `Ne plus suivre ${dan.name}` }).click();
  await expect(fr.getByText(`Vous ne suivez plus ${dan.name}.`)).toBeVisible();
  await fr.getByLabel(`Niveau pour « ${discussed.title} »`).selectOption('muted');
  await fr.getByRole('button', { name: `Enregistrer ${discussed.title}` }).click();
  await expect(fr.getByText(`« ${discussed.title} » : Sourdine.`)).toBeVisible();
  await levelBecomes(cleo, discussed.slug, 'muted');
  await page.goto('/fr/settings/follows');
  await expect(page.getByLabel(`Niveau pour « ${discussed.title} »`)).toHaveValue('muted');
  await expectAccessible(page);

  await plain.close();
  for (const m of [cleo, dan]) await m.context.close();
});

test('signed out, a follow or a reply leads to signing in and back, where it is offered again; a draft is kept', async ({
  browser,
}) => {
  test.slow();
  const item = await newCase('Signed out case');
  const [eve, fred] = [await newMember(browser, 'Eve'), await newMember(browser, 'Fred')];
  const rootId = await post(fred, item.slug, `Fred opens the thread ${run}`);

  // Follow while signed out: sign in, back on the case, the button offers to finish.
  const guest = await browser.newContext({ locale: 'en-GB' });
  const page = await guest.newPage();
  await page.goto(`/cases/${item.slug}`);
  const signUpLink = page.locator('#discussion').getByRole('link', { name: 'New here? Create an account' });
  await expect(signUpLink).toHaveAttribute('href', `/signup?redirectTo=%2Fcases%2F${item.slug}%23discussion`);
  await page.getByRole('button', { name: `Follow: ${item.title}` }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await signIn(page, eve);
  await expect(page).toHaveURL(new RegExp(`/cases/${item.slug}\\?follow=case%3A${item.slug}$`));
  await expect(page.getByText(`You signed in to follow ${item.title}: press Follow to finish.`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: `Follow: ${item.title}` }).click();
  await expect(page.getByRole('button', { name: `Following: ${item.title}` })).toBeVisible();

  // Reply while signed out (in French): sign in, back with the reply form open.
  await guest.clearCookies();
  await page.goto(`/fr/cases/${item.slug}`);
  await page.getByRole('link', { name: 'Se connecter pour répondre' }).first().click();
  await expect(page).toHaveURL(/\/fr\/login\?redirectTo=/);
  await page.getByLabel('Adresse e-mail').fill(eve.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(new RegExp(`/fr/cases/${item.slug}\\?reply=${rootId}#reply-${rootId}-body$`));
  await expect(page.locator(`#reply-${rootId}-body`)).toBeVisible();
  await expectAccessible(page);

  // The session ends while a reply is written (without JavaScript): the draft waits for the sign-in.
  const plain = await withoutScripts(browser, eve);
  const nojs = await plain.newPage();
  await nojs.goto(`/cases/${item.slug}?reply=${rootId}`);
  const draft = `Eve's careful reply ${run}`;
  await nojs.locator(`#reply-${rootId}-body`).fill(draft);
  await plain.clearCookies();
  await replyForm(nojs, rootId).getByRole('button', { name: 'Reply' }).click();
  await expect(nojs).toHaveURL(/\/login\?redirectTo=/);
  await signIn(nojs, eve);
  await expect(nojs).toHaveURL(new RegExp(`/cases/${item.slug}\\?reply=${rootId}#reply-${rootId}-body$`));
  await expect(nojs.locator(`#reply-${rootId}-body`)).toHaveValue(draft);
  await expect(nojs.getByText('Your session had ended: here is what you wrote, ready to send.')).toBeVisible();
  await replyForm(nojs, rootId).getByRole('button', { name: 'Reply' }).click();
  await expect(nojs.locator('#discussion').getByText(draft)).toBeVisible();

  // The same with JavaScript: the reply that meets an ended session is kept the same way.
  const live = await browser.newContext({ locale: 'en-GB', storageState: await plain.storageState() });
  const js = await live.newPage();
  await js.goto(`/cases/${item.slug}?reply=${rootId}`);
  await expect(js.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const second = `Eve's second reply ${run}`;
  await js.locator(`#reply-${rootId}-body`).fill(second);
  await live.clearCookies();
  await replyForm(js, rootId).getByRole('button', { name: 'Reply' }).click();
  await expect(js).toHaveURL(/\/login\?redirectTo=/);
  await signIn(js, eve);
  await expect(js.locator(`#reply-${rootId}-body`)).toHaveValue(second);
  await expect(js.getByText('Your session had ended: here is what you wrote, ready to send.')).toBeVisible();

  await live.close();
  await plain.close();
  await guest.close();
  for (const m of [eve, fred]) await m.context.close();
});

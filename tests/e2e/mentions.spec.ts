/**
 * Conversations (issue 14): @mention and #case suggestions with the keyboard only, the thread's
 * post count live, and loads without side effects (a preloaded case page does not mark its thread
 * read; opening it does).
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { setRole } from './roles.ts';
import { membersOf, type Member } from './people.ts';
import { newCase as createCase, post } from './threads.ts';

const newMember = membersOf('mention');

let organiser: Member;

const newCase = (title: string) =>
  createCase(organiser, title, { prefix: 'm', summary: 'A case for the mentions journey.' });

async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

test.beforeAll(async ({ browser }) => {
  organiser = await newMember(browser, 'Orla');
  setRole(organiser.handle, 'organiser');
});

test.afterAll(async () => {
  await organiser.context.close();
});

test('mentions with the keyboard only: @ and two letters, arrow down, Enter; # links a case; the member mentioned is told', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const thread = await newCase('Mention thread');
  const other = await newCase(`Quokka lab`);
  const [ana, zora, zoe] = [
    await newMember(browser, 'Ana'),
    await newMember(browser, 'Zora'),
    await newMember(browser, 'Zoe'),
  ];
  // Zora has written in the thread: she comes first, before Zoe (who has not).
  await post(zora, thread.slug, 'Happy to share what we measured.');

  const page = await ana.context.newPage();
  await page.goto(`/cases/${thread.slug}`);
  await hydrated(page);
  const box = page.getByRole('combobox', { name: 'Your post' });
  await box.focus();
  await page.keyboard.type('Thanks @zo');
  const list = page.getByRole('listbox', { name: 'Members to mention' });
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await expect(box).toHaveAttribute('aria-autocomplete', 'list');
  await expect(box).toHaveAttribute('aria-controls', (await list.getAttribute('id'))!);
  const options = list.getByRole('option');
  await expect(options.first()).toContainText(zora.name);
  await expect(options.first()).toContainText('in this thread');
  await expect(list.getByRole('option', { name: new RegExp(zoe.name) })).toBeVisible();
  const count = await options.count();
  await expect(page.getByText(`${count} suggestions, up and down arrows to choose, Enter to insert`)).toBeAttached();
  await expectAccessible(page);

  await page.keyboard.press('ArrowDown');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(box).toHaveValue(`Thanks @${zora.handle} `);
  await expect(list).toBeHidden();
  await expect(box).toHaveAttribute('aria-expanded', 'false');

  // Escape closes the list and leaves the text as typed.
  await page.keyboard.type('and @zo');
  await expect(list).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(`Thanks @${zora.handle} and @zo`);
  for (let i = 0; i < 'and @zo'.length; i += 1) await page.keyboard.press('Backspace');

  // # offers cases; Tab inserts as Enter does.
  await page.keyboard.type('see #quok');
  const cases = page.getByRole('listbox', { name: 'Cases to link' });
  await expect(cases.getByRole('option').first()).toContainText(other.title);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await expect(box).toHaveValue(`Thanks @${zora.handle} see #${other.slug} `);
  await expect(box).toBeFocused();

  await page.keyboard.press('Control+Enter');
  const sent = page.locator('#discussion article').filter({ hasText: 'Thanks' });
  await expect(sent.getByRole('link', { name: `@${zora.handle}` })).toHaveAttribute('href', `/people/${zora.handle}`);
  await expect(sent.getByRole('link', { name: `#${other.slug}` })).toHaveAttribute('href', `/cases/${other.slug}`);

  // Zora is told, in her notifications.
  const z = await zora.context.newPage();
  await expect
    .poll(async () => {
      const res = await zora.context.request.get('/api/v1/me/notifications?limit=20');
      const items = ((await res.json()) as { items: { kind: string }[] }).items;
      return items.some((n) => n.kind === 'mention');
    })
    .toBe(true);
  await z.goto('/notifications');
  await expect(z.getByText(`${ana.name} mentioned you in “${thread.title}”`)).toBeVisible();
  await Promise.all([ana.context.close(), zora.context.close(), zoe.context.close()]);
});

test('the suggestions in French: named, announced and accessible', async ({ browser }) => {
  const thread = await newCase('Mention fr');
  const [lea, zelie] = [await newMember(browser, 'Lea', { locale: 'fr-FR' }), await newMember(browser, 'Zelie')];
  await post(zelie, thread.slug, 'Bonjour à tous.');
  const page = await lea.context.newPage();
  await page.goto(`/fr/cases/${thread.slug}`);
  await hydrated(page);
  await page.getByRole('combobox', { name: 'Votre message' }).focus();
  await page.keyboard.type('Merci @ze');
  const list = page.getByRole('listbox', { name: 'Membres à mentionner' });
  await expect(list.getByRole('option').first()).toContainText('dans cette discussion');
  await expect(page.getByText(/suggestions?, flèches haut et bas pour choisir, Entrée pour insérer/)).toBeAttached();
  await expectAccessible(page);
  await Promise.all([lea.context.close(), zelie.context.close()]);
});

test('the thread’s post count follows posts as they arrive, are deleted and hidden', async ({ browser }) => {
  const thread = await newCase('Live count');
  const [reader, writer, moderator] = [
    await newMember(browser, 'Rita'),
    await newMember(browser, 'Walt'),
    await newMember(browser, 'Mona'),
  ];
  setRole(moderator.handle, 'moderator');
  await post(writer, thread.slug, 'The first post.');
  const page = await reader.context.newPage();
  await page.goto(`/cases/${thread.slug}`);
  await hydrated(page);
  const heading = page.getByRole('heading', { level: 2, name: /^Discussion/ });
  await expect(heading).toHaveText('Discussion (1)');
  // Joined the thread's room (the presence line counts the reader) before anything happens.
  await expect(page.getByText(/reading this case right now/)).toBeVisible({ timeout: 15_000 });

  const second = await post(writer, thread.slug, 'A second post, live.');
  const third = await post(writer, thread.slug, 'A third post, live.');
  await expect(heading).toHaveText('Discussion (3)');
  const deleted = await writer.context.request.delete(`/api/v1/posts/${second}`);
  expect(deleted.status()).toBe(204);
  await expect(heading).toHaveText('Discussion (2)');
  const hidden = await moderator.context.request.post(`/api/v1/moderation/posts/${third}/hidden`, {
    data: { reason: 'Off topic for this thread' },
  });
  expect(hidden.status(), await hidden.text()).toBe(200);
  await expect(heading).toHaveText('Discussion (1)');
  // The page made afresh says the same.
  await page.reload();
  await expect(heading).toHaveText('Discussion (1)');
  await Promise.all([reader.context.close(), writer.context.close(), moderator.context.close()]);
});

test('hovering a case link (a preload) leaves its thread unread; opening it marks it read', async ({ browser }) => {
  const thread = await newCase('Preload unread');
  const [reader, writer] = [await newMember(browser, 'Pia'), await newMember(browser, 'Wes')];
  await post(writer, thread.slug, 'Before the first visit.');
  const page = await reader.context.newPage();
  const read = () => page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${thread.slug}/read`) && r.ok());
  // A first visit: the thread is the reader's, read up to here. The reader leaves before more is
  // written (an open thread shows new posts live, and what it showed counts as read).
  await Promise.all([read(), page.goto(`/cases/${thread.slug}`)]);
  const list = `/cases?q=${encodeURIComponent(`"${thread.title}"`)}`;
  await page.goto(list);
  await post(writer, thread.slug, 'New since the visit, one.');
  await post(writer, thread.slug, 'New since the visit, two.');
  await page.goto(list);
  await hydrated(page);
  const card = page.getByRole('article').filter({ hasText: thread.title });
  await expect(card.getByText('2 new posts')).toBeVisible();
  await expectAccessible(page);
  // The pointer rests on the link: SvelteKit preloads the case page's data.
  const link = card.getByRole('link', { name: thread.title });
  const preloaded = page.waitForResponse((r) => r.url().includes(`/cases/${thread.slug}/__data.json`));
  await link.hover();
  expect((await preloaded).ok()).toBe(true);
  await page.goto(list);
  await expect(card.getByText('2 new posts')).toBeVisible();

  // Opening the thread marks it read.
  await hydrated(page);
  await Promise.all([read(), link.click()]);
  await expect(page.getByRole('heading', { level: 1, name: thread.title })).toBeVisible();
  await page.goto(list);
  await expect(card).toBeVisible();
  await expect(card.getByText(/new posts?/)).toHaveCount(0);
  await Promise.all([reader.context.close(), writer.context.close()]);
});

test('without JavaScript: opening a thread records nothing, its "Mark the thread as read" button does', async ({
  browser,
}) => {
  const thread = await newCase('No script read');
  const [reader, writer] = [
    await newMember(browser, 'Nils', { javaScriptEnabled: false }),
    await newMember(browser, 'Wim'),
  ];
  await post(writer, thread.slug, 'Before the first visit.');
  const page = await reader.context.newPage();
  await page.goto(`/cases/${thread.slug}`);
  await page.getByRole('button', { name: 'Mark the thread as read' }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${thread.slug}\\?post=\\d+#post-\\d+$`));
  await post(writer, thread.slug, 'New since the visit.');

  const list = `/cases?q=${encodeURIComponent(`"${thread.title}"`)}`;
  await page.goto(list);
  const card = page.getByRole('article').filter({ hasText: thread.title });
  await expect(card.getByText('1 new post')).toBeVisible();
  await page.goto(`/cases/${thread.slug}`);
  await page.goto(list);
  await expect(card.getByText('1 new post')).toBeVisible();
  await page.goto(`/cases/${thread.slug}`);
  await page.getByRole('button', { name: 'Mark the thread as read' }).click();
  await page.goto(list);
  await expect(card).toBeVisible();
  await expect(card.getByText(/new posts?/)).toHaveCount(0);
  await Promise.all([reader.context.close(), writer.context.close()]);
});

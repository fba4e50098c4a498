/**
 * Phones (issue 14): on a 375×812 screen the header is one row with a "Menu" button (a `<details>`,
 * so it works before the page's script and without JavaScript), the event page puts the answer
 * right after when and where, and a "saved" notice appears by the button the person pressed. The
 * account menu opened before the page's script ran stays open once it runs.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { newMember, run, type Member, withoutScripts } from './people.ts';
import { setRole } from './roles.ts';

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Where an element's box starts and ends, in the viewport's pixels. */
async function box(page: Page, selector: ReturnType<Page['locator']>) {
  const b = await selector.boundingBox();
  expect(b, 'the element has a box').not.toBeNull();
  return { top: b!.y, bottom: b!.y + b!.height };
}

let olga: Member;

test.beforeAll(async ({ browser }) => {
  olga = await newMember(browser, 'Olga', { tag: 'phones' });
  setRole(olga.handle, 'organiser');
});

test.afterAll(async () => {
  await olga.context.close();
});

test('the account menu opened before the page’s script runs stays open; Escape closes it', async ({ browser }) => {
  const ana = await newMember(browser, 'Ana', { tag: 'phones' });
  const page = await ana.context.newPage();
  // The page's script is held back until the menu has been opened.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_app/immutable/**/*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.getByText('Signed in as').click();
  await expect(page.getByRole('link', { name: 'What I follow' })).toBeVisible();
  release();
  await hydrated(page);
  await expect(page.getByRole('link', { name: 'What I follow' })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(page.getByRole('link', { name: 'What I follow' })).toBeHidden();
  await expect(page.locator('summary', { hasText: 'Signed in as' })).toBeFocused();
  await page.getByText('Signed in as').click();
  await page.getByRole('link', { name: 'What I follow' }).click();
  await expect(page).toHaveURL(/\/settings\/follows$/);
  await expect(page.getByRole('banner').getByRole('link', { name: 'What I follow' })).toBeHidden();
  await ana.context.close();
});

test('on a phone the header is one row and a Menu button, with the keyboard, in English and French', async ({
  browser,
}) => {
  const ben = await newMember(browser, 'Ben', { tag: 'phones', context: PHONE });
  for (const [prefix, texts] of [
    ['', { menu: 'Menu', nav: 'Main menu', events: 'Events', account: 'Your account', settings: 'Settings' }],
    [
      '/fr',
      { menu: 'Menu', nav: 'Menu principal', events: 'Événements', account: 'Votre compte', settings: 'Paramètres' },
    ],
  ] as const) {
    const page = await ben.context.newPage();
    await page.goto(`${prefix}/cases`);
    await hydrated(page);
    const header = page.locator('header.site-header');
    expect((await box(page, header)).bottom, 'the header stays under 100 px').toBeLessThan(100);
    // Only the phone's menu is there to reach: the wide header's navigation is not shown.
    await expect(page.getByRole('navigation', { name: texts.nav })).toBeHidden();
    const menu = page.locator('summary', { hasText: texts.menu });
    await menu.focus();
    await page.keyboard.press('Enter');
    const nav = page.getByRole('navigation', { name: texts.nav });
    await expect(nav).toBeVisible();
    await expect(nav.getByRole('link', { name: texts.events })).toBeVisible();
    await expect(page.getByText(texts.account)).toBeVisible();
    // The member's name is written once in the page (the wide header's), not again here.
    await expect(page.getByText(ben.name)).toHaveCount(1);
    await expectAccessible(page);
    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
    // A link in it leads to its page, where the menu is closed again.
    await page.keyboard.press('Enter');
    await nav.getByRole('link', { name: texts.events }).click();
    await expect(page).toHaveURL(new RegExp(`${prefix}/events$`));
    await expect(page.getByRole('navigation', { name: texts.nav })).toBeHidden();
    // Tabbing out of it closes it: the focus never lands on the page under the open menu.
    await page.locator('summary', { hasText: texts.menu }).click();
    await page.getByRole('link', { name: prefix ? /English/ : /Français/ }).focus();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('navigation', { name: texts.nav })).toBeHidden();
    await page.locator('summary', { hasText: texts.menu }).click();
    await page.getByRole('link', { name: texts.settings }).click();
    await expect(page).toHaveURL(new RegExp(`${prefix}/settings/profile$`));
    await page.close();
  }

  // Signed out and without JavaScript, the same button opens the same menu.
  const plain = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await plain.newPage();
  await page.goto('/events');
  await page.locator('summary', { hasText: 'Menu' }).click();
  await expect(page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'People' })).toBeVisible();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fevents$/);
  await plain.close();
  await ben.context.close();
});

test('on a phone the answer comes right after when and where, and its outcome shows where the person is', async ({
  browser,
}) => {
  const startsAt = new Date(Date.now() + 12 * 86_400_000);
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title: `Phone-sized meetup ${run}`,
      description: 'An evening of **service design** stories.\n\n'.repeat(6),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'hybrid',
      venue: 'Salle Marie Curie',
      address: '2 rue André Pascal, 75016 Paris',
      onlineUrl: `https://meet.example.org/phones-${run}`,
      capacity: 30,
      countries: ['FR', 'BE', 'CH'],
      themes: ['service-design', 'open-government'],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { slug } = (await created.json()) as { slug: string };

  const cleo = await newMember(browser, 'Cleo', { tag: 'phones', context: PHONE });
  for (const prefix of ['', '/fr']) {
    const page = await cleo.context.newPage();
    await page.goto(`${prefix}/events/${slug}`);
    await hydrated(page);
    const panel = page.getByRole('complementary', { name: prefix ? 'Votre réponse' : 'Your answer' });
    const going = panel.getByRole('button', { name: prefix ? 'Je participe' : 'Going', exact: true });
    // After when and where, before who organises it; its heading and the seats left on the first screen.
    const answer = await box(page, panel);
    expect(answer.top).toBeGreaterThan((await box(page, page.getByText('Salle Marie Curie'))).bottom);
    await expect(panel.getByRole('heading', { name: prefix ? 'Votre réponse' : 'Your answer' })).toBeInViewport();
    await expect(panel.getByText(prefix ? /places restantes sur 30/ : /30 of 30 seats left/)).toBeInViewport();
    expect(answer.bottom).toBeLessThan((await box(page, page.getByText(prefix ? 'Organisé par' : 'Organised by'))).top);
    await expectAccessible(page);
    if (!prefix) {
      await going.click();
      // Shown where the button was pressed, and announced.
      await expect(panel.getByRole('paragraph').filter({ hasText: 'You’re going.' })).toBeInViewport();
      await expect(panel.getByRole('status').filter({ hasText: 'You’re going.' })).toHaveCount(1);
      await expect(going).toHaveAttribute('aria-pressed', 'true');
    }
    await page.close();
  }

  // Settings: "saved" is announced by the button pressed, with JavaScript; at the top without.
  const page = await cleo.context.newPage();
  await page.goto('/settings/profile');
  await hydrated(page);
  await page.getByLabel('Headline').fill('Designs services for phones');
  const save = page.getByRole('button', { name: 'Save profile' });
  await save.click();
  const saved = page.getByRole('status').filter({ hasText: 'Your profile has been saved.' });
  await expect(saved).toBeInViewport();
  expect((await box(page, saved)).top, 'the notice is under the button').toBeGreaterThan(
    (await box(page, save)).bottom,
  );
  await expectAccessible(page);

  const plain = await withoutScripts(browser, cleo, PHONE);
  const still = await plain.newPage();
  await still.goto('/fr/settings/profile');
  await still.getByLabel('Accroche').fill('Conçoit des services pour téléphones');
  await still.getByRole('button', { name: 'Enregistrer le profil' }).click();
  const top = still.getByRole('status').filter({ hasText: 'Votre profil a été enregistré.' });
  await expect(top).toBeInViewport();
  expect((await box(still, top)).bottom).toBeLessThan(
    (await box(still, still.getByRole('button', { name: 'Enregistrer le profil' }))).top,
  );
  await plain.close();
  await cleo.context.close();
});

/**
 * Introductions: two members in different countries with overlapping work find each other in
 * their matches with the right reasons in words; one asks for an introduction (the form on the
 * matches page), the other is notified and accepts without JavaScript; both get the email that
 * introduces them, with each other's address and what they share. With JavaScript, asking (on the
 * matches page and in the home page's panel), declining and a refusal happen in place, announced
 * next to the button; without it, the home panel's form posts to the matches page, and a refusal
 * comes back in the page's title and on the card.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { newestEmailTo } from './mail.ts';
import { newMember, run, type Member } from './people.ts';
import { setRole } from './roles.ts';

const WORK = `Participatory budgeting and citizen assemblies for river towns ${run}`;

async function api(member: Member, method: 'PATCH' | 'PUT' | 'POST', url: string, data?: object) {
  const res = await member.context.request.fetch(url, { method, ...(data ? { data } : {}) });
  expect(res.status(), `${method} ${url}: ${await res.text()}`).toBeLessThan(300);
  return res;
}

/** Waits until the page's scripts run, and marks the window: still marked, the page did not reload. */
async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => Object.assign(window, { stays: true }));
}
const stayed = (page: Page) => page.evaluate(() => (window as { stays?: boolean }).stays === true);

/** The card of a member on the matches page (or in the home page's panel). */
function card(scope: Page | Locator, name: string) {
  return scope.getByRole('article', { name });
}

test('two members in different countries find each other, one asks, the other accepts, both are emailed', async ({
  browser,
}) => {
  test.slow();
  const otto = await newMember(browser, 'Otto', { tag: 'intro' });
  setRole(otto.handle, 'organiser');
  const title = `Pol.is for open policy-making ${run}`;
  const slug = `polis-${run}`.slice(0, 40);
  await api(otto, 'POST', '/api/v1/cases', {
    slug,
    title,
    summary: 'A case for the introductions journey.',
    countries: ['FR'],
    themes: ['digital-government'],
    year: 2025,
    organisation: 'Test organisation',
    levelOfGovernment: 'national',
    stage: 'pilot',
  });

  // Amara (Senegal) opts in from her profile page; Bruno (Canada), without JavaScript, by the API.
  const amara = await newMember(browser, 'Amara', { tag: 'intro' });
  const bruno = await newMember(browser, 'Bruno', { tag: 'intro', context: { javaScriptEnabled: false } });
  await api(amara, 'PATCH', '/api/v1/me/profile', { countryCode: 'SN', bio: WORK });
  await api(bruno, 'PATCH', '/api/v1/me/profile', { countryCode: 'CA', headline: WORK, openToIntroductions: true });
  for (const member of [amara, bruno]) {
    await api(member, 'PUT', '/api/v1/follows/theme/digital-government');
    await api(member, 'POST', `/api/v1/cases/${slug}/posts`, { body: `Notes from ${member.name}` });
  }

  const page = await amara.context.newPage();
  await page.goto('/people/matches');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('People working on similar problems');
  await expect(page.getByRole('link', { name: 'Turn on introductions in your profile' })).toBeVisible();
  await page.goto('/settings/profile');
  await page.getByLabel('Open to introductions').check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved' }).first()).toBeVisible();

  // Bruno is among her matches, with what they share in words.
  await page.goto('/people/matches');
  const match = card(page, bruno.name);
  await expect(match).toBeVisible();
  await expect(match).toContainText('Canada');
  await expect(match.getByRole('listitem').filter({ hasText: `You both discussed “${title}”` })).toHaveCount(1);
  await expect(match.getByRole('listitem').filter({ hasText: 'Both follow “Digital government”' })).toHaveCount(1);
  await expect(match.getByRole('listitem').filter({ hasText: /Similar profile: .*assemblies/ })).toHaveCount(1);
  await expectAccessible(page);

  // She asks, with a short message.
  await match.getByText('Ask for an introduction').click();
  await match.getByLabel(`Your message to ${bruno.name}`).fill('We run assemblies in Dakar: shall we compare notes?');
  await match.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Your request was sent to ${bruno.name}.` })).toBeVisible();
  await expect(card(page, bruno.name)).toContainText('Introduction asked: waiting for an answer');

  // Bruno is told, and accepts on his introductions page, without JavaScript.
  const his = await bruno.context.newPage();
  await expect
    .poll(async () => {
      await his.goto('/notifications');
      return his.getByText(`${amara.name} asks to be introduced to you`).count();
    })
    .toBe(1);
  await his.getByText(`${amara.name} asks to be introduced to you`).click();
  await expect(his).toHaveURL(/\/people\/introductions$/);
  await expect(his.getByText('We run assemblies in Dakar: shall we compare notes?')).toBeVisible();
  await his.getByRole('button', { name: `Accept the introduction to ${amara.name}` }).click();
  await expect(
    his.getByRole('status').filter({ hasText: `You accepted: an email introduces you to ${amara.name}.` }),
  ).toBeVisible();
  await expect(his.getByRole('link', { name: amara.email })).toBeVisible();

  // Amara's introductions page says it too (and passes axe: Bruno's browser runs no script); her
  // account menu leads there.
  await page.getByText('Signed in as').click();
  await page.getByRole('link', { name: 'Introductions', exact: true }).click();
  await expect(page).toHaveURL(/\/people\/introductions$/);
  await expect(page.getByRole('link', { name: bruno.email })).toBeVisible();
  await expect(page.getByText('Introduced: see your email')).toBeVisible();
  await expectAccessible(page);

  // Both emails arrive: each with the other's address and what they share.
  const toAmara = await newestEmailTo(amara.email);
  expect(toAmara).toMatch(new RegExp(`^Subject: Introducing ${bruno.name}`, 'm'));
  expect(toAmara).toContain(bruno.email);
  expect(toAmara).toContain(`You both discussed “${title}”`);
  const toBruno = await newestEmailTo(bruno.email);
  expect(toBruno).toMatch(new RegExp(`^Subject: Introducing ${amara.name}`, 'm'));
  expect(toBruno).toContain(amara.email);
  expect(toBruno).toContain('Both follow “Digital government”');
});

test('with JavaScript, asking, declining and a refusal happen in place; without it, the home panel posts to the matches page and a refusal says why', async ({
  browser,
}) => {
  test.slow();
  const work = `Open contracting for school meals in mountain valleys ${run}`;
  const carla = await newMember(browser, 'Carla', { tag: 'inplace' });
  const dario = await newMember(browser, 'Dario', { tag: 'inplace' });
  const emma = await newMember(browser, 'Emma', { tag: 'inplace', context: { javaScriptEnabled: false } });
  const fatou = await newMember(browser, 'Fatou', { tag: 'inplace' });
  for (const [member, countryCode] of [
    [carla, 'DE'],
    [dario, 'BR'],
    [emma, 'JP'],
    [fatou, 'SN'],
  ] as const) {
    await api(member, 'PATCH', '/api/v1/me/profile', { countryCode, headline: work, openToIntroductions: true });
  }
  const page = await carla.context.newPage();
  await page.goto('/');
  await hydrated(page);
  const panel = page.getByRole('region', { name: 'People working on similar problems' });
  const theirs = card(panel, dario.name);
  await theirs.getByText('Ask for an introduction').click();
  await theirs.getByLabel(`Your message to ${dario.name}`).fill('Shall we compare tender documents?');
  await theirs.getByRole('button', { name: 'Send the request' }).click();
  await expect(theirs.getByRole('status')).toHaveText(`Your request was sent to ${dario.name}.`);
  await expect(theirs.getByText('Introduction asked: waiting for an answer')).toBeFocused();
  expect(await stayed(page)).toBe(true);

  await page.goto('/people/matches');
  await hydrated(page);
  const hers = card(page, emma.name);
  await hers.getByText('Ask for an introduction').click();
  const box = hers.getByLabel(`Your message to ${emma.name}`);
  await box.fill('Hello Emma');
  // Emma asks Carla meanwhile: Carla's request is refused, with the API's reason in words.
  await api(emma, 'POST', '/api/v1/introductions', { handle: carla.handle, message: 'Hello from Sapporo' });
  await hers.getByRole('button', { name: 'Send the request' }).click();
  await expect(hers.getByText('An introduction between you was already asked.')).toBeVisible();
  await expect(box).toBeFocused();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  expect(await stayed(page)).toBe(true);
  await expectAccessible(page);

  // Dario declines in place; the line saying where it stands takes the focus.
  const his = await dario.context.newPage();
  await his.goto('/people/introductions');
  await hydrated(his);
  await his.getByRole('button', { name: `Decline the introduction to ${carla.name}` }).click();
  const request = his.getByRole('listitem', { name: carla.name });
  await expect(request.getByRole('status')).toHaveText(`You declined the request of ${carla.name}.`);
  await expect(request.getByText('Introduction declined')).toBeFocused();
  expect(await stayed(his)).toBe(true);
  await expectAccessible(his);

  // Emma, without JavaScript, asks Dario from her home page: the matches page answers.
  const hersNoJs = await emma.context.newPage();
  await hersNoJs.goto('/');
  const fromHome = card(hersNoJs, dario.name);
  await fromHome.getByText('Ask for an introduction').click();
  await fromHome.getByLabel(`Your message to ${dario.name}`).fill('Hello from Sapporo, Dario');
  await fromHome.getByRole('button', { name: 'Send the request' }).click();
  await expect(hersNoJs).toHaveURL(/\/people\/matches/);
  await expect(
    hersNoJs.getByRole('status').filter({ hasText: `Your request was sent to ${dario.name}.` }),
  ).toBeVisible();
  await expect(card(hersNoJs, dario.name)).toContainText('Introduction asked: waiting for an answer');

  // Emma, without JavaScript, is refused: Fatou asks her while she writes to Fatou. The page comes
  // back saying so in its title, and Fatou's card says where they stand and why Emma's was refused.
  const toFatou = card(hersNoJs, fatou.name);
  await toFatou.getByText('Ask for an introduction').click();
  await toFatou.getByLabel(`Your message to ${fatou.name}`).fill('Hello Fatou, from Sapporo');
  await api(fatou, 'POST', '/api/v1/introductions', { handle: emma.handle, message: 'Hello from Dakar' });
  await toFatou.getByRole('button', { name: 'Send the request' }).click();
  await expect(hersNoJs).toHaveTitle(/^Error: /);
  await expect(card(hersNoJs, fatou.name)).toContainText('Introduction asked: waiting for an answer');
  await expect(card(hersNoJs, fatou.name)).toContainText('An introduction between you was already asked.');
});

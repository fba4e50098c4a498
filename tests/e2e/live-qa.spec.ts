/**
 * The live layer of an event (issue 17): an organiser opens Q&A; three members ask and vote from
 * three browsers and the order converges live in every one of them (the organiser's too) without
 * a reload; a fourth member asks and votes without JavaScript; the organiser pins a question (the
 * stage view shows it first, large); a poll runs and closes with its results live; once the event
 * is over the Q&A and the poll stay on the event page as a read-only record (EN and FR), linked
 * from the event's case.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './a11y.ts';
import { newMember, run, type Member, withoutScripts } from './people.ts';
import { setRole } from './roles.ts';

const TAG = 'live';
const CASE = 'my-france-2022';

/** The questions of a page's Q&A, in the order shown. */
const order = (page: Page) => page.locator('#live-qa [data-question] .body');

/** A page that has not reloaded since it was marked. */
async function mark(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
}
const stillHere = (page: Page) => page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere);

async function ask(page: Page, text: string) {
  await page.getByLabel('Your question').fill(text);
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(order(page).filter({ hasText: text })).toHaveCount(1);
}

/** The vote button of the question with this text. */
const voteOn = (page: Page, text: string) =>
  page
    .locator('#live-qa [data-question]', { has: page.getByText(text, { exact: true }) })
    .getByRole('button', { name: /^Vote/ });

test('an organiser runs Q&A and a poll; the order converges live everywhere and the record stays', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const olga = await newMember(browser, 'Olga', { tag: TAG });
  setRole(olga.handle, 'organiser');
  const starts = new Date(Date.now() + 60 * 60 * 1000);
  const title = `Live clinic ${run}`;
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/live-clinic',
      countries: ['FR'],
      themes: ['digital-government'],
      caseSlugs: [CASE],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const slug = ((await created.json()) as { slug: string }).slug;

  const people: Member[] = [];
  for (const first of ['Ann', 'Ben', 'Cat', 'Dan']) people.push(await newMember(browser, first, { tag: TAG }));
  const [ann, ben, cat, dan] = people as [Member, Member, Member, Member];
  for (const m of people) {
    const res = await m.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } });
    expect(res.status()).toBe(200);
  }

  const organiserPage = await olga.context.newPage();
  await organiserPage.goto(`/events/${slug}`);
  const pages = [organiserPage];
  const errors: string[] = [];
  for (const m of [ann, ben, cat]) {
    const page = await m.context.newPage();
    // A script error (a live update that breaks the page) fails the journey at its end.
    page.on('pageerror', (e) => errors.push(`${m.handle}: ${e.message}`));
    await page.goto(`/events/${slug}`);
    await expect(page.getByText('Questions are not open at the moment.')).toBeVisible();
    pages.push(page);
  }
  const [, annPage, benPage, catPage] = pages as [Page, Page, Page, Page];
  for (const page of pages) await mark(page);

  // The organiser opens Q&A: every member's page offers to ask, without a reload.
  await organiserPage.getByRole('button', { name: 'Open questions' }).click();
  await expect(organiserPage.getByRole('button', { name: 'Close questions' })).toBeVisible();
  for (const page of [annPage, benPage, catPage]) await expect(page.getByLabel('Your question')).toBeVisible();

  await ask(annPage, `Ann asks about budgets ${run}`);
  await ask(benPage, `Ben asks about scale ${run}`);
  await ask(catPage, `Cat asks about evaluation ${run}`);
  for (const page of pages) await expect(order(page)).toHaveCount(3);
  // New questions are announced politely (not every vote).
  await expect(organiserPage.getByRole('status').filter({ hasText: 'new questions were asked' })).toBeAttached();

  // Votes from three browsers: Cat's question 2, Ben's 1, Ann's 0.
  await voteOn(benPage, `Cat asks about evaluation ${run}`).click();
  await expect(voteOn(benPage, `Cat asks about evaluation ${run}`)).toHaveAttribute('aria-pressed', 'true');
  await voteOn(annPage, `Cat asks about evaluation ${run}`).click();
  await voteOn(catPage, `Ben asks about scale ${run}`).click();
  const expected = [`Cat asks about evaluation ${run}`, `Ben asks about scale ${run}`, `Ann asks about budgets ${run}`];
  for (const page of pages) await expect(order(page)).toHaveText(expected);
  await expect(organiserPage.locator('#live-qa [data-question]').first()).toContainText('2 votes');

  // Dan, without JavaScript: asks and votes with plain forms.
  const plain = await withoutScripts(browser, dan);
  const danPage = await plain.newPage();
  await danPage.goto(`/events/${slug}`);
  await ask(danPage, `Dan asks without scripts ${run}`);
  await voteOn(danPage, `Ann asks about budgets ${run}`).click();
  await expect(voteOn(danPage, `Ann asks about budgets ${run}`)).toHaveAttribute('aria-pressed', 'true');
  await expect(danPage.locator('#live-qa [data-question]', { hasText: `Ann asks about budgets ${run}` })).toContainText(
    '1 vote',
  );
  // Ann's and Ben's questions now have a vote each: on a tie the earlier asked comes first.
  const withDan = [
    `Cat asks about evaluation ${run}`,
    `Ann asks about budgets ${run}`,
    `Ben asks about scale ${run}`,
    `Dan asks without scripts ${run}`,
  ];
  for (const page of pages) await expect(order(page)).toHaveText(withDan);

  // The organiser puts Cat's question on stage and marks Ben's answered; the stage view shows it first.
  const catItem = organiserPage.locator('#live-qa [data-question]', { hasText: `Cat asks about evaluation ${run}` });
  await catItem.getByRole('button', { name: 'Put on stage' }).click();
  await expect(catItem).toContainText('On stage now');
  const benItem = organiserPage.locator('#live-qa [data-question]', { hasText: `Ben asks about scale ${run}` });
  await benItem.getByRole('button', { name: 'Mark answered' }).click();
  await expect(benItem).toContainText('Answered');
  await expect(annPage.locator('#live-qa [data-question]', { hasText: `Ben asks about scale ${run}` })).toContainText(
    'Answered',
  );
  const stage = await olga.context.newPage();
  await stage.goto(`/events/${slug}/stage`);
  await expect(stage.locator('.pinned')).toHaveText(`Cat asks about evaluation ${run}`);
  await expectAccessible(stage);

  // A poll, launched, voted live in three browsers, then closed.
  await organiserPage.getByText('Launch a poll').click();
  await organiserPage.getByLabel('Question', { exact: true }).fill(`Which city next? ${run}`);
  await organiserPage.getByLabel('Options').fill('Lisbon\nTallinn\nSeoul');
  await organiserPage.getByRole('button', { name: 'Launch the poll' }).click();
  for (const page of pages) await expect(page.getByRole('heading', { name: `Which city next? ${run}` })).toBeVisible();
  await expect(stage.getByRole('heading', { name: `Which city next? ${run}` })).toBeVisible();
  for (const [page, city] of [
    [annPage, 'Lisbon'],
    [benPage, 'Tallinn'],
    [catPage, 'Lisbon'],
  ] as const) {
    const poll = page.locator('#live-polls [data-poll]').first();
    await poll.getByLabel(city).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    await expect(poll).toContainText('your choice');
  }
  for (const page of [...pages, stage]) {
    const poll = page.locator('[data-poll]').first();
    await expect(poll).toContainText('3 people voted');
    await expect(poll.locator('li', { hasText: 'Lisbon' })).toContainText('2 votes (67%)');
  }
  // Dan's page, without JavaScript, offers the poll; it closes before he votes: the refusal says why.
  await danPage.goto(`/events/${slug}`);
  await danPage.locator('#live-polls [data-poll]').first().getByLabel('Seoul').check();
  await organiserPage.getByRole('button', { name: 'Close the poll' }).click();
  for (const page of pages) await expect(page.locator('#live-polls [data-poll]').first()).toContainText('Closed');
  await danPage.locator('#live-polls [data-poll]').first().getByRole('button', { name: 'Vote' }).click();
  await expect(danPage.locator('#live-polls [data-poll]').first().getByRole('alert')).toHaveText(
    'Your vote was not counted: this poll has closed.',
  );
  for (const page of pages) expect(await stillHere(page)).toBe(true);
  expect(errors).toEqual([]);
  await expectAccessible(organiserPage);

  // The event moves into the past (through the API): the record stays, read-only, for everyone.
  const moved = await olga.context.request.patch(`/api/v1/events/${slug}`, {
    data: {
      startsAt: new Date(Date.now() - 3 * 60 * 60 * 1000).toISOString(),
      endsAt: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    },
  });
  expect(moved.status(), await moved.text()).toBe(200);
  // Dan's page still offers his votes: the one he gives now is refused, saying why.
  await voteOn(danPage, `Cat asks about evaluation ${run}`).click();
  await expect(
    danPage.locator('#live-qa [data-question]', { hasText: `Cat asks about evaluation ${run}` }).getByRole('alert'),
  ).toHaveText('Your vote was not counted: the event has ended, and its questions and polls are now a record.');
  const visitor = await browser.newContext({ locale: 'en-GB' });
  const record = await visitor.newPage();
  await record.goto(`/events/${slug}`);
  await expect(record.getByRole('heading', { name: 'Questions asked' })).toBeVisible();
  await expect(order(record)).toHaveText(withDan);
  await expect(record.locator('#live-qa [data-question]').first()).toContainText('2 votes');
  await expect(record.getByRole('heading', { name: 'Poll results' })).toBeVisible();
  await expect(record.locator('[data-poll] li', { hasText: 'Lisbon' })).toContainText('2 votes (67%)');
  await expect(record.getByRole('button', { name: /^Vote/ })).toHaveCount(0);
  // Nothing is on stage any more: Cat's question stays, answered or not, without that label.
  await expect(record.locator('#live-qa', { hasText: `Cat asks about evaluation ${run}` })).toBeVisible();
  await expect(record.locator('#live-qa')).not.toContainText('On stage now');
  await annPage.reload();
  await expect(annPage.getByLabel('Your question')).toHaveCount(0);
  await expect(annPage.getByRole('button', { name: /^Vote/ })).toHaveCount(0);
  await expectAccessible(record);

  // In French, on a phone.
  const french = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 800 } });
  const fr = await french.newPage();
  await fr.goto(`/fr/events/${slug}`);
  await expect(fr.getByRole('heading', { name: 'Questions posées' })).toBeVisible();
  await expect(fr.locator('#live-qa [data-question]').first()).toContainText('2 votes');
  await expect(fr.getByRole('heading', { name: 'Résultats des sondages' })).toBeVisible();
  await expectAccessible(fr);

  // The event's case links to the record.
  await record.goto(`/cases/${CASE}`);
  const link = record.getByRole('link', { name: `Questions and polls of “${title}”` });
  await expect(link).toHaveAttribute('href', `/events/${slug}#live-qa`);
  await link.click();
  await expect(record.getByRole('heading', { name: 'Questions asked' })).toBeVisible();

  for (const context of [plain, visitor, french, ...people.map((m) => m.context), olga.context]) await context.close();
});

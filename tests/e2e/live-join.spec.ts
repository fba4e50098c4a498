/**
 * An event page hears its room's events only once its socket has joined the room, a moment after
 * the page was rendered. What the organisers did in between (here: opening questions, which is
 * broadcast once and never repeated) must still reach the page: it reads the event again once the
 * join is acknowledged. The page's `event:watch` frame is held back until the change is made.
 * That reading again must not join again: the stage view joins once, then hears a question live;
 * the door joins once though it reloads when someone answers.
 */
import { expect, test, type Page } from '@playwright/test';
import { newMember, run } from './people.ts';
import { setRole } from './roles.ts';

const TAG = 'join';

/** Counts the page's joins to an event room (its `event:watch` frames), passing every frame on. */
async function countJoins(page: Page): Promise<() => number> {
  let joins = 0;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"event:watch"')) joins += 1;
      server.send(message);
    });
  });
  return () => joins;
}

test('a change made between the page render and its join to the event room still shows', async ({ browser }) => {
  const olga = await newMember(browser, 'Olga', { tag: TAG });
  setRole(olga.handle, 'organiser');
  const starts = new Date(Date.now() + 60 * 60 * 1000);
  const created = await olga.context.request.post('/api/v1/events', {
    data: {
      title: `Late join clinic ${run}`,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/late-join',
      countries: ['FR'],
      themes: ['digital-government'],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const slug = ((await created.json()) as { slug: string }).slug;

  const ann = await newMember(browser, 'Ann', { tag: TAG });
  expect((await ann.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } })).status()).toBe(
    200,
  );
  const page = await ann.context.newPage();
  // Between the page and the server: its frames pass, except the join, held until released.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = 0;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (typeof message === 'string' && message.includes('"event:watch"')) {
        held += 1;
        void released.then(() => server.send(message));
        return;
      }
      server.send(message);
    });
  });
  await page.goto(`/events/${slug}`);
  await expect(page.getByText('Questions are not open at the moment.')).toBeVisible();
  await expect.poll(() => held).toBe(1);

  // Questions open while the page is not in the room yet: their broadcast does not reach it.
  const opened = await olga.context.request.post(`/api/v1/events/${slug}/qa`, { data: { open: true } });
  expect(opened.status(), await opened.text()).toBe(200);
  release();
  await expect(page.getByLabel('Your question')).toBeVisible();
  await expect(page.getByText('Questions are not open at the moment.')).toHaveCount(0);

  // The stage view joins, reads the event again once joined, and stays in the room: a question
  // asked afterwards shows live, and the page has joined once (a join on every reload would loop).
  const stage = await olga.context.newPage();
  const joins = await countJoins(stage);
  const reloaded = stage.waitForResponse((r) => r.url().includes('/stage/__data.json'));
  await stage.goto(`/events/${slug}/stage`);
  await reloaded;
  const asked = await ann.context.request.post(`/api/v1/events/${slug}/questions`, {
    data: { body: 'Is the recording public?' },
  });
  expect(asked.status(), await asked.text()).toBe(201);
  await expect(stage.getByText('Is the recording public?')).toBeVisible();
  expect(joins()).toBe(1);

  // The door too: it reloads when someone answers, and joins once.
  const door = await olga.context.newPage();
  const doorJoins = await countJoins(door);
  const doorData = () => door.waitForResponse((r) => r.url().includes('/checkin/__data.json'));
  const joinedDoor = doorData();
  await door.goto(`/events/${slug}/checkin`);
  await joinedDoor;
  const ben = await newMember(browser, 'Ben', { tag: TAG });
  const answered = doorData();
  expect((await ben.context.request.put(`/api/v1/events/${slug}/rsvp`, { data: { status: 'going' } })).status()).toBe(
    200,
  );
  await answered;
  expect(doorJoins()).toBe(1);
  await ben.context.close();
  await olga.context.close();
  await ann.context.close();
});

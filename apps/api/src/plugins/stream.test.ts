/** The plain WebSocket stream across a disconnect: every activity once, in order, nothing lost. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, listen, signUpAs, uniqueSlug } from '../testing.ts';
import { closeSockets, openStream } from '../testing-sockets.ts';
import { until } from '../testing-until.ts';

let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  app = await createTestApp();
  origin = (await listen(app)).replace('http', 'ws');
});
afterAll(async () => {
  closeSockets();
  await app.close();
});

function open(query: string) {
  return openStream(`${origin}/api/v1/stream${query}`);
}

async function newCase(slug: string) {
  const admin = await signUpAs(app, 'admin');
  await app.cases.create(
    { id: admin.user.id, role: 'admin' },
    {
      slug,
      title: `Stream case ${slug}`,
      summary: 'Made while a stream client comes and goes.',
      countries: ['HM'],
      themes: ['justice'],
      year: 2026,
      organisation: 'Test',
      levelOfGovernment: 'national',
      stage: 'idea',
    },
  );
  await app.activities.poke();
}

describe('stream replay across a reconnect', () => {
  it('loses nothing and repeats nothing when a client resumes with `since`', async () => {
    const slugs = Array.from({ length: 9 }, () => uniqueSlug('st'));
    // The order the outbox hands activities out in ((xid, id): cases created at once may commit
    // out of id order), which the stream must keep, replay or live.
    const handedOut: string[] = [];
    const unsubscribe = app.activities.subscribe((activity) => handedOut.push(activity.id));
    const start = app.activities.lastId();
    const first = open(`?since=${start}&country=HM`);
    await first.opened;
    for (const slug of slugs.slice(0, 3)) await newCase(slug);
    await until(() => first.messages.filter((m) => slugs.includes(m.objectId)).length === 3, 'the first three');
    const lastSeen = first.messages.at(-1)!.id;
    first.ws.close();
    // While the client is away.
    for (const slug of slugs.slice(3, 6)) await newCase(slug);
    const second = open(`?since=${lastSeen}&country=HM`);
    await second.opened;
    // Live again, racing with the replay.
    await Promise.all(slugs.slice(6).map((slug) => newCase(slug)));
    await until(
      () => second.messages.filter((m) => slugs.includes(m.objectId)).length >= 6,
      'the replay and the live ones',
    );
    // A marker made after the others comes after them on the stream: once it is here, so is
    // anything the stream would repeat.
    const marker = uniqueSlug('st');
    await newCase(marker);
    await until(() => second.messages.some((m) => m.objectId === marker), 'the marker');
    second.ws.close();
    unsubscribe();
    const seen = [...first.messages, ...second.messages].filter((m) => slugs.includes(m.objectId));
    expect(seen.map((m) => m.objectId).sort()).toEqual([...slugs].sort());
    const ids = seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(handedOut.filter((id) => ids.includes(id)));
  });
});

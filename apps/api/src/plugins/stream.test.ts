/** The plain WebSocket stream across a disconnect: every activity once, in order, nothing lost. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { StreamActivity } from '@opsi/contracts/realtime';
import { createTestApp, uniqueSlug } from '../testing.ts';

let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  app = await createTestApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  origin = `ws://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await app.close();
});

function open(query: string) {
  const ws = new WebSocket(`${origin}/api/v1/stream${query}`);
  const messages: StreamActivity[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as StreamActivity));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, opened };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function newCase(slug: string) {
  await app.cases.create(
    { id: '1', role: 'admin' },
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
    await new Promise((r) => setTimeout(r, 300));
    second.ws.close();
    const seen = [...first.messages, ...second.messages].filter((m) => slugs.includes(m.objectId));
    expect(seen.map((m) => m.objectId).sort()).toEqual([...slugs].sort());
    const ids = seen.map((m) => BigInt(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

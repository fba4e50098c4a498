import { describe, expect, it } from 'vitest';
import type { CaseEditors } from '@opsi/contracts/realtime';
import { call, createTestCase, signUpAll } from '../../../testing.ts';
import { ack, connectSocket, listeningAppForFile, nextEvent } from '../../../testing-sockets.ts';

const { app, origin } = await listeningAppForFile({ ABUSE_LIMITS: 'off' });
const [member, organiser, moderator] = await signUpAll(app, 'member', 'organiser', 'moderator');

describe('editors of a case, live', () => {
  it('lists who is on the edit page, and drops those who leave or disconnect', async () => {
    const slug = await createTestCase(app);
    const first = await connectSocket(origin, { who: organiser });
    const joined = await ack<CaseEditors>(first, 'case:edit', { slug });
    expect(joined).toEqual({
      ok: true,
      data: { slug, editors: [{ handle: organiser.handle, displayName: `Member ${organiser.handle}` }] },
    });

    const second = await connectSocket(origin, { who: moderator });
    const seen = nextEvent(first, 'case:editors', (p) => p.editors.length === 2);
    const both = await ack<CaseEditors>(second, 'case:edit', { slug });
    expect(both.ok && both.data.editors.map((e) => e.handle).sort()).toEqual(
      [organiser.handle, moderator.handle].sort(),
    );
    expect((await seen).slug).toBe(slug);

    const left = nextEvent(first, 'case:editors', (p) => p.editors.length === 1);
    await ack(second, 'case:unedit', { slug });
    expect((await left).editors[0]!.handle).toBe(organiser.handle);

    await ack(second, 'case:edit', { slug });
    const gone = nextEvent(first, 'case:editors', (p) => p.editors.every((e) => e.handle !== moderator.handle));
    second.disconnect();
    expect((await gone).editors.map((e) => e.handle)).toEqual([organiser.handle]);
  });

  it('refuses anonymous sockets, members and unknown cases', async () => {
    const slug = await createTestCase(app);
    const anonymous = await connectSocket(origin);
    expect(await ack(anonymous, 'case:edit', { slug })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const plain = await connectSocket(origin, { who: member });
    expect(await ack(plain, 'case:edit', { slug })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const editor = await connectSocket(origin, { who: organiser });
    expect(await ack(editor, 'case:edit', { slug: 'no-such-case' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await ack(editor, 'case:edit', { slug: 'NOT A SLUG' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
  });

  it('tells the editors when someone saves, under the slug they opened even after a rename', async () => {
    const slug = await createTestCase(app);
    const watcher = await connectSocket(origin, { who: moderator });
    await ack(watcher, 'case:edit', { slug });
    const saved = nextEvent(watcher, 'case:saved', (p) => p.version === 2);
    const res = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/v1/cases/${slug}`,
      payload: { version: 1, slug: `${slug}-r` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await saved).toEqual({
      slug,
      currentSlug: `${slug}-r`,
      version: 2,
      editor: { handle: organiser.handle, displayName: `Member ${organiser.handle}` },
    });
  });
});

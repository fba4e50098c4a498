/** The test kit's own rules: waiting with a deadline, a clock that moves only when told, inert HTML. */
import { describe, expect, it } from 'vitest';
import { testClock } from './testing.ts';
import { eventually, until } from './testing-until.ts';
import { expectInertHtml } from './testing-html.ts';

describe('until and eventually', () => {
  it('return as soon as the condition holds, with the value read', async () => {
    let reads = 0;
    await until(() => (reads += 1) >= 3, 'the third read', { every: 1 });
    expect(reads).toBe(3);
    let n = 0;
    expect(
      await eventually(
        async () => (n += 1),
        (v) => v === 2,
        'two',
        { every: 1 },
      ),
    ).toBe(2);
  });

  it('fail after the deadline, naming what they waited for (as it stands then)', async () => {
    await expect(until(() => false, 'the impossible', { within: 30, every: 5 })).rejects.toThrow(
      'timed out waiting for the impossible',
    );
    let state = 'nothing';
    await expect(
      eventually(
        () => (state = 'still nothing'),
        () => false,
        () => `a change (${state})`,
        { within: 30, every: 5 },
      ),
    ).rejects.toThrow('timed out waiting for a change (still nothing)');
  });
});

describe('testClock', () => {
  it('stands still until set or advanced', () => {
    const clock = testClock('2030-01-01T10:00:00Z');
    expect(clock().toISOString()).toBe('2030-01-01T10:00:00.000Z');
    expect(clock().toISOString()).toBe('2030-01-01T10:00:00.000Z');
    expect(clock.advance(90_000).toISOString()).toBe('2030-01-01T10:01:30.000Z');
    expect(clock().toISOString()).toBe('2030-01-01T10:01:30.000Z');
    clock.set('2030-06-01T00:00:00Z');
    expect(clock().toISOString()).toBe('2030-06-01T00:00:00.000Z');
    // Each reading is a new Date: a caller changing it does not move the clock.
    clock().setTime(0);
    expect(clock().toISOString()).toBe('2030-06-01T00:00:00.000Z');
  });
});

describe('expectInertHtml', () => {
  it('passes what the renderer makes: allowed tags, safe links, mentions, code classes', () => {
    expectInertHtml(
      '<p><a href="https://x.org" rel="nofollow ugc noopener">x</a> <a class="mention" href="/people/ada">@ada</a></p>\n' +
        '<ol start="3"><li><code class="language-ts">a &lt;script&gt;</code></li></ol>',
    );
  });

  it('fails on a tag, an attribute, a link or a missing rel the renderer must never emit', () => {
    for (const html of [
      '<img src="https://x.org/p.gif">',
      '<p onclick="alert(1)">x</p>',
      '<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>',
      '<a href="https://x.org">x</a>',
      '<code class="evil">x</code>',
      '<p>&lt;</p><script>alert(1)</script>',
    ])
      expect(() => expectInertHtml(html), html).toThrow();
  });
});

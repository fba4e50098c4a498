/** The test kit's own rules: waiting with a deadline, and a clock that moves only when told. */
import { describe, expect, it } from 'vitest';
import { testClock } from './testing.ts';
import { eventually, until } from './testing-until.ts';

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

import { describe, expect, it } from 'vitest';
import { singleFlight } from './single-flight.ts';

/** A run the test finishes by hand, so nothing depends on timing. */
function controlledRuns() {
  const runs: { finish: () => void; fail: (error: unknown) => void }[] = [];
  const run = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ finish: resolve, fail: reject });
    });
  return { runs, run };
}

/** Lets every settled promise run its callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('singleFlight', () => {
  it('runs once for one poke and resolves when that run has ended', async () => {
    const { runs, run } = controlledRuns();
    const flight = singleFlight(run, () => undefined);
    let done = false;
    const poked = flight.poke().then(() => (done = true));
    expect(runs).toHaveLength(1);
    await settle();
    expect(done).toBe(false);
    runs[0]!.finish();
    await poked;
    expect(runs).toHaveLength(1);
  });

  it('turns any number of pokes during a run into one more run, which they all wait for', async () => {
    const { runs, run } = controlledRuns();
    const flight = singleFlight(run, () => undefined);
    void flight.poke();
    const during = [flight.poke(), flight.poke(), flight.poke()];
    let done = 0;
    for (const p of during) void p.then(() => (done += 1));
    expect(runs).toHaveLength(1);

    runs[0]!.finish();
    await settle();
    // The run they asked for began after them: they are not done with the first one.
    expect(runs).toHaveLength(2);
    expect(done).toBe(0);

    runs[1]!.finish();
    await Promise.all(during);
    expect(done).toBe(3);
    expect(runs).toHaveLength(2);
  });

  it('starts afresh for a poke after the runs have ended', async () => {
    const { runs, run } = controlledRuns();
    const flight = singleFlight(run, () => undefined);
    const first = flight.poke();
    runs[0]!.finish();
    await first;
    const second = flight.poke();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await second;
  });

  it('reports a failed run, never rejects, and still makes the run a poke asked for meanwhile', async () => {
    const { runs, run } = controlledRuns();
    const errors: unknown[] = [];
    const flight = singleFlight(run, (error) => errors.push(error));
    const first = flight.poke();
    const during = flight.poke();
    runs[0]!.fail(new Error('database gone'));
    await settle();
    expect(errors).toEqual([new Error('database gone')]);
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await expect(first).resolves.toBeUndefined();
    await expect(during).resolves.toBeUndefined();
  });

  it('closes: waits for the run under way, drops the run asked for, and starts none after', async () => {
    const { runs, run } = controlledRuns();
    const flight = singleFlight(run, () => undefined);
    void flight.poke();
    void flight.poke();
    let closed = false;
    const closing = flight.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    runs[0]!.finish();
    await closing;
    expect(runs).toHaveLength(1);
    await flight.poke();
    expect(runs).toHaveLength(1);
  });

  it('gives the runs under way, with those asked for meanwhile, as current(); null when none is', async () => {
    const { runs, run } = controlledRuns();
    const flight = singleFlight(run, () => undefined);
    expect(flight.current()).toBeNull();
    const poked = flight.poke();
    expect(flight.current()).toBe(poked);
    void flight.poke();
    let ended = false;
    void flight.current()!.then(() => (ended = true));
    runs[0]!.finish();
    await settle();
    // The run asked for meanwhile is part of what current() waits for.
    expect(runs).toHaveLength(2);
    expect(ended).toBe(false);
    runs[1]!.finish();
    await poked;
    expect(ended).toBe(true);
    expect(flight.current()).toBeNull();
  });
});

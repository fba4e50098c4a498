import { describe, expect, it } from 'vitest';
import { until } from '../testing-until.ts';
import { freshLoads } from './fresh-load.ts';

/** Loads that end when the test lets one end (`open`, before or after it began), numbered as begun. */
function gatedLoads() {
  const gates: (() => void)[] = [];
  let permits = 0;
  let begun = 0;
  const load = async () => {
    begun += 1;
    const n = begun;
    if (permits > 0) permits -= 1;
    else await new Promise<void>((resolve) => gates.push(resolve));
    return n;
  };
  const open = () => {
    const gate = gates.shift();
    if (gate) gate();
    else permits += 1;
  };
  return { load, begun: () => begun, open };
}

describe('freshLoads', () => {
  it('gives a caller who comes during a load the next load, shared by all who came meanwhile', async () => {
    const loads = freshLoads();
    const { load, begun, open } = gatedLoads();
    const first = loads.get('k', load);
    expect(begun()).toBe(1);
    // Both come while load 1 is under way: they wait for load 2, which they share.
    const second = loads.get('k', load);
    const third = loads.get('k', load);
    expect(begun()).toBe(1);
    open();
    expect(await first).toBe(1);
    await until(() => begun() === 2, 'load 2 begun');
    // One who comes during load 2 waits for load 3.
    const fourth = loads.get('k', load);
    open();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    open();
    expect(await fourth).toBe(3);
    expect(begun()).toBe(3);
  });

  it('keeps keys apart, starts at once when nothing runs, and a failed load fails only its callers', async () => {
    const loads = freshLoads();
    const { load, begun, open } = gatedLoads();
    const a = loads.get('a', load);
    const b = loads.get('b', load);
    expect(begun()).toBe(2);
    open();
    open();
    expect([await a, await b]).toEqual([1, 2]);
    const failing = loads.get('a', () => Promise.reject(new Error('down')));
    const after = loads.get('a', async () => 'fine');
    await expect(failing).rejects.toThrow('down');
    expect(await after).toBe('fine');
    expect(await loads.get('a', async () => 'alone')).toBe('alone');
  });
});

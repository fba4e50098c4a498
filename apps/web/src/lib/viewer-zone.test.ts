/**
 * detectTimeZone: the page asks the zone worker, keeps its texts and its zone (in the `tz` cookie),
 * and only then shows the viewer's times; where the worker cannot run, the page finds the zone
 * itself once idle. A fake Worker stands for the browser's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ZoneAnswer, ZoneQuestion } from './event-time.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

const question: ZoneQuestion = {
  formatLocale: 'en-GB',
  cards: [{ startsAt: '2027-01-12T08:00:00.000Z', endsAt: '2027-01-12T16:00:00.000Z', timezone: 'Europe/Paris' }],
  pages: [],
};

class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((message: { data: ZoneAnswer }) => void) | null = null;
  onerror: (() => void) | null = null;
  posted: unknown[] = [];
  terminated = false;
  readonly url: URL;
  readonly options: WorkerOptions;
  constructor(url: URL, options: WorkerOptions) {
    this.url = url;
    this.options = options;
    FakeWorker.made.push(this);
  }
  postMessage(message: unknown) {
    this.posted.push(structuredClone(message));
  }
  terminate() {
    this.terminated = true;
  }
}

/** A browser page: a cookie jar, no texts left by the server, and idle callbacks run when asked. */
async function page(withWorker: boolean) {
  FakeWorker.made = [];
  const jar = { cookie: '' };
  vi.stubGlobal('document', {
    getElementById: () => null,
    get cookie() {
      return jar.cookie;
    },
    set cookie(value: string) {
      jar.cookie = value.split(';')[0] ?? '';
    },
  });
  const idle: (() => void)[] = [];
  vi.stubGlobal('requestIdleCallback', (run: () => void) => idle.push(run));
  vi.stubGlobal('cancelIdleCallback', () => {});
  if (withWorker) vi.stubGlobal('Worker', FakeWorker);
  else vi.stubGlobal('Worker', undefined);
  const { detectTimeZone } = await import('./viewer-zone.ts');
  const { formatOnce } = await import('./intl.ts');
  return { detectTimeZone, formatOnce, jar, idle };
}

describe('detectTimeZone', () => {
  it('asks the worker, keeps its texts and zone, then tells the page', async () => {
    const { detectTimeZone, formatOnce, jar } = await page(true);
    const found = vi.fn();
    detectTimeZone(() => question, found);
    const worker = FakeWorker.made[0];
    expect(worker?.options.type).toBe('module');
    expect(String(worker?.url)).toMatch(/zone-worker\.ts$/);
    expect(worker?.posted).toEqual([question]);
    expect(found).not.toHaveBeenCalled();

    worker?.onmessage?.({ data: { zone: 'Asia/Tokyo', formats: [['event\u0001k', 'Wed, 13 Jan 2027, 01:00 GMT+9']] } });
    expect(found).toHaveBeenCalledWith('Asia/Tokyo');
    expect(worker?.terminated).toBe(true);
    expect(jar.cookie).toBe('tz=Asia%2FTokyo');
    expect(formatOnce('event\u0001k', () => 'formatted on the page')).toBe('Wed, 13 Jan 2027, 01:00 GMT+9');
  });

  it('tells nothing when the worker could not tell the zone, or the page has gone', async () => {
    const { detectTimeZone, jar } = await page(true);
    const found = vi.fn();
    detectTimeZone(() => question, found);
    FakeWorker.made[0]?.onmessage?.({ data: { zone: null, formats: [] } });
    const cancel = detectTimeZone(() => question, found);
    cancel();
    expect(FakeWorker.made[1]?.terminated).toBe(true);
    FakeWorker.made[1]?.onmessage?.({ data: { zone: 'Asia/Tokyo', formats: [] } });
    expect(found).not.toHaveBeenCalled();
    expect(jar.cookie).toBe('');
  });

  it('finds the zone on the page, once idle, when the worker fails or cannot run', async () => {
    const failing = await page(true);
    const found = vi.fn();
    failing.detectTimeZone(() => question, found);
    FakeWorker.made[0]?.onerror?.();
    expect(found).not.toHaveBeenCalled();
    failing.idle.forEach((run) => run());
    expect(found).toHaveBeenCalledWith(Intl.DateTimeFormat().resolvedOptions().timeZone);

    vi.resetModules();
    const without = await page(false);
    const foundToo = vi.fn();
    without.detectTimeZone(() => question, foundToo);
    without.idle.forEach((run) => run());
    expect(foundToo).toHaveBeenCalledWith(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(without.jar.cookie).toMatch(/^tz=/);
  });
});

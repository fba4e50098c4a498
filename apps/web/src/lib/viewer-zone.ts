/**
 * Showing event times in the viewer's zone. The server renders them in the zone the browser last
 * told it (the `tz` cookie) or the event's own; once the page runs, the browser's zone is found
 * and the page's event times are formatted in it by the zone worker (#lib/zone-worker.ts), so
 * that the page's main thread never starts ICU's date formatting for them. Where a worker cannot
 * run, the page does it itself once idle.
 */
import { browserTimeZone, rememberTimeZone, type ZoneAnswer, type ZoneQuestion } from '#lib/event-time.ts';
import { keepFormats } from '#lib/intl.ts';

/** Runs `work` once the page is idle (at most a second later); returns what cancels it. */
function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(work, { timeout: 1000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(work, 0);
  return () => clearTimeout(id);
}

/**
 * Calls `found` with the browser's zone (remembered in the cookie), once the times of the events
 * `question` names are formatted in it: the page then shows them without formatting anything.
 * Returns what cancels it (for onMount).
 */
export function detectTimeZone(question: () => ZoneQuestion, found: (zone: string) => void): () => void {
  let cancelled = false;
  let cancelFallback = () => {};
  const use = (zone: string | null) => {
    if (cancelled || !zone) return;
    rememberTimeZone(zone);
    found(zone);
  };
  const onMainThread = () => {
    cancelFallback = whenIdle(() => use(browserTimeZone()));
  };

  let worker: Worker;
  try {
    worker = new Worker(new URL('./zone-worker.ts', import.meta.url), { type: 'module', name: 'zones' });
  } catch {
    onMainThread();
    return () => {
      cancelled = true;
      cancelFallback();
    };
  }
  worker.onmessage = ({ data }: MessageEvent<ZoneAnswer>) => {
    worker.terminate();
    if (cancelled) return;
    keepFormats(data.formats);
    use(data.zone);
  };
  worker.onerror = () => {
    worker.terminate();
    if (!cancelled) onMainThread();
  };
  try {
    worker.postMessage(question());
  } catch {
    worker.terminate();
    onMainThread();
  }
  return () => {
    cancelled = true;
    worker.terminate();
    cancelFallback();
  };
}

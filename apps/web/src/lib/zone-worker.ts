/**
 * The zone worker: finds the browser's time zone and formats a page's event times in it, away from
 * the page's main thread. The first date formatter a page makes starts ICU's date formatting,
 * 25–110 ms on this machine and four times that on a slow phone, in one task that blocks taps and
 * scrolling; here it runs on the worker's thread, and the page only looks the texts up
 * (#lib/viewer-zone.ts).
 */
import { browserTimeZone, zoneTexts, type ZoneAnswer, type ZoneQuestion } from '#lib/event-time.ts';

interface WorkerScope {
  onmessage: ((message: MessageEvent<ZoneQuestion>) => void) | null;
  postMessage(answer: ZoneAnswer): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = ({ data }) => {
  const zone = browserTimeZone();
  scope.postMessage({ zone, formats: zone ? zoneTexts(data, zone) : [] });
};

/**
 * The zone a page shows event times in: the one the server rendered with (the `tz` cookie, or
 * none), until the browser's own is found once the page runs (#lib/viewer-zone.ts). Call it while
 * a component initialises; `current` follows `remembered` until then.
 */
import { onMount } from 'svelte';
import type { ZoneQuestion } from '#lib/event-time.ts';
import { detectTimeZone } from '#lib/viewer-zone.ts';

export function viewerZone(
  remembered: () => string | null,
  question: () => ZoneQuestion,
): { readonly current: string | null } {
  let detected = $state<string | null>(null);
  const current = $derived(detected ?? remembered());
  onMount(() => detectTimeZone(question, (zone) => (detected = zone)));
  return {
    get current() {
      return current;
    },
  };
}

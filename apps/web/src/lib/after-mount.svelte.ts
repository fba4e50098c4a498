/**
 * Keeps a piece of the DOM that Svelte does not own (a radio list or select written as HTML, a
 * search box the page updates by hand) in step with a value, from the first change after the
 * component mounted. Never at mount: the server rendered the DOM with that value already, and
 * whatever a person chose or typed before the page's scripts ran must stay (hydration would
 * otherwise put the rendered value back). Call it while a component initialises.
 */
import { untrack } from 'svelte';

export function whenChanged<T>(read: () => T, apply: (value: T) => void): void {
  let mounted = false;
  $effect(() => {
    const value = read();
    if (!mounted) {
      mounted = true;
      return;
    }
    untrack(() => apply(value));
  });
}

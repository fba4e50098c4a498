/**
 * With JavaScript, the /cases filter form applies itself as people change it: the URL is
 * replaced in place (no history entry per click), and focus and scroll stay where they are.
 * Without JavaScript the same form is a plain GET form with a submit button.
 */
import { goto } from '$app/navigation';
import type { ResolvedPathname } from '$app/types';
import { casesPath, parseFilters } from '#lib/case-query.ts';
import { href } from '#lib/i18n.ts';

let timer: ReturnType<typeof setTimeout> | undefined;

function targetOf(form: HTMLFormElement): ResolvedPathname {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === 'string') params.append(key, value);
  }
  return href(casesPath(parseFilters(params)));
}

/** Apply the form after `delay` ms of calm (typing, arrowing through radios). */
export function scheduleApply(form: HTMLFormElement, delay: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const target = targetOf(form);
    if (target !== location.pathname + location.search) {
      void goto(target, { replace: true, reset: false });
    }
  }, delay);
}

/** Apply the form now (its submit button), as a new history entry. */
export async function applyNow(form: HTMLFormElement): Promise<void> {
  clearTimeout(timer);
  const target = targetOf(form);
  if (target !== location.pathname + location.search) {
    await goto(target, { reset: false });
  }
}

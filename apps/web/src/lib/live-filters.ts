/**
 * With JavaScript, a filter form (/cases, /people) applies itself as people change it: the URL is
 * replaced in place (no history entry per click), and focus and scroll stay where they are.
 * Without JavaScript the same form is a plain GET form with a submit button.
 */
import { goto } from '$app/navigation';
import type { ResolvedPathname } from '$app/types';
import { casesPath, parseFilters } from '#lib/case-query.ts';
import { href } from '#lib/i18n.ts';

let timer: ReturnType<typeof setTimeout> | undefined;

/** The page (without the language prefix) that shows a form's values. */
export type PathOf = (params: URLSearchParams) => string;

const casesPathOf: PathOf = (params) => casesPath(parseFilters(params));

function targetOf(form: HTMLFormElement, pathOf: PathOf): ResolvedPathname {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === 'string') params.append(key, value);
  }
  return href(pathOf(params));
}

/** Apply the form after `delay` ms of calm (typing, arrowing through radios). */
export function scheduleApply(form: HTMLFormElement, delay: number, pathOf: PathOf = casesPathOf): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const target = targetOf(form, pathOf);
    if (target !== location.pathname + location.search) {
      void goto(target, { replace: true, reset: false });
    }
  }, delay);
}

/** Apply the form now (its submit button), as a new history entry. */
export async function applyNow(form: HTMLFormElement, pathOf: PathOf = casesPathOf): Promise<void> {
  clearTimeout(timer);
  const target = targetOf(form, pathOf);
  if (target !== location.pathname + location.search) {
    await goto(target, { reset: false });
  }
}

/** A filter form's change handler: choosing in one of its selects applies the filters (in 250 ms, coalesced). */
export function selectsApply(form: () => HTMLFormElement, pathOf: PathOf): (event: Event) => void {
  return (event) => {
    if (event.target instanceof HTMLSelectElement) scheduleApply(form(), 250, pathOf);
  };
}

/**
 * Server side of the case form: its choices (countries and themes in the UI language), the
 * form's own problems and the API's refusals as messages next to the fields, the stale edit's
 * current case (409 `stale_version`), and a case's old slug sent on to its current one.
 */
import { redirect } from '@sveltejs/kit';
import type { CaseDetail } from '@opsi/contracts/cases';
import { apiFor, type ApiCaller } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { CASE_LIMITS, type CaseField, type CaseFormProblem } from '#lib/cases/case-form.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { href, type Locale } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { formProblem } from '#lib/server/forms.ts';
import { referenceChoices } from '#lib/server/reference.ts';

export function caseFormChoices(caller: ApiCaller, locale: Locale) {
  return referenceChoices(apiFor(caller), locale);
}

/** The form's own problems, in words. */
export function caseFormErrors(problems: Partial<Record<CaseField, CaseFormProblem>>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, problem] of Object.entries(problems) as [CaseField, CaseFormProblem][]) {
    if (problem === 'too_long') {
      errors[field] = m.field_too_long({ max: CASE_LIMITS[field as keyof typeof CASE_LIMITS] ?? 0 });
    } else if (field === 'slug') errors.slug = m.caseform_slug_invalid();
    else if (field === 'year') errors.year = m.caseform_year_invalid();
    else if (field === 'sourceUrl') errors.sourceUrl = m.field_link_invalid();
    else if (field === 'countries') errors.countries = m.caseform_countries_missing();
    else if (field === 'themes') errors.themes = m.caseform_themes_missing();
    else errors[field] = m.caseform_required();
  }
  return errors;
}

/** An API refusal as the form shows it: its status, messages by field, or one for the whole form. */
export function caseApiProblem(error: unknown): { status: number; errors: FieldErrors; alert: string | null } {
  const shown = formProblem(error, (problem) =>
    problem.field === 'slug' && problem.code === 'taken' ? m.caseform_slug_taken() : undefined,
  );
  return shown;
}

/** The case as it is now, when the API refused an edit as stale (409 `stale_version`). */
export function staleCurrent(error: unknown): CaseDetail | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const stale = error.problems.find((p) => p.code === 'stale_version');
  const current = stale?.params?.current;
  return current && typeof current === 'object' ? (current as CaseDetail) : null;
}

/** The current slug an API answer of 301 (a case's old slug) points to, or null. */
export function movedSlug(response: Response): string | null {
  if (response.status !== 301) return null;
  const location = response.headers.get('location') ?? '';
  return /^\/api\/v1\/cases\/([a-z0-9-]{2,40})(?:[/?]|$)/.exec(location)?.[1] ?? null;
}

/**
 * A case read through the API that answered 301 (an old slug): the same page under the current
 * slug (`suffix`, e.g. `/edit`), never kept by browsers (a case renamed back must not loop).
 */
export function redirectIfMoved(
  event: { setHeaders: (headers: Record<string, string>) => void },
  response: Response,
  locale: Locale,
  suffix = '',
): void {
  const slug = movedSlug(response);
  if (!slug) return;
  event.setHeaders({ 'cache-control': 'no-cache' });
  redirect(301, href(`/cases/${slug}${suffix}`, locale));
}

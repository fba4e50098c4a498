/**
 * Server side of the account forms: reading fields, the checks done here before calling the
 * API (so every problem shows at once, in the UI language), and turning API errors into
 * messages next to the fields.
 */
import { ApiError, type Problem } from '#lib/api/problem.ts';
import { PASSWORD_MAX, PASSWORD_MIN, type FieldErrors } from '#lib/forms.ts';
import { characters, EMAIL, EMAIL_MAX } from '#lib/input-rules.ts';
import { m } from '#lib/paraglide/messages.js';
import { problemText } from '#lib/problem-text.ts';

/** A text field, trimmed ('' when absent). */
export function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** A password field, exactly as typed: spaces count. */
export function secret(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

export function emailProblem(email: string): string | null {
  if (!email) return m.field_email_missing();
  if (email.length > EMAIL_MAX || !EMAIL.test(email)) return m.field_email_invalid();
  return null;
}

/** Length only: the API judges whether a password is too common. */
export function newPasswordProblem(password: string): string | null {
  if (!password) return m.field_new_password_missing();
  const length = characters(password);
  if (length < PASSWORD_MIN) return m.password_too_short({ min: PASSWORD_MIN });
  if (length > PASSWORD_MAX) return m.password_too_long({ max: PASSWORD_MAX });
  return null;
}

/**
 * The API's reasons for refusing a new password, in the UI language, from the problem's code: the
 * schema's lengths in the password rules' own words, the rest as every problem is worded.
 */
export function passwordRuleMessage(problem: Problem): string {
  if (problem.code === 'too_short') return m.password_too_short({ min: PASSWORD_MIN });
  if (problem.code === 'too_long') return m.password_too_long({ max: PASSWORD_MAX });
  return problemText(problem) ?? m.form_field_invalid();
}

/** "Try again in N minutes", from the API's Retry-After. */
export function waitMessage(error: ApiError): string {
  const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
  return m.form_rate_limited({ minutes });
}

export interface FormProblem {
  status: number;
  errors: FieldErrors;
  alert: string | null;
}

/**
 * What to show for an API error: messages next to the fields the API named (`fieldMessage`
 * gives the text for each, or undefined for the words of the problem's code), or one message for
 * the whole form.
 * Anything that is not an API error is thrown on (the error page).
 */
export function formProblem(
  error: unknown,
  fieldMessage: (problem: Problem, error: ApiError) => string | undefined = () => undefined,
): FormProblem {
  if (!(error instanceof ApiError)) throw error;
  if (error.status === 0 || error.status >= 500) return { status: 503, errors: {}, alert: m.form_unavailable() };
  if (error.status === 429) return { status: 429, errors: {}, alert: waitMessage(error) };
  if (error.status === 401) return { status: 401, errors: {}, alert: m.form_signed_out() };
  if (error.status === 403) return { status: 403, errors: {}, alert: m.form_refused() };
  const errors: FieldErrors = {};
  for (const problem of error.problems) {
    const field = problem.field.split('.')[0] ?? problem.field;
    errors[field] ??= fieldMessage(problem, error) ?? problemText(problem) ?? m.form_field_invalid();
  }
  return {
    status: error.status,
    errors,
    alert: Object.keys(errors).length > 0 ? null : m.form_failed(),
  };
}

/** Whether the problem list has any message. */
export function hasErrors(errors: FieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}

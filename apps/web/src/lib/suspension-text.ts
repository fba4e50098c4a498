/** The sign-in page's words for a suspended account: until when (in the reader's locale) and why. */
import type { Problem } from '#lib/api/problem.ts';
import { formatDateTime } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';

/** The sentence for the 403 `account_suspended` problem, or null for any other problem. */
export function suspensionText(problems: Problem[], formatLocale: string): string | null {
  const problem = problems.find((p) => p.code === 'account_suspended');
  if (!problem) return null;
  const params = problem.params ?? {};
  const reason = typeof params.reason === 'string' ? params.reason : '';
  const until = typeof params.until === 'string' ? params.until : '';
  return until
    ? m.login_suspended_until({ until: formatDateTime(until, formatLocale), reason })
    : m.login_suspended({ reason });
}

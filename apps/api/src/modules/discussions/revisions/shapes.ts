/** Earlier versions of a post as the API shows them, and who may redact one and why. */
import type { PostRevision } from '@opsi/contracts/discussions';
import { AppError, problem } from '../../../platform/errors.ts';
import { canModerate, type PostActor } from '../service.ts';
import type * as revisions from './repository.ts';

/** An earlier version as everyone sees it: a redacted one has no text (the database has none either). */
export function toRevision(r: revisions.RevisionRow): PostRevision {
  const redacted = r.redactedAt !== null;
  return {
    id: r.id,
    body: redacted ? '' : r.body,
    bodyHtml: redacted ? '' : r.bodyHtml,
    writtenAt: r.writtenAt.toISOString(),
    replacedAt: r.replacedAt.toISOString(),
    replacedBy:
      r.replacedByHandle && r.replacedByName ? { handle: r.replacedByHandle, displayName: r.replacedByName } : null,
    redacted,
    redactedAt: r.redactedAt?.toISOString() ?? null,
  };
}

// eslint-disable-next-line no-control-regex -- control characters (other than tab and line breaks) never belong in a reason
const CONTROL = /[\u0000-\u0008\v\f\u000e-\u001f\u007f]/;

/** A moderator (or admin) and their reason for a redaction, or the error that says why not. */
export function redactionBy(
  actor: PostActor | null,
  rawReason: string,
  field: string,
): { moderator: PostActor; reason: string } {
  if (!actor) throw new AppError('unauthorized', 'Sign in to redact a version of a post');
  if (!canModerate(actor)) throw new AppError('forbidden', 'Only moderators and admins can redact a version of a post');
  const reason = rawReason.trim();
  const refusal = !reason
    ? problem(field, 'blank', `${field} must not be empty`)
    : CONTROL.test(reason)
      ? problem(field, 'control_characters', `${field} must not contain control characters`)
      : null;
  if (refusal) throw new AppError('validation_failed', refusal.message, [refusal]);
  return { moderator: actor, reason };
}

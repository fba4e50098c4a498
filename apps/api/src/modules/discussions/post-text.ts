/** A new post's text: its body as stored, and the language it is written in. */
import type { NewPost } from '@opsi/contracts/discussions';
import { AppError, problem } from '../../platform/errors.ts';
import { detectLanguage } from '../../platform/language.ts';

/** PostgreSQL text cannot hold NUL; everything else is kept as typed. */
export function cleanBody(body: string): string {
  const cleaned = body.replaceAll('\u0000', '');
  if (!cleaned.trim()) {
    throw new AppError('validation_failed', 'body must not be empty', [
      problem('body', 'blank', 'body must not be empty'),
    ]);
  }
  return cleaned;
}

/**
 * The language of a new post: the one its author gave, else the one its words tell (`excerpt`,
 * the plain text of the rendered body), else its case's.
 */
export function postLanguage(input: Pick<NewPost, 'language'>, excerpt: string, caseLanguage: string): string {
  return input.language ?? detectLanguage(excerpt, caseLanguage);
}

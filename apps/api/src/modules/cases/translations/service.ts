/**
 * Translations of cases: organisers, moderators and admins write a case's title, summary and body
 * in another language than its own; readers get them with `?lang=` (cases service).
 */
import type { CaseTranslation, CaseTranslationInput } from '@opsi/contracts/case-translations';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../../platform/errors.ts';
import type { CaseActor } from '../service.ts';
import * as repo from './repository.ts';

const TRANSLATOR_ROLES: CaseActor['role'][] = ['organiser', 'moderator', 'admin'];

function toTranslation(slug: string, row: repo.TranslationRow): CaseTranslation {
  return {
    caseSlug: slug,
    language: row.language,
    title: row.title,
    summary: row.summary,
    body: row.body,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Text with no NUL (PostgreSQL text cannot hold it), trimmed; `field` must not be left blank. */
function cleaned(field: string, text: string, required: boolean): string {
  const value = text.replaceAll('\u0000', '').trim();
  if (required && !value) {
    throw new AppError('validation_failed', `${field} must not be empty`, [
      problem(field, 'blank', `${field} must not be empty`),
    ]);
  }
  return value;
}

export function createCaseTranslations(database: Database) {
  const db = database.kysely;

  async function caseOf(slug: string): Promise<repo.TranslatedCase> {
    const found = await repo.findTranslatedCase(db, slug);
    if (!found) throw new AppError('not_found', `No case with slug "${slug}"`);
    return found;
  }

  function mayTranslate(actor: CaseActor | null): CaseActor {
    if (!actor) throw new AppError('unauthorized', 'Sign in to translate a case');
    if (!TRANSLATOR_ROLES.includes(actor.role)) {
      throw new AppError('forbidden', 'Only organisers, moderators and admins can translate cases');
    }
    return actor;
  }

  return {
    async get(slug: string, language: string): Promise<CaseTranslation> {
      const found = await caseOf(slug);
      const row = await repo.findTranslation(db, found.id, language);
      if (!row) throw new AppError('not_found', `The case "${slug}" has no translation into "${language}"`);
      return toTranslation(found.slug, row);
    },

    /** Writes the translation into `language`: `created` when the case had none in it. */
    async put(
      actor: CaseActor | null,
      slug: string,
      language: string,
      input: CaseTranslationInput,
    ): Promise<{ translation: CaseTranslation; created: boolean }> {
      const editor = mayTranslate(actor);
      const found = await caseOf(slug);
      if (found.language === language) {
        throw new AppError('rule_violation', `The case is written in "${language}" already: edit the case instead`, [
          problem('language', 'same_language', `language: the case is written in "${language}"`, { value: language }),
        ]);
      }
      const { row, created } = await repo.upsertTranslation(db, {
        caseId: found.id,
        language,
        title: cleaned('title', input.title, true),
        summary: cleaned('summary', input.summary, true),
        body: cleaned('body', input.body ?? '', false),
        editorId: editor.id,
      });
      return { translation: toTranslation(found.slug, row), created };
    },

    async remove(actor: CaseActor | null, slug: string, language: string): Promise<void> {
      mayTranslate(actor);
      const found = await caseOf(slug);
      if (!(await repo.deleteTranslation(db, found.id, language))) {
        throw new AppError('not_found', `The case "${slug}" has no translation into "${language}"`);
      }
    },
  };
}

export type CaseTranslationsService = ReturnType<typeof createCaseTranslations>;

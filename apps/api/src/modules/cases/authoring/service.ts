/**
 * Editing cases: who may (organisers, moderators, admins), the same checks as a new case, the
 * stale-version refusal (409 with the case as it is now), renames (old slugs answer 301), and the
 * revisions. Each edit is one transaction: the row, its version, its revision, an old slug, the activity.
 */
import type {
  CaseEdit,
  CaseRevision,
  CaseRevisionList,
  CaseRevisionQuery,
  StaleVersionProblem,
} from '@opsi/contracts/case-authoring';
import type { CaseDetail } from '@opsi/contracts/cases';
import type { LevelOfGovernment, Stage } from '@opsi/contracts/cases';
import type { FieldProblem } from '@opsi/contracts/common';
import type { CaseSnapshot } from '@opsi/db/case-row';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../../platform/errors.ts';
import { badCursor, decodeCursor, encodeCursor } from '../../../platform/cursors.ts';
import { writerTransaction } from '../../../platform/outbox/repository.ts';
import { unknownCountries, unknownThemes } from '../../reference/service.ts';
import { renameFollowTarget } from '../../follows/service.ts';
import type { CaseActor } from '../service.ts';
import * as repo from './repository.ts';

const EDITOR_ROLES: CaseActor['role'][] = ['organiser', 'moderator', 'admin'];

export interface CaseEditor extends CaseActor {
  handle: string;
  displayName: string;
}

/** A stale edit: the 409 carries the case as it is now. */
export class StaleVersion extends AppError {
  readonly current: CaseDetail;
  constructor(current: CaseDetail, sent: number) {
    const detail: StaleVersionProblem = {
      ...problem('version', 'stale_version', `version ${sent} is stale: the case is at version ${current.version}`, {
        version: current.version,
      }),
      current,
    };
    super('conflict', `The case is at version ${current.version}; this edit started from version ${sent}`, [detail]);
    this.current = current;
  }
}

const SNAPSHOT_KEYS = [
  'slug',
  'title',
  'summary',
  'body',
  'countries',
  'themes',
  'year',
  'organisation',
  'levelOfGovernment',
  'stage',
  'sourceUrl',
  'language',
] as const;

/** The case after `edit`: text trimmed, countries and themes sorted as the row keeps them. */
export function applyEdit(before: CaseSnapshot, edit: CaseEdit): CaseSnapshot {
  const trim = (value: string | undefined, was: string) => (value === undefined ? was : value.trim());
  return {
    slug: edit.slug ?? before.slug,
    title: trim(edit.title, before.title),
    summary: trim(edit.summary, before.summary),
    body: trim(edit.body, before.body),
    countries: edit.countries ? [...edit.countries].sort() : before.countries,
    themes: edit.themes ? [...edit.themes].sort() : before.themes,
    year: edit.year ?? before.year,
    organisation: trim(edit.organisation, before.organisation),
    levelOfGovernment: edit.levelOfGovernment ?? before.levelOfGovernment,
    stage: edit.stage ?? before.stage,
    sourceUrl: edit.sourceUrl === undefined ? before.sourceUrl : edit.sourceUrl,
    language: edit.language ?? before.language,
  };
}

/** The fields whose values differ between two versions. */
export function changedFields(before: CaseSnapshot, after: CaseSnapshot): (keyof CaseSnapshot)[] {
  return SNAPSHOT_KEYS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

function toRevision(r: repo.RevisionRow): CaseRevision {
  return {
    version: r.version,
    editor: r.editorHandle && r.editorName ? { handle: r.editorHandle, displayName: r.editorName } : null,
    createdAt: r.createdAt.toISOString(),
    note: r.note || null,
    fields: {
      ...r.fields,
      levelOfGovernment: r.fields.levelOfGovernment as LevelOfGovernment,
      stage: r.fields.stage as Stage,
    },
  };
}

/** `get`: the case as the API shows it (the cases service's). */
export function createAuthoringService(database: Database, get: (slug: string) => Promise<CaseDetail>) {
  const db = database.kysely;

  async function caseIdOf(slug: string): Promise<string> {
    const holder = await repo.slugHolder(db, slug);
    if (!holder?.current) throw new AppError('not_found', `No case with slug "${slug}"`);
    return holder.caseId;
  }

  return {
    /** The current slug of a case that once had `slug`, or undefined. */
    movedTo: (slug: string): Promise<string | undefined> => repo.currentSlugOf(db, slug),

    async update(actor: CaseEditor | null, slug: string, edit: CaseEdit): Promise<CaseDetail> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to edit a case');
      if (!EDITOR_ROLES.includes(actor.role)) {
        throw new AppError('forbidden', 'Only organisers, moderators and admins can edit cases');
      }
      const [badCountries, badThemes] = await Promise.all([
        unknownCountries(db, edit.countries ?? []),
        unknownThemes(db, edit.themes ?? []),
      ]);
      const problems: FieldProblem[] = [
        ...badCountries.map((c) =>
          problem('countries', 'unknown_country', `countries: "${c}" is not an ISO 3166-1 country`, { value: c }),
        ),
        ...badThemes.map((t) => problem('themes', 'unknown_theme', `themes: "${t}" is not a theme`, { value: t })),
      ];
      for (const key of ['title', 'summary', 'organisation'] as const) {
        if (edit[key] !== undefined && !edit[key].trim()) problems.push(problem(key, 'blank', `${key} is blank`));
      }
      if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);

      const outcome = await writerTransaction(db, async (trx) => {
        const found = await repo.lockCase(trx, slug);
        if (!found) return { kind: 'not_found' as const };
        if (found.version !== edit.version) return { kind: 'stale' as const };
        const after = applyEdit(found.fields, edit);
        const changed = changedFields(found.fields, after);
        if (!changed.length) return { kind: 'unchanged' as const, slug: found.fields.slug };
        if (after.slug !== found.fields.slug) {
          const holder = await repo.slugHolder(trx, after.slug);
          if (holder && holder.caseId !== found.id) return { kind: 'slug_taken' as const, slug: after.slug };
          await renameFollowTarget(trx, 'case', found.fields.slug, after.slug);
        }
        const next = found.version + 1;
        await repo.saveVersion(trx, found.id, found.fields, after, next, {
          editorId: actor.id,
          note: edit.note?.trim() ?? '',
          activity: {
            verb: 'updated',
            objectType: 'case',
            objectId: after.slug,
            actorId: actor.id,
            // An edit is not news for those following the case's countries and themes (the feed
            // shows only new things anyway): it carries none.
            countries: [],
            themes: [],
            isPublic: true,
            payload: {
              title: after.title,
              version: next,
              editor: { handle: actor.handle, displayName: actor.displayName },
              ...(after.slug === found.fields.slug ? {} : { previousSlug: found.fields.slug }),
            },
          },
        });
        return { kind: 'saved' as const, slug: after.slug };
      });
      switch (outcome.kind) {
        case 'not_found': {
          const moved = await repo.currentSlugOf(db, slug);
          throw new AppError(
            'not_found',
            moved ? `The case "${slug}" is now "${moved}": edit it there` : `No case with slug "${slug}"`,
          );
        }
        case 'stale':
          throw new StaleVersion(await get(slug), edit.version);
        case 'slug_taken':
          throw new AppError('conflict', `The slug "${outcome.slug}" is taken`, [
            problem('slug', 'taken', 'slug is taken', { value: outcome.slug }),
          ]);
        default:
          return get(outcome.slug);
      }
    },

    async revisions(slug: string, query: CaseRevisionQuery): Promise<CaseRevisionList> {
      const caseId = await caseIdOf(slug);
      const limit = query.limit ?? 20;
      let before: number | undefined;
      if (query.cursor) {
        const afterId = decodeCursor(query.cursor).afterId;
        if (afterId === undefined) throw badCursor();
        before = Number(afterId);
      }
      const rows = await repo.listRevisions(db, caseId, { before, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toRevision),
        nextCursor: rows.length > limit && last ? encodeCursor({ afterId: String(last.version) }) : null,
      };
    },

    async revision(slug: string, version: number): Promise<CaseRevision> {
      const caseId = await caseIdOf(slug);
      const [row] = await repo.listRevisions(db, caseId, { version, limit: 1 });
      if (!row) throw new AppError('not_found', `The case "${slug}" has no version ${version}`);
      return toRevision(row);
    },
  };
}

export type AuthoringService = ReturnType<typeof createAuthoringService>;

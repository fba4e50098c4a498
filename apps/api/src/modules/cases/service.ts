/** Cases: the rules (filters, paging, who may add a case) and the mapping to API shapes. */
import type {
  CaseDetail,
  CaseFacets,
  CaseList,
  CaseListQuery,
  LevelOfGovernment,
  NewCase,
  Stage,
} from '@opsi/contracts/cases';
import type { Database } from '@opsi/db/database';
import type { CaseFields } from '@opsi/db/case-row';
import type { TransactionExecutor } from '@opsi/db/executor';
import { SLUG_MAX, slugify as slugOf } from '@opsi/common/slug';
import { ReservedSlugs } from '@opsi/contracts/common';
import { AppError, problem } from '../../platform/errors.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import { badCursor, cleanSearch, decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import { unknownCountries, unknownThemes } from '../reference/service.ts';
import * as repo from './repository.ts';

export interface CaseActor {
  id: string;
  role: 'member' | 'organiser' | 'moderator' | 'admin';
}

const EDITOR_ROLES: CaseActor['role'][] = ['organiser', 'moderator', 'admin'];

function filterOf(query: CaseListQuery): repo.CaseFilter {
  return { q: cleanSearch(query.q), country: query.country, theme: query.theme, year: query.year, stage: query.stage };
}

function toSummary(row: repo.CaseRow) {
  return {
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    countries: row.countries,
    themes: row.themes,
    year: row.year,
    organisation: row.organisation,
    levelOfGovernment: row.levelOfGovernment as LevelOfGovernment,
    stage: row.stage as Stage,
    language: row.language,
    textLanguage: row.textLanguage,
    postCount: row.postCount,
    lastActivityAt: row.lastActivityAt.toISOString(),
  };
}

export function createCasesService(database: Database) {
  const db = database.kysely;
  return {
    async list(query: CaseListQuery): Promise<CaseList> {
      const filter = filterOf(query);
      const limit = query.limit ?? 20;
      // With a search and no explicit sort, the best matches come first.
      const order: repo.CaseOrder = query.sort ?? (filter.q ? 'relevance' : 'activity');
      const byRank = order === 'relevance' && Boolean(filter.q);
      const cursor = query.cursor ? decodeCursor(query.cursor) : {};
      // A cursor only continues the kind of listing that issued it (ranked ones carry a rank).
      if (query.cursor && (cursor.afterId === undefined || byRank !== (cursor.rank !== undefined))) throw badCursor();
      const { rows, total: counted } = await repo.listCases(db, filter, order, {
        afterId: cursor.afterId,
        rank: cursor.rank,
        limit: limit + 1,
        lang: query.lang,
      });
      const total = counted ?? (await repo.countCases(db, filter));
      const page = rows.slice(0, limit);
      let nextCursor: string | null = null;
      if (rows.length > limit) {
        const last = page[page.length - 1];
        nextCursor = byRank
          ? encodeCursor({ afterId: last?.id ?? '0', rank: last?.rank ?? 0 })
          : encodeCursor({ afterId: last?.id ?? '0' });
      }
      return { items: page.map(toSummary), nextCursor, total };
    },

    async facets(query: CaseListQuery): Promise<CaseFacets> {
      const rows = await repo.caseFacets(db, filterOf(query));
      return { ...rows, stages: rows.stages.map((s) => ({ stage: s.stage as Stage, count: s.count })) };
    },

    /** Whether a case has this slug (a socket may watch its room). */
    exists: (slug: string): Promise<boolean> => repo.slugExists(db, slug),

    /** One case; with `lang`, in its translation into that language when it has one. */
    async get(slug: string, lang?: string): Promise<CaseDetail> {
      const row = await repo.findCaseBySlug(db, slug, lang);
      if (!row) throw new AppError('not_found', `No case with slug "${slug}"`);
      return {
        ...toSummary(row),
        body: row.body,
        bodyHtml: renderMarkdown(row.body),
        sourceUrl: row.sourceUrl,
        followerCount: row.followerCount,
        createdAt: row.createdAt.toISOString(),
        sourceId: row.sourceId,
        version: row.version,
        proposer: row.proposer,
        bodyLanguage: row.bodyLanguage,
        translations: row.translations,
      };
    },

    /** Refuses unknown countries and themes (422 naming the field), as a creation and a proposal do. */
    async validate(input: Pick<NewCase, 'countries' | 'themes'>): Promise<void> {
      const [badCountries, badThemes] = await Promise.all([
        unknownCountries(db, input.countries),
        unknownThemes(db, input.themes),
      ]);
      const problems = [
        ...badCountries.map((c) =>
          problem('countries', 'unknown_country', `countries: "${c}" is not an ISO 3166-1 country`, { value: c }),
        ),
        ...badThemes.map((t) => problem('themes', 'unknown_theme', `themes: "${t}" is not a theme`, { value: t })),
      ];
      if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);
    },

    /**
     * Publishes an approved proposal in the reviewer's transaction: the case (credited to
     * `proposerId`, created by them, revision 1 theirs) and its `created` activity, as any new case.
     * 409 `conflict` on `slug` when a case took the slug meanwhile.
     */
    async publishProposal(trx: TransactionExecutor, fields: CaseFields, proposerId: string): Promise<string> {
      const result = await repo.insertCase(
        trx,
        fields,
        proposerId,
        () => ({
          verb: 'created',
          objectType: 'case',
          objectId: fields.slug,
          actorId: proposerId,
          countries: [...fields.countries],
          themes: [...fields.themes],
          isPublic: true,
          payload: { title: fields.title },
        }),
        proposerId,
      );
      if ('kind' in result)
        throw new AppError('conflict', `The slug "${fields.slug}" is taken`, [
          problem('slug', 'taken', 'slug is taken', { value: fields.slug }),
        ]);
      return result.id;
    },

    async create(actor: CaseActor | null, input: NewCase): Promise<CaseDetail> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to add a case');
      if (!EDITOR_ROLES.includes(actor.role)) {
        throw new AppError('forbidden', 'Only organisers, moderators and admins can add cases');
      }
      await this.validate(input);

      const explicitSlug = input.slug;
      let slug = explicitSlug ?? slugify(input.title);
      for (let attempt = 2; ; attempt += 1) {
        const result = await repo.insertCase(db, caseFieldsOf(input, slug), actor.id, () => ({
          verb: 'created',
          objectType: 'case',
          objectId: slug,
          actorId: actor.id,
          countries: input.countries,
          themes: input.themes,
          isPublic: true,
          payload: { title: input.title.trim() },
        }));
        if (!('kind' in result)) break;
        if (result.kind === 'source_id_taken')
          throw new AppError('conflict', `A case with sourceId "${input.sourceId ?? ''}" exists`, [
            problem('sourceId', 'taken', 'sourceId is taken', { value: input.sourceId ?? '' }),
          ]);
        if (explicitSlug)
          throw new AppError('conflict', `The slug "${slug}" is taken`, [
            problem('slug', 'taken', 'slug is taken', { value: slug }),
          ]);
        if (attempt > 50) throw new AppError('conflict', 'Could not find a free slug for this title; give one');
        slug = `${slugify(input.title).slice(0, 36)}-${attempt}`;
      }
      return this.get(slug);
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;

/** A new case's fields under `slug`: its texts trimmed, the defaults filled in (a creation, a proposal). */
export function caseFieldsOf(input: NewCase, slug: string): CaseFields {
  return {
    slug,
    title: input.title.trim(),
    summary: input.summary.trim(),
    body: input.body?.trim() ?? '',
    countries: input.countries,
    themes: input.themes,
    year: input.year,
    organisation: input.organisation.trim(),
    levelOfGovernment: input.levelOfGovernment,
    stage: input.stage,
    sourceUrl: input.sourceUrl ?? null,
    language: input.language ?? 'en',
    sourceId: input.sourceId ?? null,
  };
}

/**
 * "Pol.is in Canada — été 2022" → "pol-is-in-canada-ete-2022" (2–40 characters: the shared
 * slugifier, and `case-…` when that leaves fewer than two; a reserved word such as "new" becomes
 * "new-case", as `/cases/new` is the page that adds one).
 */
export function slugify(title: string): string {
  const base = slugOf(title);
  if ((ReservedSlugs as readonly string[]).includes(base)) return `${base}-case`;
  return base.length >= 2 ? base : `case-${base || 'new'}`.slice(0, SLUG_MAX);
}

/** Editing cases: the PATCH body, its stale-version conflict, revisions, renames and the markdown preview. */
import { Type, type Static } from 'typebox';
import { NewCase, type CaseDetail } from './cases.ts';
import { ChosenSlug, Slug, Timestamp, type FieldProblem } from './common.ts';

const editable = NewCase.properties;

export const CaseEdit = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'the version the editor started from (CaseDetail.version)' }),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'what changed and why, shown in the history' })),
  slug: Type.Optional(ChosenSlug),
  title: Type.Optional(editable.title),
  summary: Type.Optional(editable.summary),
  body: Type.Optional(Type.String({ maxLength: 50000 })),
  countries: Type.Optional(editable.countries),
  themes: Type.Optional(editable.themes),
  year: Type.Optional(editable.year),
  organisation: Type.Optional(editable.organisation),
  levelOfGovernment: Type.Optional(editable.levelOfGovernment),
  stage: Type.Optional(editable.stage),
  sourceUrl: Type.Optional(
    Type.Union([Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }), Type.Null()], {
      description: 'null clears it',
    }),
  ),
  language: Type.Optional(editable.language),
});
export type CaseEdit = Static<typeof CaseEdit>;

/** One version of a case's editable fields (`@opsi/db/case-row` CaseSnapshot). */
export const CaseSnapshot = Type.Object({
  slug: Slug,
  title: Type.String(),
  summary: Type.String(),
  body: Type.String(),
  countries: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  year: Type.Integer(),
  organisation: Type.String(),
  levelOfGovernment: editable.levelOfGovernment,
  stage: editable.stage,
  sourceUrl: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
});
export type CaseSnapshot = Static<typeof CaseSnapshot>;

/**
 * A stale PATCH answers 409 `conflict` with one detail `{field: 'version', code: 'stale_version',
 * params: {version}, current: CaseDetail}`: the case as it is now, for a merge view.
 */
export type StaleVersionProblem = FieldProblem & { current: CaseDetail };

export const CaseRevision = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  editor: Type.Union([Type.Object({ handle: Type.String(), displayName: Type.String() }), Type.Null()], {
    description: 'null: nobody (the seed, an import) or a deleted account',
  }),
  createdAt: Timestamp,
  note: Type.Union([Type.String(), Type.Null()]),
  fields: CaseSnapshot,
});
export type CaseRevision = Static<typeof CaseRevision>;

export const CaseRevisionList = Type.Object({
  items: Type.Array(CaseRevision, { description: 'newest first' }),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type CaseRevisionList = Static<typeof CaseRevisionList>;

export const CaseRevisionQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type CaseRevisionQuery = Static<typeof CaseRevisionQuery>;

/** 301 from a case's old slug: `Location` holds the same path under the current slug. */
export const CaseMoved = Type.Object({
  slug: Slug,
  location: Type.String({ description: 'the same path under the current slug (also the Location header)' }),
});
export type CaseMoved = Static<typeof CaseMoved>;

export const MarkdownPreviewBody = Type.Object({ body: Type.String({ maxLength: 50000 }) });
export const MarkdownPreview = Type.Object({ html: Type.String({ description: 'what the server would render' }) });

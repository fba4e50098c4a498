/**
 * A case as the `cases` table stores it, written once for the places that insert cases: the cases
 * module's repository (a case created through the API, an approved proposal, an import) and the
 * demo seed. Its revisions store the same fields as a snapshot (`caseSnapshot`).
 */
import type { Insertable, Selectable } from 'kysely';
import type { CasesTable } from './schema.ts';

/** A case's own fields, as the API and the seed files name them. */
export interface CaseFields {
  slug: string;
  title: string;
  summary: string;
  body: string;
  countries: readonly string[];
  themes: readonly string[];
  year: number;
  organisation: string;
  levelOfGovernment: string;
  stage: string;
  sourceUrl: string | null;
  /** BCP 47; 'en' when absent. */
  language?: string | undefined;
  /** The observatory's own id (unique when present). */
  sourceId?: string | null | undefined;
}

/** The editable fields of one version of a case, as `case_revisions.fields` and the history diff hold them. */
export interface CaseSnapshot {
  slug: string;
  title: string;
  summary: string;
  body: string;
  countries: string[];
  themes: string[];
  year: number;
  organisation: string;
  levelOfGovernment: string;
  stage: string;
  sourceUrl: string | null;
  language: string;
}

/** The row to insert for `c`: its columns, countries and themes sorted (the order the filters rely on). */
export function caseRow(c: CaseFields): Insertable<CasesTable> {
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    body: c.body,
    year: c.year,
    organisation: c.organisation,
    level_of_government: c.levelOfGovernment,
    stage: c.stage,
    source_url: c.sourceUrl,
    countries: [...c.countries].sort(),
    themes: [...c.themes].sort(),
    language: c.language ?? 'en',
    source_id: c.sourceId ?? null,
  };
}

/** The snapshot a revision keeps of `c` (countries and themes sorted, as the row stores them). */
export function caseSnapshot(c: CaseFields): CaseSnapshot {
  return {
    slug: c.slug,
    title: c.title,
    summary: c.summary,
    body: c.body,
    countries: [...c.countries].sort(),
    themes: [...c.themes].sort(),
    year: c.year,
    organisation: c.organisation,
    levelOfGovernment: c.levelOfGovernment,
    stage: c.stage,
    sourceUrl: c.sourceUrl,
    language: c.language ?? 'en',
  };
}

/** The columns a snapshot reads from a `cases` row. */
export type CaseSnapshotColumns = Pick<
  Selectable<CasesTable>,
  | 'slug'
  | 'title'
  | 'summary'
  | 'body'
  | 'countries'
  | 'themes'
  | 'year'
  | 'organisation'
  | 'level_of_government'
  | 'stage'
  | 'source_url'
  | 'language'
>;

/** The snapshot of a case as read from its row (an edit compares it, an import too). */
export function snapshotOfRow(r: CaseSnapshotColumns): CaseSnapshot {
  return caseSnapshot({
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    body: r.body,
    countries: r.countries,
    themes: r.themes,
    year: r.year,
    organisation: r.organisation,
    levelOfGovernment: r.level_of_government,
    stage: r.stage,
    sourceUrl: r.source_url,
    language: r.language,
  });
}

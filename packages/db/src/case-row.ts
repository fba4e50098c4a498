/**
 * A case as the `cases` table stores it, written once for the two places that insert cases: the
 * cases module's repository (a case created through the API) and the demo seed.
 */
import type { Insertable } from 'kysely';
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
  };
}

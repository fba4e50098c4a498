/** Table types of the case library: translations, revisions, old slugs and proposals (schema.ts gathers them). */
import type { ColumnType, Generated } from 'kysely';
import type { BigId, Timestamp } from './schema.ts';

/** jsonb: written as JSON text, read as an object. */
type Json<T> = ColumnType<T, string, string>;

/** A case's translation into another language (BCP 47), searched with that language's stemming. */
export interface CaseTranslationsTable {
  case_id: string;
  language: string;
  title: string;
  summary: string;
  body: Generated<string>;
  updated_at: Timestamp;
  updated_by: string | null;
  search: ColumnType<string, never, never>;
}

/** One version of a case: its editable fields after the edit (see `CaseSnapshot` in case-row.ts). */
export interface CaseRevisionsTable {
  id: BigId;
  case_id: string;
  version: number;
  editor_id: string | null;
  fields: Json<Record<string, unknown>>;
  note: Generated<string>;
  created_at: Timestamp;
}

/** A slug a case had before a rename: pages and the API redirect it (301) to the current one. */
export interface CaseSlugsTable {
  slug: string;
  case_id: string;
  created_at: Timestamp;
}

/** A member's proposal of a case, apart from `cases` until a moderator approves it. */
export interface CaseProposalsTable {
  id: BigId;
  slug: string;
  proposer_id: string | null;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  fields: Json<Record<string, unknown>>;
  reason: Generated<string>;
  reviewed_by: string | null;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  case_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Table types for Kysely. Column names are the database's (snake_case); repositories map them. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** int8 columns come back as strings from both engines (see database.ts parsers). */
type BigId = ColumnType<string, never, never>;

export interface CountriesTable {
  code: string;
  name: string;
  name_fr: string;
}

export interface ThemesTable {
  slug: string;
  name: string;
  name_fr: string;
  description: string;
  description_fr: string;
  position: Generated<number>;
}

export interface CasesTable {
  id: BigId;
  slug: string;
  title: string;
  summary: string;
  body: Generated<string>;
  year: number;
  organisation: string;
  level_of_government: string;
  stage: string;
  source_url: string | null;
  countries: string[];
  themes: string[];
  post_count: Generated<number>;
  follower_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_activity_at: Timestamp;
  search: ColumnType<string, never, never>;
}

export interface ActivitiesTable {
  id: BigId;
  verb: string;
  object_type: string;
  object_id: string;
  actor_id: string | null;
  countries: Generated<string[]>;
  themes: Generated<string[]>;
  public: Generated<boolean>;
  payload: Generated<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface Schema {
  countries: CountriesTable;
  themes: ThemesTable;
  cases: CasesTable;
  activities: ActivitiesTable;
}

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

export interface UsersTable {
  id: BigId;
  email: string;
  password_hash: string | null;
  handle: string;
  display_name: string;
  role: Generated<string>;
  headline: Generated<string>;
  organisation: Generated<string>;
  country_code: string | null;
  themes: Generated<string[]>;
  bio: Generated<string>;
  bio_html: Generated<string>;
  links: Generated<string[]>;
  follower_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  search: ColumnType<string, never, never>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  absolute_expires_at: ColumnType<Date, Date | string, Date | string>;
  user_agent: Generated<string>;
  ip: Generated<string>;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface Schema {
  countries: CountriesTable;
  themes: ThemesTable;
  cases: CasesTable;
  activities: ActivitiesTable;
  users: UsersTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
}

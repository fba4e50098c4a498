/** Table types for Kysely. Column names are the database's (snake_case); repositories map them. */
import type { ColumnType, Generated } from 'kysely';
import type { SafetyTables } from './schema-safety.ts';
import type { LiveTables } from './schema-live.ts';
import type { EventMessagesTable } from './schema-event-messages.ts';
import type { IntroductionTables, UserIntroductionColumns } from './schema-introductions.ts';
import type {
  CaseProposalsTable,
  CaseRevisionsTable,
  CaseSlugsTable,
  CaseTranslationsTable,
} from './schema-library.ts';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** int8 columns come back as strings from both engines (see database.ts parsers). */
export type BigId = ColumnType<string, never, never>;

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
  /** BCP 47 ('en', 'fr', …): the case is stemmed for search in its language. */
  language: Generated<string>;
  /** The observatory's own id, unique when present (the import upserts by it). */
  source_id: string | null;
  proposer_id: string | null;
  created_by: string | null;
  /** Bumped by every edit; an edit based on an older version is refused (409). */
  version: Generated<number>;
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
  /** The id of the transaction that wrote it (xid8, as text): with `id`, its place in the outbox. */
  xid: ColumnType<string, never, never>;
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
  locale: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Set when the member deleted their account: the row then holds nothing personal. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  search: ColumnType<string, never, never>;
  /** Set while suspended; `suspended_until` null then means until lifted. */
  suspended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  suspended_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  suspension_reason: string | null;
  /** When the member became trusted (automatically or by a moderator); null: new-member limits apply. */
  trusted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the account's current address was confirmed by a link; null: no notification email or digest goes to it. */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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

export interface EmailChangesTable {
  id: string;
  user_id: string;
  new_email: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface EmailVerificationsTable {
  id: string;
  user_id: string;
  email: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface SignInFailuresTable {
  key: string;
  count: number;
  reset_at: ColumnType<Date, Date | string, Date | string>;
}

export interface PostsTable {
  id: BigId;
  case_id: string;
  parent_id: string | null;
  author_id: string;
  client_id: string | null;
  body: string;
  body_html: string;
  /** Plain text of the rendered body, at most 500 characters (feeds, Atom, notifications). */
  excerpt: Generated<string>;
  reactions: Generated<Record<string, number>>;
  live_reply_count: Generated<number>;
  created_at: Timestamp;
  edited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_by: string | null;
  hidden_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hidden_by: string | null;
  hidden_reason: string | null;
  /** BCP 47, chosen or detected; the post is stemmed for search in it. */
  language: Generated<string>;
  search: ColumnType<string, never, never>;
}

export interface PostRevisionsTable {
  id: BigId;
  post_id: string;
  body: string;
  body_html: string;
  written_at: ColumnType<Date, Date | string, Date | string>;
  replaced_at: Timestamp;
  replaced_by: string | null;
  /** Set when a moderator redacted this version (body and body_html are then ''). */
  redacted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  redacted_by: ColumnType<string | null, string | null | undefined, string | null>;
  redaction_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PostReactionsTable {
  post_id: string;
  user_id: string;
  kind: string;
  created_at: Timestamp;
}

export interface PostMentionsTable {
  post_id: string;
  user_id: string;
}

export interface CaseReadsTable {
  user_id: string;
  case_id: string;
  last_read_post_id: string;
  updated_at: Timestamp;
}

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type RequiredTime = ColumnType<Date, Date | string, Date | string>;

export interface EventsTable {
  id: BigId;
  slug: string;
  title: string;
  description: Generated<string>;
  description_html: Generated<string>;
  starts_at: RequiredTime;
  ends_at: RequiredTime;
  timezone: string;
  mode: string;
  venue: Generated<string>;
  address: Generated<string>;
  online_url: string | null;
  capacity: number | null;
  rsvp_deadline: NullableTime;
  countries: Generated<string[]>;
  themes: Generated<string[]>;
  status: Generated<string>;
  sequence: Generated<number>;
  created_by: string;
  going_count: Generated<number>;
  waitlist_count: Generated<number>;
  interested_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  cancelled_at: NullableTime;
}

export interface EventOrganisersTable {
  event_id: string;
  user_id: string;
}

/** Pending (or declined) invitations to co-organise an event; accepted ones become organisers. */
export interface EventOrganiserInvitationsTable {
  event_id: string;
  user_id: string;
  invited_by: string | null;
  status: Generated<string>;
  created_at: Timestamp;
  answered_at: NullableTime;
}

export interface EventCasesTable {
  event_id: string;
  case_id: string;
}

export interface RsvpsTable {
  id: BigId;
  event_id: string;
  user_id: string;
  status: string;
  listed: Generated<boolean>;
  ticket_code: string;
  decided_order: ColumnType<string, string | number | bigint, string | number | bigint>;
  decided_at: Timestamp;
  checked_in_at: NullableTime;
  checked_in_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CalendarTokensTable {
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
}

export interface JobsTable {
  id: BigId;
  kind: string;
  key: string;
  run_at: RequiredTime;
  payload: Generated<Record<string, unknown>>;
  attempts: Generated<number>;
  locked_until: NullableTime;
  last_error: string | null;
  done_at: NullableTime;
  created_at: Timestamp;
}

/** One row per event email: claimed before sending, marked sent after (never sent twice). */
export interface EventEmailsTable {
  kind: string;
  key: string;
  event_id: string;
  user_id: string;
  claimed_at: Timestamp;
  sent_at: NullableTime;
}

export interface FollowsTable {
  user_id: string;
  target_type: string;
  target_key: string;
  created_at: Timestamp;
}

export interface NotificationsTable {
  id: BigId;
  user_id: string;
  kind: string;
  group_key: string;
  count: Generated<number>;
  actor_ids: Generated<string[]>;
  payload: Generated<Record<string, unknown>>;
  activity_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  read_at: NullableTime;
}

export interface NotificationPrefsTable {
  user_id: string;
  kind: string;
  channel: string;
}

export interface DigestSettingsTable {
  user_id: string;
  frequency: Generated<string>;
  last_sent_at: NullableTime;
  last_activity_id: Generated<string>;
}

export interface UnsubscribeTokensTable {
  id: string;
  user_id: string;
  kind: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  undo: ColumnType<UnsubscribeUndo | null, string | null | undefined, string | null>;
  undo_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** What one use of an unsubscribe link turned off: the previous digest frequency and channels (null: the default). */
export interface UnsubscribeUndo {
  digest?: string;
  channels?: Record<string, string | null>;
}

export interface OutboxCursorsTable {
  name: string;
  last_id: string;
  /** With last_id, the position of the last activity handled (xid8 as text). */
  last_xid: Generated<string>;
}

/** Every table; the trust-and-safety ones are in schema-safety.ts. */
export interface Schema extends SafetyTables, IntroductionTables, LiveTables {
  countries: CountriesTable;
  themes: ThemesTable;
  cases: CasesTable;
  case_translations: CaseTranslationsTable;
  case_revisions: CaseRevisionsTable;
  case_slugs: CaseSlugsTable;
  case_proposals: CaseProposalsTable;
  activities: ActivitiesTable;
  users: UsersTable & UserIntroductionColumns;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  sign_in_failures: SignInFailuresTable;
  email_changes: EmailChangesTable;
  email_verifications: EmailVerificationsTable;
  posts: PostsTable;
  post_revisions: PostRevisionsTable;
  post_reactions: PostReactionsTable;
  post_mentions: PostMentionsTable;
  case_reads: CaseReadsTable;
  events: EventsTable;
  event_organisers: EventOrganisersTable;
  event_organiser_invitations: EventOrganiserInvitationsTable;
  event_cases: EventCasesTable;
  rsvps: RsvpsTable;
  calendar_tokens: CalendarTokensTable;
  jobs: JobsTable;
  event_emails: EventEmailsTable;
  event_messages: EventMessagesTable;
  follows: FollowsTable;
  notifications: NotificationsTable;
  notification_prefs: NotificationPrefsTable;
  digest_settings: DigestSettingsTable;
  outbox_cursors: OutboxCursorsTable;
  unsubscribe_tokens: UnsubscribeTokensTable;
}

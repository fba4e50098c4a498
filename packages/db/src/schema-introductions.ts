/** Table types of introductions between members (schema.ts gathers them). */
import type { ColumnType, Generated } from 'kysely';
import type { BigId, Timestamp } from './schema.ts';

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** The users columns introductions added: the opt-in and the words of the profile (generated). */
export interface UserIntroductionColumns {
  open_to_introductions: Generated<boolean>;
  intro_text: ColumnType<string, never, never>;
}

/** One per pair of members, whoever asked: pending, accepted or declined. */
export interface IntroductionsTable {
  id: BigId;
  requester_id: string;
  recipient_id: string;
  message: string;
  status: Generated<string>;
  created_at: Timestamp;
  decided_at: NullableTime;
  requester_emailed_at: NullableTime;
  recipient_emailed_at: NullableTime;
}

export interface IntroductionTables {
  introductions: IntroductionsTable;
}

/** Table types of the event live layer: Q&A and polls (schema.ts gathers them). */
import type { ColumnType, Generated } from 'kysely';
import type { BigId, Timestamp } from './schema.ts';

/** Whether an event's organisers have Q&A open (no row: closed). */
export interface EventQaTable {
  event_id: string;
  open: boolean;
  updated_at: Timestamp;
}

export interface EventQuestionsTable {
  id: BigId;
  event_id: string;
  author_id: string | null;
  body: string;
  votes: Generated<number>;
  answered: Generated<boolean>;
  hidden: Generated<boolean>;
  pinned: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
}

export interface QuestionVotesTable {
  question_id: string;
  user_id: string;
  created_at: Timestamp;
}

export interface EventPollsTable {
  id: BigId;
  event_id: string;
  question: string;
  options: string[];
  multiple: Generated<boolean>;
  closed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PollVotesTable {
  poll_id: string;
  user_id: string;
  option_index: number;
}

export interface LiveTables {
  event_qa: EventQaTable;
  event_questions: EventQuestionsTable;
  question_votes: QuestionVotesTable;
  event_polls: EventPollsTable;
  poll_votes: PollVotesTable;
}

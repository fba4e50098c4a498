/** The events tables added after schema.ts (kept apart so schema.ts reads in one sitting). */
import type { Generated } from 'kysely';
import type { Timestamp } from './schema.ts';

/** An organiser's message to those going, as sent (the emails go through the job queue). */
export interface EventMessagesTable {
  id: Generated<string>;
  event_id: string;
  sender_id: string | null;
  subject: string;
  body: string;
  recipients: number;
  created_at: Timestamp;
}

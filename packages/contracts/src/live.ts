/**
 * The live layer of an event (API.md "Event live layer"): Q&A (questions, votes, what organisers
 * mark) and polls. Socket payloads are the REST items without what is the caller's own (`myVote`).
 * `version` grows with every change of an item: a client keeps the highest it has seen, so every
 * screen converges on the same state whatever order the broadcasts arrive in.
 */
import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';
import { Handle } from './accounts.ts';

export const QUESTION_MAX = 500;
export const POLL_QUESTION_MAX = 300;
export const POLL_OPTION_MAX = 100;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;

const Count = Type.Integer({ minimum: 0 });
const Author = Type.Union([Type.Object({ handle: Handle, displayName: Type.String() }), Type.Null()]);

export const QuestionSorts = ['top', 'new'] as const;
export type QuestionSort = (typeof QuestionSorts)[number];

export const LiveQuestion = Type.Object({
  id: Type.String(),
  eventSlug: Type.String(),
  body: Type.String({ description: 'empty for a hidden question, except for its organisers and its author' }),
  author: Author,
  votes: Count,
  answered: Type.Boolean(),
  hidden: Type.Boolean(),
  pinned: Type.Boolean(),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
});
export type LiveQuestion = Static<typeof LiveQuestion>;

export const Question = Type.Object({
  ...LiveQuestion.properties,
  myVote: Type.Boolean({ description: 'whether the caller voted for it' }),
});
export type Question = Static<typeof Question>;

export const QaState = Type.Object({
  open: Type.Boolean({ description: 'the organisers have Q&A open' }),
  over: Type.Boolean({ description: 'the event has ended: the Q&A is a read-only record' }),
  canAsk: Type.Boolean({ description: 'the caller may ask now (open, not over, going or organising)' }),
  canManage: Type.Boolean({ description: 'the caller organises the event (or is an admin)' }),
  canHide: Type.Boolean({ description: 'the caller may hide questions (organisers, moderators, admins)' }),
});
export type QaState = Static<typeof QaState>;

export const QuestionList = Type.Object({
  items: Type.Array(Question),
  nextCursor: Type.Null({ description: 'the whole Q&A of an event comes at once' }),
  qa: QaState,
});
export type QuestionList = Static<typeof QuestionList>;

export const QuestionListQuery = Type.Object({
  sort: Type.Optional(Type.Enum(QuestionSorts, { default: 'top' })),
});

export const NewQuestion = Type.Object({
  body: Type.String({ minLength: 1, maxLength: QUESTION_MAX }),
});
export type NewQuestion = Static<typeof NewQuestion>;

export const QaBody = Type.Object({ open: Type.Boolean() });
export type QaBody = Static<typeof QaBody>;

/** The body of POST /questions/:id/answered, /hidden, /pinned: set (true) or clear (false) the mark. */
export const MarkBody = Type.Object({ value: Type.Boolean() });
export type MarkBody = Static<typeof MarkBody>;

export const QuestionParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

export const PollOption = Type.Object({ label: Type.String(), votes: Count });

export const LivePoll = Type.Object({
  id: Type.String(),
  eventSlug: Type.String(),
  question: Type.String(),
  options: Type.Array(PollOption),
  multiple: Type.Boolean(),
  voters: Count,
  closed: Type.Boolean(),
  closedAt: Type.Union([Timestamp, Type.Null()]),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp,
});
export type LivePoll = Static<typeof LivePoll>;

export const Poll = Type.Object({
  ...LivePoll.properties,
  myVote: Type.Array(Type.Integer({ minimum: 0 }), { description: 'the options the caller chose' }),
});
export type Poll = Static<typeof Poll>;

export const PollList = Type.Object({
  items: Type.Array(Poll),
  nextCursor: Type.Null(),
  canManage: Type.Boolean(),
  canVote: Type.Boolean({ description: 'signed in and the event not over' }),
});
export type PollList = Static<typeof PollList>;

export const NewPoll = Type.Object({
  question: Type.String({ minLength: 1, maxLength: POLL_QUESTION_MAX }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: POLL_OPTION_MAX }), {
    minItems: POLL_OPTIONS_MIN,
    maxItems: POLL_OPTIONS_MAX,
  }),
  multiple: Type.Boolean({ default: false }),
});
export type NewPoll = Static<typeof NewPoll>;

export const PollVoteBody = Type.Object({
  options: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: POLL_OPTIONS_MAX }),
});
export type PollVoteBody = Static<typeof PollVoteBody>;

/** An event about a case that ended with a Q&A or polls (the case page links to its record). */
export const EventRecordList = Type.Object({
  items: Type.Array(
    Type.Object({
      slug: Type.String(),
      title: Type.String(),
      endsAt: Timestamp,
      questionCount: Count,
      pollCount: Count,
    }),
  ),
  nextCursor: Type.Null(),
});
export type EventRecordList = Static<typeof EventRecordList>;

/** Q&A opened or closed, to the event's room. */
export interface QaChanged {
  eventSlug: string;
  open: boolean;
}

// The order of a Q&A and which of two states is newer: in live-order.ts, which has no schemas
// (the browser takes those two without TypeBox).
export { compareQuestions, newer } from './live-order.ts';

/** Trust and safety (API.md "Trust and safety"): the moderation log and suspensions; reports build on these. */
import { Type, type Static } from 'typebox';
import { Cursor, Limit, Page, Timestamp } from './common.ts';

export const ReportReasons = ['spam', 'harassment', 'off_topic', 'illegal', 'other'] as const;
export type ReportReason = (typeof ReportReasons)[number];

export const ReportTargetTypes = ['post', 'person', 'event', 'case'] as const;
export type ReportTargetType = (typeof ReportTargetTypes)[number];

/** What the moderation log records. */
export const ModerationActions = [
  'dismiss',
  'hide',
  'unhide',
  'delete',
  'edit',
  'warn',
  'suspend',
  'lift_suspension',
  'set_role',
  'trust',
  'redact_revision',
  'approve_case',
  'reject_case',
] as const;
export type ModerationAction = (typeof ModerationActions)[number];

export const LogTargetTypes = [...ReportTargetTypes, 'report'] as const;
export type LogTargetType = (typeof LogTargetTypes)[number];

/** A reason the author (or the member) is shown: one line or a short paragraph. */
export const ModerationReason = Type.String({
  minLength: 1,
  maxLength: 1000,
  description: 'shown to the member concerned',
});

export const LogEntry = Type.Object({
  id: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()], {
    description: 'the handle of the moderator or admin; null for the command line',
  }),
  action: Type.Enum(ModerationActions),
  targetType: Type.Enum(LogTargetTypes),
  target: Type.String({ description: 'the post id, handle or slug as it was when the action was taken' }),
  reason: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown(), {
    description: 'what the action needs besides its reason (the days of a suspension, the new role, …)',
  }),
  createdAt: Timestamp,
});
export type LogEntry = Static<typeof LogEntry>;

export const LogQuery = Type.Object(
  {
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
    targetType: Type.Optional(Type.Enum(LogTargetTypes)),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type LogQuery = Static<typeof LogQuery>;

export const LogPage = Page(LogEntry);
export type LogPage = Static<typeof LogPage>;

export const SuspensionBody = Type.Object(
  {
    reason: ModerationReason,
    days: Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
      description: 'null: until a moderator lifts it',
    }),
  },
  { additionalProperties: false },
);
export type SuspensionBody = Static<typeof SuspensionBody>;

export const LiftBody = Type.Object({ reason: ModerationReason }, { additionalProperties: false });
export type LiftBody = Static<typeof LiftBody>;

export const Suspension = Type.Object({
  handle: Type.String(),
  suspendedAt: Timestamp,
  suspendedUntil: Type.Union([Timestamp, Type.Null()], { description: 'null: until lifted' }),
  reason: Type.String(),
});
export type Suspension = Static<typeof Suspension>;

export const SuspensionList = Page(Suspension);
export type SuspensionList = Static<typeof SuspensionList>;

// Reports and the moderation queue

export const REPORT_NOTE_MAX_LENGTH = 1000;

export const ReportBody = Type.Object(
  {
    targetType: Type.Enum(ReportTargetTypes),
    target: Type.String({ minLength: 1, maxLength: 100, description: 'the post id, handle or slug' }),
    reason: Type.Enum(ReportReasons),
    note: Type.Optional(
      Type.String({ maxLength: REPORT_NOTE_MAX_LENGTH, description: 'what the moderators should know (optional)' }),
    ),
  },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

export const ReportCreated = Type.Object({ id: Type.String() });
export type ReportCreated = Static<typeof ReportCreated>;

export const ReportStatuses = ['open', 'resolved'] as const;
export type ReportStatus = (typeof ReportStatuses)[number];

export const ReportQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(ReportStatuses, { default: 'open' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

const Who = Type.Object({ handle: Type.String(), displayName: Type.String() });

/** One report of the group, as moderators read it. */
export const ReportEntry = Type.Object({
  id: Type.String(),
  reporter: Type.Union([Who, Type.Null()], { description: 'null once the reporter’s account is gone' }),
  reason: Type.Enum(ReportReasons),
  note: Type.String(),
  createdAt: Timestamp,
});
export type ReportEntry = Static<typeof ReportEntry>;

/** A post as the queue shows it: the text even when hidden. */
export const QueuePost = Type.Object({
  id: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  author: Who,
  body: Type.String(),
  bodyHtml: Type.String(),
  createdAt: Timestamp,
  deleted: Type.Boolean(),
  hidden: Type.Boolean(),
  hiddenReason: Type.Union([Type.String(), Type.Null()]),
});
export type QueuePost = Static<typeof QueuePost>;

/** The member concerned (a post's author, or the person reported) and their history. */
export const MemberHistory = Type.Object({
  handle: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  joinedAt: Timestamp,
  postCount: Type.Integer({ minimum: 0, description: 'live posts' }),
  hiddenPostCount: Type.Integer({ minimum: 0 }),
  log: Type.Array(LogEntry, { description: 'earlier moderation log entries about them, newest first (at most 10)' }),
  suspension: Type.Union([Suspension, Type.Null()], { description: 'the suspension in force' }),
});
export type MemberHistory = Static<typeof MemberHistory>;

export const ReportContext = Type.Object({
  post: Type.Optional(QueuePost),
  case: Type.Optional(Type.Object({ slug: Type.String(), title: Type.String() })),
  thread: Type.Optional(Type.Array(QueuePost, { description: 'the posts around it in its thread, in order' })),
  member: Type.Optional(MemberHistory),
  event: Type.Optional(Type.Object({ slug: Type.String(), title: Type.String(), startsAt: Timestamp })),
});
export type ReportContext = Static<typeof ReportContext>;

/** The reports on one target, grouped. */
export const ReportGroup = Type.Object({
  id: Type.String({ description: 'the first report of the group: resolve with it' }),
  targetType: Type.Enum(ReportTargetTypes),
  target: Type.String({ description: 'the post id, handle or slug' }),
  reasons: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { description: 'reason → how many reports' }),
  reportCount: Type.Integer({ minimum: 1 }),
  firstReportedAt: Timestamp,
  lastReportedAt: Timestamp,
  status: Type.Enum(ReportStatuses),
  resolution: Type.Union([Type.String(), Type.Null()]),
  reports: Type.Array(ReportEntry, { description: 'newest first, with reporters and notes (moderators only)' }),
  context: ReportContext,
});
export type ReportGroup = Static<typeof ReportGroup>;

export const ReportPage = Page(ReportGroup);
export type ReportPage = Static<typeof ReportPage>;

export const ResolveActions = ['dismiss', 'hide', 'delete', 'warn', 'suspend'] as const;
export type ResolveAction = (typeof ResolveActions)[number];

export const ResolveBody = Type.Object(
  {
    action: Type.Enum(ResolveActions),
    reason: ModerationReason,
    days: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()], {
        description: 'suspend only: days, or null (the default) until lifted',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ResolveBody = Static<typeof ResolveBody>;

export const ResolveResult = Type.Object({
  action: Type.Enum(ResolveActions),
  resolved: Type.Integer({ minimum: 0, description: 'how many open reports this closed' }),
});
export type ResolveResult = Static<typeof ResolveResult>;

export const HideBody = Type.Object({ reason: ModerationReason }, { additionalProperties: false });
export type HideBody = Static<typeof HideBody>;

/** Socket `report:created` to the moderators' room: enough to fetch the queue again. */
export interface ReportCreatedEvent {
  id: string;
  targetType: ReportTargetType;
  target: string;
  reason: ReportReason;
  reportCount: number;
  createdAt: string;
}

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
  'warn',
  'suspend',
  'lift_suspension',
  'set_role',
  'trust',
  'redact_revision',
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

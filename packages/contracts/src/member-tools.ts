/** A member's own tools: blocks, case thread levels (watching, normal, muted) and email verification (API.md "Trust and safety"). */
import { Type, type Static } from 'typebox';
import { Handle } from './accounts.ts';
import { Slug, Timestamp } from './common.ts';
import { ModerationReason } from './moderation.ts';

export const Blocked = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  blockedAt: Timestamp,
});
export type Blocked = Static<typeof Blocked>;

export const BlockList = Type.Object({ items: Type.Array(Blocked) });
export type BlockList = Static<typeof BlockList>;

export const BlockState = Type.Object({ handle: Handle, blocked: Type.Boolean() });
export type BlockState = Static<typeof BlockState>;

/** The level the mutes API sets and lists (`/me/mutes`): only "muted". */
export const ThreadLevels = ['muted'] as const;
export type ThreadLevel = (typeof ThreadLevels)[number];

/**
 * A member's level for one case thread, as Discourse has them: "watching" (every new post notifies
 * you), "normal" (only replies to you and mentions of you) or "muted" (nothing, mentions included).
 * Posting in a thread or being mentioned in it makes you watch it, unless you chose a level.
 */
export const WatchLevels = ['watching', 'normal', 'muted'] as const;
export type WatchLevel = (typeof WatchLevels)[number];

export const MutedThread = Type.Object({
  caseSlug: Slug,
  title: Type.String(),
  level: Type.Enum(ThreadLevels),
  mutedAt: Timestamp,
});
export type MutedThread = Static<typeof MutedThread>;

export const MuteList = Type.Object({ items: Type.Array(MutedThread) });
export type MuteList = Static<typeof MuteList>;

export const MuteState = Type.Object({ caseSlug: Slug, muted: Type.Boolean() });
export type MuteState = Static<typeof MuteState>;

export const WatchedThread = Type.Object({
  caseSlug: Slug,
  title: Type.String(),
  level: Type.Enum(WatchLevels),
  updatedAt: Timestamp,
});
export type WatchedThread = Static<typeof WatchedThread>;

export const WatchedThreadList = Type.Object({
  items: Type.Array(WatchedThread, { description: 'every thread you have a level for (watching, normal or muted)' }),
});
export type WatchedThreadList = Static<typeof WatchedThreadList>;

export const ThreadLevelState = Type.Object({
  caseSlug: Slug,
  level: Type.Enum(WatchLevels, { description: 'normal when you have no level for the thread' }),
});
export type ThreadLevelState = Static<typeof ThreadLevelState>;

export const ThreadLevelBody = Type.Object({ level: Type.Enum(WatchLevels) }, { additionalProperties: false });
export type ThreadLevelBody = Static<typeof ThreadLevelBody>;

export const VerifyEmailBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type VerifyEmailBody = Static<typeof VerifyEmailBody>;

export const EmailVerified = Type.Object({ email: Type.String(), verified: Type.Literal(true) });
export type EmailVerified = Static<typeof EmailVerified>;

export const VerificationSent = Type.Object({ status: Type.Enum(['sent', 'already_verified']) });
export type VerificationSent = Static<typeof VerificationSent>;

export const TrustBody = Type.Object({ reason: ModerationReason }, { additionalProperties: false });
export type TrustBody = Static<typeof TrustBody>;

export const TrustState = Type.Object({
  handle: Handle,
  trusted: Type.Boolean(),
  trustedAt: Type.Union([Timestamp, Type.Null()]),
});
export type TrustState = Static<typeof TrustState>;

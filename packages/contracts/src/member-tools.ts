/** A member's own tools: blocks, muted case threads and email verification (API.md "Trust and safety"). */
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

/** A member's level for one case thread; only "muted" today (watching levels come later). */
export const ThreadLevels = ['muted'] as const;
export type ThreadLevel = (typeof ThreadLevels)[number];

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

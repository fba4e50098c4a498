import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';

export const Roles = ['member', 'organiser', 'moderator', 'admin'] as const;
export type Role = (typeof Roles)[number];

export const HANDLE_PATTERN = '^[a-z0-9-]{2,40}$';
/** OWASP ASVS 5: at least 12 characters, up to 256, any Unicode, no composition rules, no truncation. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
export const Password = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX });
export const Handle = Type.String({
  pattern: HANDLE_PATTERN,
  description: 'lowercase letters, digits and dashes, 2–40',
});
export const DisplayName = Type.String({ minLength: 1, maxLength: 80 });

export const User = Type.Object({
  id: Type.String(),
  handle: Handle,
  displayName: Type.String(),
  role: Type.Enum(Roles),
});
export type User = Static<typeof User>;

export const SignupBody = Type.Object({ email: Email, password: Password, displayName: DisplayName, handle: Handle });
export type SignupBody = Static<typeof SignupBody>;
export const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
});
export type LoginBody = Static<typeof LoginBody>;
export const UserEnvelope = Type.Object({ user: User });

export const SessionInfo = Type.Object({
  id: Type.String({ description: 'opaque session id (not the token)' }),
  current: Type.Boolean(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  device: Type.String({ description: 'browser and system, from the User-Agent, in English ("Chrome on Linux")' }),
  browser: Type.Union([Type.String(), Type.Null()], {
    description: 'the browser recognised in the User-Agent (Edge, Firefox, Chrome, Safari), or null',
  }),
  system: Type.Union([Type.String(), Type.Null()], {
    description: 'the system recognised in the User-Agent (Android, iOS, Windows, macOS, Linux), or null',
  }),
  ip: Type.String(),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
  newPassword: Password,
});
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const EmailChangeBody = Type.Object({
  email: Email,
  currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
});
export type EmailChangeBody = Static<typeof EmailChangeBody>;
/** 202 to POST /me/email: nothing changes until the new address confirms the emailed link. */
export const EmailChangePending = Type.Object({
  pendingEmail: Type.String({ description: 'the address waiting for its confirmation link to be used' }),
});
/** GET /me/email: the account's address, and the one waiting for confirmation, if any. */
export const AccountEmail = Type.Object({
  email: Type.String(),
  pendingEmail: Type.Union([Type.String(), Type.Null()]),
});
export type AccountEmail = Static<typeof AccountEmail>;
export const EmailConfirmBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export type EmailConfirmBody = Static<typeof EmailConfirmBody>;
export const EmailConfirmed = Type.Object({ email: Type.String({ description: "the account's address from now on" }) });

export const ResetRequestBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });
export const ResetConfirmBody = Type.Object({
  token: Type.String({ minLength: 10, maxLength: 200 }),
  newPassword: Password,
});
export type ResetConfirmBody = Static<typeof ResetConfirmBody>;

export const Account = Type.Object({ email: Type.String() });

/** The first admin's one-time setup link (printed at start while the site has no admin). */
export const SetupClaimBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type SetupClaimBody = Static<typeof SetupClaimBody>;

export const SetupClaimed = Type.Object(
  { handle: Type.String(), role: Type.Literal('admin') },
  { additionalProperties: false },
);
export type SetupClaimed = Static<typeof SetupClaimed>;

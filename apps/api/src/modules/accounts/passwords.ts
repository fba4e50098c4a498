/**
 * Password rules (OWASP ASVS 5): 12 to 256 characters of anything, no composition rules, never
 * truncated, not one of the most common passwords (the zxcvbn-ts common list, also with digits or
 * symbols tacked on, or repeated), not the person's own email, handle or name. Hashing is
 * argon2id with m=19456 KiB, t=2, p=1.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX, PASSWORD_MIN } from '@opsi/contracts/accounts';
import type { ProblemCode, ProblemParams } from '@opsi/contracts/common';

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 /* argon2id */ } as const;

const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export interface PasswordProblem {
  code: ProblemCode;
  message: string;
  params?: ProblemParams;
}

export function passwordProblem(password: string, context: string[] = []): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN)
    return {
      code: 'password_too_short',
      message: `Use at least ${PASSWORD_MIN} characters (a few words make a good password).`,
      params: { min: PASSWORD_MIN },
    };
  if (length > PASSWORD_MAX)
    return {
      code: 'password_too_long',
      message: `Use at most ${PASSWORD_MAX} characters.`,
      params: { max: PASSWORD_MAX },
    };
  const lower = password.toLowerCase();
  const stripped = lower.replace(/(?<![\d\W_])[\d\W_]+$/u, '');
  const half = lower.length % 2 === 0 ? lower.slice(0, lower.length / 2) : null;
  if (
    COMMON.has(lower) ||
    (stripped.length >= 4 && COMMON.has(stripped)) ||
    (half !== null && half + half === lower && COMMON.has(half)) ||
    /^(.)\1+$/u.test(lower)
  ) {
    return { code: 'password_common', message: 'This password is one of the most common ones: choose another.' };
  }
  for (const word of context) {
    if (word && word.length >= 3 && lower === word.toLowerCase())
      return { code: 'password_personal', message: 'Do not use your email, handle or name as your password.' };
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** A real hash of a random password: verified against when the email is unknown, so timing matches. */
export const DUMMY_HASH = hashPassword(crypto.randomUUID());

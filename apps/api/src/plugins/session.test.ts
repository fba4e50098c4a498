/**
 * A session's id is the SHA-256 of its token in lowercase hex, as Lucia teaches: computed with
 * Node's native hash on every signed-in request, it must be the digest @oslojs/crypto gives.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { newSessionToken, sessionIdOf } from './session.ts';

describe('sessionIdOf', () => {
  it('is the SHA-256 of the token in lowercase hex, as @oslojs/crypto computes it', () => {
    for (let i = 0; i < 50; i += 1) {
      const token = newSessionToken();
      expect(sessionIdOf(token)).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(token))));
    }
    expect(sessionIdOf('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

/**
 * The sign-in budgets count failures only: people behind one office address never lock each other
 * out by signing in. The counters live in PostgreSQL, so every node of a cluster shares them, and
 * ABUSE_LIMITS=off does not lift them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, GOOD_PASSWORD, nextAddress, signIn, signUp } from '../../testing.ts';

let app: FastifyInstance;
let other: FastifyInstance;
beforeAll(async () => {
  // Two nodes on one database; the second has the abuse limits off (load tests).
  [app, other] = await Promise.all([createTestApp(), createTestApp({ ABUSE_LIMITS: 'off' })]);
});
afterAll(async () => {
  await Promise.all([app.close(), other.close()]);
});

describe('the per-address sign-in budget', () => {
  it('lets 40 people behind one address sign in, one after another', async () => {
    const office = nextAddress();
    const people = await Promise.all(Array.from({ length: 8 }, () => signUp(app)));
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const person = people[i % people.length]!;
      statuses.push((await signIn(app, `${person.handle}@example.org`, GOOD_PASSWORD, office)).statusCode);
    }
    expect(statuses).toEqual(Array.from({ length: 40 }, () => 200));
  });

  it('answers 429 with Retry-After after 30 failures, and a success in between costs nothing', async () => {
    const office = nextAddress();
    const { handle } = await signUp(app);
    const statuses: number[] = [];
    for (let i = 0; i < 29; i += 1) {
      statuses.push((await signIn(app, `nobody-${i}@example.org`, 'wrong password 123', office)).statusCode);
    }
    // Successes in between leave the budget where it was.
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await signIn(app, `${handle}@example.org`, GOOD_PASSWORD, office)).statusCode);
    }
    statuses.push((await signIn(app, 'nobody-29@example.org', 'wrong password 123', office)).statusCode);
    expect(statuses).toEqual([...Array.from({ length: 29 }, () => 401), 200, 200, 200, 200, 200, 401]);

    const limited = await signIn(app, 'nobody-30@example.org', 'wrong password 123', office);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Spent: even the right password waits, from this address only.
    expect((await signIn(app, `${handle}@example.org`, GOOD_PASSWORD, office)).statusCode).toBe(429);
    expect((await signIn(app, `${handle}@example.org`, GOOD_PASSWORD, nextAddress())).statusCode).toBe(200);
  });

  it('is shared by every node (PostgreSQL), and ABUSE_LIMITS=off does not lift it', async () => {
    const address = nextAddress();
    for (let i = 0; i < 30; i += 1) {
      const node = i % 2 === 0 ? app : other;
      expect((await signIn(node, `nobody-${i}@example.org`, 'wrong password 123', address)).statusCode).toBe(401);
    }
    expect((await signIn(other, 'nobody@example.org', 'wrong password 123', address)).statusCode).toBe(429);
    expect((await signIn(app, 'nobody@example.org', 'wrong password 123', address)).statusCode).toBe(429);
  });

  it('counts simultaneous failures each (no burst slips past the budget)', async () => {
    const address = nextAddress();
    const statuses = await Promise.all(
      Array.from({ length: 36 }, (_, i) => signIn(app, `burst-${i}@example.org`, 'wrong password 123', address)),
    );
    const counts = statuses.reduce<Record<number, number>>(
      (all, r) => ({ ...all, [r.statusCode]: (all[r.statusCode] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ 401: 30, 429: 6 });
  });
});

describe('the per-account budget from one address', () => {
  it('still stops guessing at one account after 5 failures, without locking its owner out elsewhere', async () => {
    const { handle } = await signUp(app);
    const email = `${handle}@example.org`;
    const attacker = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await signIn(app, email, `wrong guess number ${i}`, attacker)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await signIn(other, email, GOOD_PASSWORD, attacker);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn(app, email, GOOD_PASSWORD, nextAddress())).statusCode).toBe(200);
  });

  it('starts again after a success: 4 failures, a success, then 5 more failures before 429', async () => {
    const { handle } = await signUp(app);
    const email = `${handle}@example.org`;
    const address = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await signIn(app, email, `wrong ${i} password`, address)).statusCode);
    statuses.push((await signIn(app, email, GOOD_PASSWORD, address)).statusCode);
    for (let i = 0; i < 6; i += 1) statuses.push((await signIn(app, email, `wrong ${i} password`, address)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 200, 401, 401, 401, 401, 401, 429]);
  });
});

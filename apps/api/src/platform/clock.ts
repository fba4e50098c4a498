/**
 * What time it is, for the rules that depend on it: rate windows, link and session lifetimes,
 * digest periods. Services take a clock instead of reading the system time, so a test moves time
 * (testing.ts `testClock`, passed as `createTestApp(env, { clock })`) instead of waiting it out.
 * The job queue and the outbox keep the database's own time (`now()`): a job is due when the
 * database says so, whatever the clock.
 */
export type Clock = () => Date;

/** The real time. */
export const systemClock: Clock = () => new Date();

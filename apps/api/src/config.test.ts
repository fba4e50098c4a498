import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for the embedded, single-machine run', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: '/srv/app/data',
      publicOrigin: 'http://localhost:3000',
      seedDemo: true,
      serveWeb: true,
    });
  });

  it('turns demo data off on PostgreSQL unless SEED_DEMO says otherwise', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('keeps the abuse limits on unless ABUSE_LIMITS=off', () => {
    expect(loadConfig({}).abuseLimits).toBe(true);
    expect(loadConfig({ ABUSE_LIMITS: 'off' }).abuseLimits).toBe(false);
    expect(() => loadConfig({ ABUSE_LIMITS: 'sometimes' })).toThrow(/ABUSE_LIMITS/);
  });

  it('reads the per-member limits as positive integers, listing every bad one', () => {
    expect(loadConfig({})).toMatchObject({
      postsPerMinute: 10,
      mentionsPerPost: 10,
      reactionsPerMinute: 60,
      followsPerHour: 100,
    });
    expect(
      loadConfig({ POSTS_PER_MINUTE: '3', MENTIONS_PER_POST: '4', REACTIONS_PER_MINUTE: '5', FOLLOWS_PER_HOUR: '6' }),
    ).toMatchObject({ postsPerMinute: 3, mentionsPerPost: 4, reactionsPerMinute: 5, followsPerHour: 6 });
    let error: unknown;
    try {
      loadConfig({
        POSTS_PER_MINUTE: '0',
        MENTIONS_PER_POST: 'ten',
        REACTIONS_PER_MINUTE: '1.5',
        FOLLOWS_PER_HOUR: '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['POSTS_PER_MINUTE', 'MENTIONS_PER_POST', 'REACTIONS_PER_MINUTE', 'FOLLOWS_PER_HOUR'])
      expect((error as Error).message).toContain(`${name} must be a positive integer`);
  });

  it('reads the sign-in, reset and email-change limits, which ABUSE_LIMITS=off leaves alone', () => {
    expect(loadConfig({ ABUSE_LIMITS: 'off' })).toMatchObject({
      signInFailuresPerAddress: 30,
      signInFailuresPerAccount: 5,
    });
    expect(loadConfig({ SIGNIN_FAILURES_PER_ADDRESS: '100', SIGNIN_FAILURES_PER_ACCOUNT: '3' })).toMatchObject({
      signInFailuresPerAddress: 100,
      signInFailuresPerAccount: 3,
    });
    expect(() => loadConfig({ SIGNIN_FAILURES_PER_ADDRESS: '0' })).toThrow(/SIGNIN_FAILURES_PER_ADDRESS/);
    expect(() => loadConfig({ SIGNIN_FAILURES_PER_ACCOUNT: 'many' })).toThrow(/SIGNIN_FAILURES_PER_ACCOUNT/);
    expect(loadConfig({ ABUSE_LIMITS: 'off' })).toMatchObject({
      resetsPerHour: 5,
      tokenChecksPerHour: 10,
      emailChangesPerHour: 5,
    });
    for (const name of ['RESETS_PER_HOUR', 'TOKEN_CHECKS_PER_HOUR', 'EMAIL_CHANGES_PER_HOUR']) {
      expect(() => loadConfig({ [name]: '-1' })).toThrow(new RegExp(name));
    }
  });

  it('turns metrics on with a METRICS_TOKEN long enough not to be guessed', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a-scraper-token-0123456789' }).metricsToken).toBe('a-scraper-token-0123456789');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: 'has spaces in it, which headers mangle' })).toThrow(/METRICS_TOKEN/);
  });

  it('takes request bodies up to BODY_LIMIT_BYTES (1 MiB unless set)', () => {
    expect(loadConfig({}).bodyLimitBytes).toBe(1024 * 1024);
    expect(loadConfig({ BODY_LIMIT_BYTES: '65536' }).bodyLimitBytes).toBe(65536);
    expect(() => loadConfig({ BODY_LIMIT_BYTES: 'lots' })).toThrow(/BODY_LIMIT_BYTES/);
  });

  it('prepares DB_PREPARED_STATEMENTS statements per PostgreSQL connection (100 unless set, 0 for none)', () => {
    expect(loadConfig({}).preparedStatements).toBe(100);
    expect(loadConfig({ DB_PREPARED_STATEMENTS: '0' }).preparedStatements).toBe(0);
    expect(loadConfig({ DB_PREPARED_STATEMENTS: '20' }).preparedStatements).toBe(20);
    expect(() => loadConfig({ DB_PREPARED_STATEMENTS: 'all' })).toThrow(/DB_PREPARED_STATEMENTS/);
  });

  it('opens DB_POOL_SIZE PostgreSQL connections at most and keeps DB_POOL_KEEP of them open (all unless set)', () => {
    expect(loadConfig({})).toMatchObject({ poolSize: 10, poolKeep: 10 });
    expect(loadConfig({ DB_POOL_SIZE: '20' })).toMatchObject({ poolSize: 20, poolKeep: 20 });
    expect(loadConfig({ DB_POOL_SIZE: '20', DB_POOL_KEEP: '4' })).toMatchObject({ poolSize: 20, poolKeep: 4 });
    expect(loadConfig({ DB_POOL_KEEP: '0' })).toMatchObject({ poolSize: 10, poolKeep: 0 });
    expect(() => loadConfig({ DB_POOL_SIZE: '0' })).toThrow(/DB_POOL_SIZE/);
    expect(() => loadConfig({ DB_POOL_KEEP: '11' })).toThrow(/DB_POOL_KEEP must be at most DB_POOL_SIZE/);
    expect(() => loadConfig({ DB_POOL_KEEP: 'some' })).toThrow(/DB_POOL_KEEP/);
  });

  it('caps sockets per address at SOCKETS_PER_ADDRESS', () => {
    expect(loadConfig({}).socketsPerAddress).toBe(100);
    expect(loadConfig({ SOCKETS_PER_ADDRESS: '7' }).socketsPerAddress).toBe(7);
    expect(() => loadConfig({ SOCKETS_PER_ADDRESS: '0' })).toThrow(/SOCKETS_PER_ADDRESS/);
  });

  it('bounds a shutdown by SHUTDOWN_GRACE_MS and reads LOG_FORMAT', () => {
    expect(loadConfig({})).toMatchObject({ shutdownGraceMs: 10_000, logFormat: undefined });
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '25000', LOG_FORMAT: 'json' })).toMatchObject({
      shutdownGraceMs: 25_000,
      logFormat: 'json',
    });
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '0' })).toThrow(/SHUTDOWN_GRACE_MS must be a positive integer/);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });

  it('runs the job kinds JOBS_KINDS names (all when unset), and refuses what cannot be a kind', () => {
    expect(loadConfig({}).jobKinds).toEqual([]);
    expect(loadConfig({ JOBS_KINDS: 'email.digest, retention.sweep' }).jobKinds).toEqual([
      'email.digest',
      'retention.sweep',
    ]);
    expect(() => loadConfig({ JOBS_KINDS: 'email.digest,DROP TABLE' })).toThrow(/JOBS_KINDS: "DROP TABLE"/);
  });

  it('normalises PUBLIC_ORIGIN to an origin', () => {
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://network.example.org/some/path' }).publicOrigin).toBe(
      'https://network.example.org',
    );
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        PUBLIC_ORIGIN: 'ftp://x',
        SEED_DEMO: 'maybe',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'PUBLIC_ORIGIN', 'SEED_DEMO', 'LOG_LEVEL'])
      expect(message).toContain(name);
  });
});

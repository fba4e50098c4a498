/**
 * Configuration, read from the environment once at start, validated, and passed down typed.
 * No other module reads process.env.
 */
import { isAbsolute, resolve } from 'node:path';
import { POOL_SIZE } from '@opsi/db/database';
import { PREPARED_STATEMENTS } from '@opsi/db/prepared';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL URL; undefined means the embedded PGlite database in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL: statements prepared per connection (packages/db prepared.ts), 0 for none. */
  preparedStatements: number;
  /** PostgreSQL: connections per process (DB_POOL_SIZE), and how many stay open when idle (DB_POOL_KEEP). */
  poolSize: number;
  poolKeep: number;
  dataDir: string;
  /** The origin people use, e.g. https://network.example.org (cookies, links, CSRF, CSP). */
  publicOrigin: string;
  seedDemo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** LOG_FORMAT: JSON lines (production), or one readable line per request; unset, readable when stdout is a terminal. */
  logFormat: 'json' | 'pretty' | undefined;
  /** The most milliseconds a SIGTERM's drain and close may take before the process exits anyway (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /**
   * DRAIN_IDLE_WAIT_MS: how long a draining node leaves its idle connections for their client (a
   * proxy's keep-alive pool) to close, before it closes them itself.
   */
  drainIdleWaitMs: number;
  /** Proxies whose X-Forwarded-* headers are trusted (loopback always: the web app's own server calls). */
  trustProxy: string[];
  /** Serve the built web app (apps/web/build); off in API-only tests. */
  serveWeb: boolean;
  /** SMTP server (smtp://user:pass@host:587); without it email is written to DATA_DIR/outbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Requests per minute per client address across the API (sensitive routes have their own, lower limits). */
  rateLimitPerMinute: number;
  /** Sign-ups per client address per hour (SIGNUPS_PER_HOUR). */
  signupsPerHour: number;
  /** Failed sign-ins per client address per 15 minutes (SIGNIN_FAILURES_PER_ADDRESS); successes are free. */
  signInFailuresPerAddress: number;
  /** Failed sign-ins to one account from one address per 15 minutes (SIGNIN_FAILURES_PER_ACCOUNT). */
  signInFailuresPerAccount: number;
  /** Password-reset requests per client address per hour (RESETS_PER_HOUR). */
  resetsPerHour: number;
  /** Uses of emailed links (new password, email confirmation) per client address per hour (TOKEN_CHECKS_PER_HOUR). */
  tokenChecksPerHour: number;
  /** Email-change requests per client address per hour (EMAIL_CHANGES_PER_HOUR): each mails two addresses. */
  emailChangesPerHour: number;
  /** Verification emails a member may ask to be sent again per hour (VERIFICATIONS_PER_HOUR). */
  verificationsPerHour: number;
  /** Data exports (GET /api/v1/me/export) per member per hour (EXPORTS_PER_HOUR). */
  exportsPerHour: number;
  /**
   * ABUSE_LIMITS (default on): false lifts the per-member and per-address limits (posts, mentions,
   * reactions, follows, sockets, requests) for load tests; never the sign-in, sign-up and reset limits.
   */
  abuseLimits: boolean;
  /** Posts and replies per member per minute (POSTS_PER_MINUTE); edits have the same allowance, counted apart. */
  postsPerMinute: number;
  /** Members one post may mention (MENTIONS_PER_POST); a post naming more is refused. */
  mentionsPerPost: number;
  /** Days a new member's limits last while not trusted (NEW_MEMBER_DAYS; Discourse's trust level 0). */
  newMemberDays: number;
  /** Posts and replies a new member may write per day (NEW_MEMBER_POSTS_PER_DAY). */
  newMemberPostsPerDay: number;
  /** Links one post by a new member may hold (NEW_MEMBER_LINKS_PER_POST). */
  newMemberLinksPerPost: number;
  /** Members one post by a new member may mention (NEW_MEMBER_MENTIONS_PER_POST). */
  newMemberMentionsPerPost: number;
  /** Posts written plus threads read that make a member trusted after NEW_MEMBER_DAYS (TRUST_MIN_POSTS). */
  trustMinPosts: number;
  /**
   * Seconds a node keeps a session (with its member) and a reader's own state in a thread in memory
   * (MEMBER_CACHE_SECONDS; 0: read them on every request). Every change drops them on every node
   * at once; this bounds how long a lost notification could leave one behind.
   */
  memberCacheSeconds: number;
  /** Sessions, and readers' thread states, each node keeps in memory at most (MEMBER_CACHE_ENTRIES). */
  memberCacheEntries: number;
  /**
   * Seconds a node keeps a public answer (a case list, a thread's page…) in memory
   * (PUBLIC_CACHE_SECONDS). A committed change drops the answers it touches at once; this bounds
   * how long a change that announces nothing is served stale.
   */
  publicCacheSeconds: number;
  /** Reactions given or taken back per member per minute (REACTIONS_PER_MINUTE). */
  reactionsPerMinute: number;
  /** Follows and unfollows per member per hour (FOLLOWS_PER_HOUR). */
  followsPerHour: number;
  /** Reports per member per hour (REPORTS_PER_HOUR). */
  reportsPerHour: number;
  /** Cases one member may propose per day (PROPOSALS_PER_DAY). */
  proposalsPerDay: number;
  /** Introduction requests one member may have waiting for an answer (INTRODUCTIONS_PENDING_MAX). */
  introductionsPendingMax: number;
  /** Questions one member may ask per minute in an event's Q&A (QUESTIONS_PER_MINUTE). */
  questionsPerMinute: number;
  /** Q&A and poll votes one member may give or take back per minute (LIVE_VOTES_PER_MINUTE). */
  liveVotesPerMinute: number;
  /** Distinct trusted members whose open reports hide a post pending review (REPORTS_TO_HIDE). */
  reportsToHide: number;
  /** The largest request body accepted, in bytes (BODY_LIMIT_BYTES); larger ones get 413. */
  bodyLimitBytes: number;
  /** HTML and JSON bodies at least this long are compressed (gzip or br, as the client accepts) (COMPRESS_MIN_BYTES). */
  compressMinBytes: number;
  /** The most months one transparency report covers (TRANSPARENCY_MAX_MONTHS); a longer range gets 400. */
  transparencyMaxMonths: number;
  /** Concurrent sockets (Socket.IO and the stream) per client address on this node (SOCKETS_PER_ADDRESS). */
  socketsPerAddress: number;
  /** Bearer token that /metrics asks for (METRICS_TOKEN); unset, metrics are not served. */
  metricsToken: string | undefined;
  /** Run scheduled jobs (emails, reminders) on this node; every node may, they never collide. */
  jobs: boolean;
  /** Only these job kinds run here (comma-separated in JOBS_KINDS); empty means all. */
  jobKinds: string[];
  /** What the retention job (modules/retention) prunes, how old, how often and in what batches. */
  retention: Retention;
  /** Hours a first-admin setup link stays usable (SETUP_LINK_HOURS). */
  setupLinkHours: number;
}

export interface Retention {
  /** Days a finished job is kept (RETENTION_JOBS_DAYS). */
  jobsDays: number;
  /** Days a sent event email's ledger row is kept once its event is over (RETENTION_EMAILS_DAYS). */
  emailsDays: number;
  /** Days an activity is kept (RETENTION_ACTIVITIES_DAYS); never one a cursor or a notification needs. */
  activitiesDays: number;
  /** Rows deleted per statement (RETENTION_BATCH). */
  batch: number;
  /** Batches per table and run at most (RETENTION_MAX_BATCHES); the next run goes on. */
  maxBatches: number;
  /** Minutes between runs (RETENTION_EVERY_MINUTES). */
  everyMinutes: number;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function parseBool(name: string, value: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(?:1|true|yes|on)$/i.test(value)) return true;
  if (/^(?:0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name} must be true or false (got "${value}")`);
  return fallback;
}

function positiveInteger(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (/^\d+$/.test(value.trim()) && Number.isSafeInteger(n) && n >= 1) return n;
  problems.push(`${name} must be a positive integer (got "${value}")`);
  return fallback;
}

export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const problems: string[] = [];

  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be an integer 0–65535 (got "${env.PORT}")`);

  const host = env.HOST || '127.0.0.1';

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(?:ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const preparedStatements =
    env.DB_PREPARED_STATEMENTS === '0'
      ? 0
      : positiveInteger('DB_PREPARED_STATEMENTS', env.DB_PREPARED_STATEMENTS, PREPARED_STATEMENTS, problems);
  const poolSize = positiveInteger('DB_POOL_SIZE', env.DB_POOL_SIZE, POOL_SIZE, problems);
  const poolKeep = env.DB_POOL_KEEP === '0' ? 0 : positiveInteger('DB_POOL_KEEP', env.DB_POOL_KEEP, poolSize, problems);
  if (poolKeep > poolSize)
    problems.push(`DB_POOL_KEEP must be at most DB_POOL_SIZE (${poolSize}; got "${env.DB_POOL_KEEP}")`);

  const rawDataDir = env.DATA_DIR || './data';
  const dataDir = isAbsolute(rawDataDir) ? rawDataDir : resolve(cwd, rawDataDir);

  const defaultOrigin = `http://localhost:${port || 3000}`;
  let publicOrigin = defaultOrigin;
  try {
    const url = new URL(env.PUBLIC_ORIGIN || defaultOrigin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    publicOrigin = url.origin;
  } catch {
    problems.push(
      `PUBLIC_ORIGIN must be an http(s) origin such as https://network.example.org (got "${env.PUBLIC_ORIGIN}")`,
    );
  }

  const seedDemo = parseBool('SEED_DEMO', env.SEED_DEMO, databaseUrl === undefined, problems);
  const serveWeb = parseBool('SERVE_WEB', env.SERVE_WEB, true, problems);
  const jobs = parseBool('JOBS', env.JOBS, true, problems);
  const retention: Retention = {
    jobsDays: positiveInteger('RETENTION_JOBS_DAYS', env.RETENTION_JOBS_DAYS, 30, problems),
    emailsDays: positiveInteger('RETENTION_EMAILS_DAYS', env.RETENTION_EMAILS_DAYS, 30, problems),
    activitiesDays: positiveInteger('RETENTION_ACTIVITIES_DAYS', env.RETENTION_ACTIVITIES_DAYS, 365, problems),
    batch: positiveInteger('RETENTION_BATCH', env.RETENTION_BATCH, 1000, problems),
    maxBatches: positiveInteger('RETENTION_MAX_BATCHES', env.RETENTION_MAX_BATCHES, 100, problems),
    everyMinutes: positiveInteger('RETENTION_EVERY_MINUTES', env.RETENTION_EVERY_MINUTES, 60, problems),
  };
  const setupLinkHours = positiveInteger('SETUP_LINK_HOURS', env.SETUP_LINK_HOURS, 24, problems);
  const abuseLimits = parseBool('ABUSE_LIMITS', env.ABUSE_LIMITS, true, problems);
  const jobKinds = (env.JOBS_KINDS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const kind of jobKinds) {
    if (!/^[a-z_.]{2,60}$/.test(kind)) problems.push(`JOBS_KINDS: "${kind}" is not a job kind`);
  }

  const rateLimitPerMinute = Number(env.RATE_LIMIT_PER_MINUTE ?? 1200);
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 1) {
    problems.push(`RATE_LIMIT_PER_MINUTE must be a positive integer (got "${env.RATE_LIMIT_PER_MINUTE}")`);
  }

  const signupsPerHour = Number(env.SIGNUPS_PER_HOUR ?? 10);
  if (!Number.isInteger(signupsPerHour) || signupsPerHour < 1) {
    problems.push(`SIGNUPS_PER_HOUR must be a positive integer (got "${env.SIGNUPS_PER_HOUR}")`);
  }

  // Per-member limits against floods (lifted by ABUSE_LIMITS=off).
  const postsPerMinute = positiveInteger('POSTS_PER_MINUTE', env.POSTS_PER_MINUTE, 10, problems);
  const mentionsPerPost = positiveInteger('MENTIONS_PER_POST', env.MENTIONS_PER_POST, 10, problems);
  const reactionsPerMinute = positiveInteger('REACTIONS_PER_MINUTE', env.REACTIONS_PER_MINUTE, 60, problems);
  const followsPerHour = positiveInteger('FOLLOWS_PER_HOUR', env.FOLLOWS_PER_HOUR, 100, problems);
  const reportsPerHour = positiveInteger('REPORTS_PER_HOUR', env.REPORTS_PER_HOUR, 20, problems);
  const proposalsPerDay = positiveInteger('PROPOSALS_PER_DAY', env.PROPOSALS_PER_DAY, 5, problems);
  const introductionsPendingMax = positiveInteger(
    'INTRODUCTIONS_PENDING_MAX',
    env.INTRODUCTIONS_PENDING_MAX,
    3,
    problems,
  );
  const questionsPerMinute = positiveInteger('QUESTIONS_PER_MINUTE', env.QUESTIONS_PER_MINUTE, 3, problems);
  const liveVotesPerMinute = positiveInteger('LIVE_VOTES_PER_MINUTE', env.LIVE_VOTES_PER_MINUTE, 60, problems);
  // Trust and safety: a post reported by this many trusted members is hidden pending review.
  const reportsToHide = positiveInteger('REPORTS_TO_HIDE', env.REPORTS_TO_HIDE, 3, problems);
  // 0: no new-member period at all.
  const newMemberDays =
    env.NEW_MEMBER_DAYS === '0' ? 0 : positiveInteger('NEW_MEMBER_DAYS', env.NEW_MEMBER_DAYS, 3, problems);
  const newMemberPostsPerDay = positiveInteger('NEW_MEMBER_POSTS_PER_DAY', env.NEW_MEMBER_POSTS_PER_DAY, 10, problems);
  const newMemberLinksPerPost = positiveInteger(
    'NEW_MEMBER_LINKS_PER_POST',
    env.NEW_MEMBER_LINKS_PER_POST,
    2,
    problems,
  );
  const newMemberMentionsPerPost = positiveInteger(
    'NEW_MEMBER_MENTIONS_PER_POST',
    env.NEW_MEMBER_MENTIONS_PER_POST,
    2,
    problems,
  );
  const trustMinPosts = positiveInteger('TRUST_MIN_POSTS', env.TRUST_MIN_POSTS, 3, problems);

  // Sign-in, reset and email-change limits (never lifted by ABUSE_LIMITS=off).
  const positive = (name: string, fallback: number): number => positiveInteger(name, env[name], fallback, problems);
  const signInFailuresPerAddress = positive('SIGNIN_FAILURES_PER_ADDRESS', 30);
  const signInFailuresPerAccount = positive('SIGNIN_FAILURES_PER_ACCOUNT', 5);
  const resetsPerHour = positive('RESETS_PER_HOUR', 5);
  const tokenChecksPerHour = positive('TOKEN_CHECKS_PER_HOUR', 10);
  const emailChangesPerHour = positive('EMAIL_CHANGES_PER_HOUR', 5);
  const verificationsPerHour = positive('VERIFICATIONS_PER_HOUR', 3);
  const exportsPerHour = positive('EXPORTS_PER_HOUR', 10);

  const memberCacheSeconds = env.MEMBER_CACHE_SECONDS === '0' ? 0 : positive('MEMBER_CACHE_SECONDS', 30);
  const memberCacheEntries = positive('MEMBER_CACHE_ENTRIES', 20_000);
  const publicCacheSeconds = positive('PUBLIC_CACHE_SECONDS', 5);

  const socketsPerAddress = positive('SOCKETS_PER_ADDRESS', 100);
  const bodyLimitBytes = positive('BODY_LIMIT_BYTES', 1024 * 1024);
  const compressMinBytes = positive('COMPRESS_MIN_BYTES', 1024);
  const transparencyMaxMonths = positive('TRANSPARENCY_MAX_MONTHS', 120);

  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,200}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16–200 printable characters without spaces (e.g. `openssl rand -hex 32`)');
  }

  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  const mailFrom = env.MAIL_FROM || 'Public Sector Innovators Network <no-reply@localhost>';

  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const logFormat = (env.LOG_FORMAT || undefined) as Config['logFormat'];
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') {
    problems.push(`LOG_FORMAT must be json or pretty (got "${env.LOG_FORMAT}")`);
  }
  const shutdownGraceMs = positive('SHUTDOWN_GRACE_MS', 10_000);
  const drainIdleWaitMs = positive('DRAIN_IDLE_WAIT_MS', 2500);

  const trustProxy = [
    '127.0.0.1',
    '::1',
    ...(env.TRUST_PROXY ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    preparedStatements,
    poolSize,
    poolKeep,
    dataDir,
    publicOrigin,
    seedDemo,
    logLevel,
    logFormat,
    shutdownGraceMs,
    drainIdleWaitMs,
    trustProxy,
    serveWeb,
    rateLimitPerMinute,
    signupsPerHour,
    signInFailuresPerAddress,
    signInFailuresPerAccount,
    resetsPerHour,
    tokenChecksPerHour,
    emailChangesPerHour,
    verificationsPerHour,
    exportsPerHour,
    abuseLimits,
    postsPerMinute,
    mentionsPerPost,
    reactionsPerMinute,
    followsPerHour,
    reportsPerHour,
    proposalsPerDay,
    introductionsPendingMax,
    questionsPerMinute,
    liveVotesPerMinute,
    reportsToHide,
    memberCacheSeconds,
    publicCacheSeconds,
    memberCacheEntries,
    newMemberDays,
    newMemberPostsPerDay,
    newMemberLinksPerPost,
    newMemberMentionsPerPost,
    trustMinPosts,
    socketsPerAddress,
    bodyLimitBytes,
    compressMinBytes,
    transparencyMaxMonths,
    metricsToken,
    jobs,
    jobKinds,
    retention,
    setupLinkHours,
    smtpUrl,
    mailFrom,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

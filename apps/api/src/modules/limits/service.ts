/**
 * Per-member limits against floods: posts and replies, edits and reactions per minute, follows per
 * hour (toggles included), mentions per post. Counted in PostgreSQL (member_limits), so a cluster
 * of nodes shares one budget per member instead of multiplying it by the node count. Beyond a
 * limit: 429 `rate_limited` with Retry-After and `details` naming the limit, so the web app can say
 * what happened and when to try again. ABUSE_LIMITS=off lifts them all (load tests only).
 */
import type { LimitProblem, MemberLimitName } from '@opsi/contracts/common';
import type { Database } from '@opsi/db/database';
import type { Config } from '../../config.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './repository.ts';

/** The actions counted per member. */
export type MemberAction = 'post' | 'edit' | 'reaction' | 'follow' | 'report';

export type MemberLimitSettings = Pick<
  Config,
  'abuseLimits' | 'postsPerMinute' | 'mentionsPerPost' | 'reactionsPerMinute' | 'followsPerHour' | 'reportsPerHour'
>;

export interface MemberLimits {
  /** Counts one action of this member, or throws rate_limited (429, Retry-After) when it does not fit. */
  take(userId: string, action: MemberAction): Promise<void>;
  /** Throws rule_violation (422 on `body`) when a post would mention more members than allowed. */
  checkMentions(count: number): void;
}

/** No limits: for seeds, demo data and load tests (ABUSE_LIMITS=off). */
export const UNLIMITED: MemberLimits = {
  take: () => Promise.resolve(),
  checkMentions: () => undefined,
};

interface Rule {
  limit: MemberLimitName;
  /** The field the web app shows the message at. */
  field: string;
  windowSeconds: number;
  max: (settings: MemberLimitSettings) => number;
  /** "You are … too fast: at most N …" */
  doing: string;
  per: (max: number) => string;
}

const RULES: Record<MemberAction, Rule> = {
  post: {
    limit: 'posts_per_minute',
    field: 'body',
    windowSeconds: 60,
    max: (s) => s.postsPerMinute,
    doing: 'posting',
    per: (max) => `${max} posts and replies a minute`,
  },
  edit: {
    limit: 'edits_per_minute',
    field: 'body',
    windowSeconds: 60,
    max: (s) => s.postsPerMinute,
    doing: 'editing',
    per: (max) => `${max} edits a minute`,
  },
  reaction: {
    limit: 'reactions_per_minute',
    field: 'kind',
    windowSeconds: 60,
    max: (s) => s.reactionsPerMinute,
    doing: 'reacting',
    per: (max) => `${max} reactions a minute`,
  },
  follow: {
    limit: 'follows_per_hour',
    field: 'key',
    windowSeconds: 3600,
    max: (s) => s.followsPerHour,
    doing: 'following and unfollowing',
    per: (max) => `${max} follows and unfollows an hour`,
  },
  report: {
    limit: 'reports_per_hour',
    field: 'target',
    windowSeconds: 3600,
    max: (s) => s.reportsPerHour,
    doing: 'reporting',
    per: (max) => `${max} reports an hour`,
  },
};

function inWords(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

export function createMemberLimits(
  database: Database,
  settings: MemberLimitSettings,
  now: Clock = systemClock,
): MemberLimits {
  if (!settings.abuseLimits) return UNLIMITED;
  const db = database.kysely;
  return {
    async take(userId, action) {
      const rule = RULES[action];
      const max = rule.max(settings);
      const at = now();
      const openedAt = await repo.countAction(db, {
        userId,
        action,
        max,
        windowSeconds: rule.windowSeconds,
        now: at,
      });
      if (openedAt === null) return;
      const left = (openedAt.getTime() + rule.windowSeconds * 1000 - at.getTime()) / 1000;
      const retryAfter = Math.min(rule.windowSeconds, Math.max(1, Math.ceil(left)));
      const message = `You are ${rule.doing} too fast: at most ${rule.per(max)}. Try again in ${inWords(retryAfter)}.`;
      const details: LimitProblem[] = [
        {
          field: rule.field,
          code: 'limit_reached',
          message,
          params: { limit: rule.limit, max, retryAfter },
          limit: rule.limit,
          max,
          retryAfter,
        },
      ];
      throw new AppError('rate_limited', message, details, { 'retry-after': String(retryAfter) });
    },

    checkMentions(count) {
      const max = settings.mentionsPerPost;
      if (count <= max) return;
      const message = `A post can mention at most ${max} people; this one mentions ${count}. Remove some @mentions and try again.`;
      const details: LimitProblem[] = [
        {
          field: 'body',
          code: 'limit_reached',
          message,
          params: { limit: 'mentions_per_post', max },
          limit: 'mentions_per_post',
          max,
        },
      ];
      throw new AppError('rule_violation', message, details);
    },
  };
}

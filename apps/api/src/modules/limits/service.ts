/**
 * Per-member limits against floods: posts and replies, edits and reactions per minute, follows per
 * hour (toggles included), mentions per post. Counted in PostgreSQL (member_limits), so a cluster
 * of nodes shares one budget per member instead of multiplying it by the node count. Beyond a
 * limit: 429 `rate_limited` with Retry-After and `details` naming the limit, so the web app can say
 * what happened and when to try again. ABUSE_LIMITS=off lifts them all (load tests only).
 */
import type { Role } from '@opsi/contracts/accounts';
import type { LimitProblem, MemberLimitName } from '@opsi/contracts/common';
import type { Database } from '@opsi/db/database';
import type { Config } from '../../config.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './repository.ts';

/** The actions counted per member. */
export type MemberAction =
  'post' | 'edit' | 'reaction' | 'follow' | 'new_member_post' | 'report' | 'proposal' | 'question' | 'live_vote';

export type MemberLimitSettings = Pick<
  Config,
  'abuseLimits' | 'postsPerMinute' | 'mentionsPerPost' | 'reactionsPerMinute' | 'followsPerHour' | 'reportsPerHour'
> &
  Partial<
    Pick<
      Config,
      | 'newMemberDays'
      | 'newMemberPostsPerDay'
      | 'newMemberLinksPerPost'
      | 'newMemberMentionsPerPost'
      | 'trustMinPosts'
      | 'proposalsPerDay'
      | 'questionsPerMinute'
      | 'liveVotesPerMinute'
    >
  >;

/** Roles never under the new-member limits. */
const STAFF: ReadonlySet<Role> = new Set(['organiser', 'moderator', 'admin']);

/** A post or edit as the new-member limits see it. */
export interface PostShape {
  links: number;
  mentions: number;
  /** A new post or reply (counted per day); false for an edit. */
  counts: boolean;
}

export interface MemberLimits {
  /** Counts one action of this member, or throws rate_limited (429, Retry-After) when it does not fit. */
  take(userId: string, action: MemberAction): Promise<void>;
  /** Throws rule_violation (422 on `body`) when a post would mention more members than allowed. */
  checkMentions(count: number): void;
  /**
   * The new-member limits (Discourse's trust level 0): for NEW_MEMBER_DAYS after joining, while
   * not trusted and not staff, a post may hold NEW_MEMBER_LINKS_PER_POST links and
   * NEW_MEMBER_MENTIONS_PER_POST mentions (422), and a member may write NEW_MEMBER_POSTS_PER_DAY
   * posts a day (429). Past those days, a member who wrote and read enough without an upheld
   * report becomes trusted here (lazily, when they post).
   * `isNew`: what isNewMember said just before (read beside other reads), instead of reading it here.
   */
  checkNewMember(actor: { id: string; role: Role }, post: PostShape, isNew?: boolean): Promise<void>;
  /** Whether those limits apply to this member now (trusting them when they earned it). */
  isNewMember(actor: { id: string; role: Role }): Promise<boolean>;
}

/** No limits: for seeds, demo data and load tests (ABUSE_LIMITS=off). */
export const UNLIMITED: MemberLimits = {
  take: () => Promise.resolve(),
  checkMentions: () => undefined,
  checkNewMember: () => Promise.resolve(),
  isNewMember: () => Promise.resolve(false),
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
  new_member_post: {
    limit: 'new_member_posts_per_day',
    field: 'body',
    windowSeconds: 24 * 60 * 60,
    max: (s) => s.newMemberPostsPerDay ?? 10,
    doing: 'posting',
    per: (max) => `${max} posts and replies a day while you are a new member`,
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
  proposal: {
    limit: 'proposals_per_day',
    field: 'title',
    windowSeconds: 24 * 60 * 60,
    max: (s) => s.proposalsPerDay ?? 5,
    doing: 'proposing cases',
    per: (max) => `${max} proposed cases a day`,
  },
  question: {
    limit: 'questions_per_minute',
    field: 'body',
    windowSeconds: 60,
    max: (s) => s.questionsPerMinute ?? 3,
    doing: 'asking questions',
    per: (max) => `${max} questions a minute`,
  },
  live_vote: {
    limit: 'live_votes_per_minute',
    field: 'vote',
    windowSeconds: 60,
    max: (s) => s.liveVotesPerMinute ?? 60,
    doing: 'voting',
    per: (max) => `${max} votes a minute`,
  },
};

function inWords(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** A 422 naming a per-post limit (mentions, a new member's links or mentions). */
function perPost(limit: MemberLimitName, max: number, message: string): AppError {
  const details: LimitProblem[] = [
    { field: 'body', code: 'limit_reached', message, params: { limit, max }, limit, max },
  ];
  return new AppError('rule_violation', message, details);
}

export function createMemberLimits(
  database: Database,
  settings: MemberLimitSettings,
  now: Clock = systemClock,
): MemberLimits {
  const db = database.kysely;
  const newMemberDays = settings.newMemberDays ?? 3;

  /** Whether the new-member limits apply to this member now; trusts them when they earned it. */
  async function isNewMember(actor: { id: string; role: Role }): Promise<boolean> {
    if (STAFF.has(actor.role)) return false;
    const standing = await repo.memberStanding(db, actor.id);
    if (!standing || standing.trustedAt) return false;
    const at = now();
    if (at.getTime() < standing.createdAt.getTime() + newMemberDays * 24 * 60 * 60 * 1000) return true;
    await repo.trustIfEarned(db, actor.id, settings.trustMinPosts ?? 3, at);
    return false;
  }

  if (!settings.abuseLimits) {
    return {
      ...UNLIMITED,
      async checkNewMember(actor, _post, isNew) {
        if (isNew === undefined) await isNewMember(actor);
      },
      isNewMember,
    };
  }
  const limits: MemberLimits = {
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
      throw perPost('mentions_per_post', max, message);
    },

    isNewMember,

    async checkNewMember(actor, post, isNew) {
      if (!(isNew ?? (await isNewMember(actor)))) return;
      const links = settings.newMemberLinksPerPost ?? 2;
      if (post.links > links) {
        const message = `While you are a new member, a post can hold at most ${links} links; this one holds ${post.links}.`;
        throw perPost('new_member_links_per_post', links, message);
      }
      const mentions = settings.newMemberMentionsPerPost ?? 2;
      if (post.mentions > mentions) {
        const message = `While you are a new member, a post can mention at most ${mentions} people; this one mentions ${post.mentions}.`;
        throw perPost('new_member_mentions_per_post', mentions, message);
      }
      if (post.counts) await limits.take(actor.id, 'new_member_post');
    },
  };
  return limits;
}

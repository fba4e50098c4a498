/**
 * A member's own tools: blocking members and their level for case threads (watching, normal,
 * muted; posting or being mentioned makes a member watch a thread: notifications/repository.ts). What a block does elsewhere is
 * enforced where it happens: collapsed posts and refused replies (discussions), refused follows
 * (follows), silent mentions and everything else (the notifications fan-out).
 */
import type {
  BlockList,
  BlockState,
  MuteList,
  MuteState,
  ThreadLevelState,
  WatchLevel,
  WatchedThreadList,
} from '@opsi/contracts/member-tools';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import type { FollowsService } from '../follows/service.ts';
import * as repo from './repository.ts';

export interface ToolUser {
  id: string;
  handle: string;
}

export function createMemberToolsService(database: Database, deps: { follows: Pick<FollowsService, 'drop'> }) {
  const db = database.kysely;

  async function person(handle: string): Promise<repo.Person> {
    const found = await repo.findPerson(db, handle);
    if (!found) throw new AppError('not_found', `No member "${handle}"`);
    return found;
  }

  async function thread(slug: string): Promise<{ id: string; slug: string }> {
    const found = await repo.findCase(db, slug);
    if (!found) throw new AppError('not_found', `No case with slug "${slug}"`);
    return found;
  }

  return {
    /** Blocks a member (idempotent); their follow of the blocker ends. */
    async block(actor: ToolUser, handle: string): Promise<BlockState> {
      const other = await person(handle);
      if (other.id === actor.id) {
        const message = 'You cannot block yourself.';
        throw new AppError('rule_violation', message, [problem('handle', 'cannot_block_self', message)]);
      }
      await repo.insertBlock(db, actor.id, other.id);
      await deps.follows.drop(other.id, 'person', actor.handle);
      return { handle: other.handle, blocked: true };
    },

    /** Unblocks a member (idempotent). */
    async unblock(actor: ToolUser, handle: string): Promise<BlockState> {
      const other = await person(handle);
      await repo.deleteBlock(db, actor.id, other.id);
      return { handle: other.handle, blocked: false };
    },

    async blocks(actor: ToolUser): Promise<BlockList> {
      const rows = await repo.listBlocks(db, actor.id);
      return { items: rows.map((r) => ({ ...r, blockedAt: r.blockedAt.toISOString() })) };
    },

    /** Whether the viewer blocked this member (a profile page's button). */
    async blocking(viewerId: string, handle: string): Promise<BlockState> {
      const other = await person(handle);
      return { handle: other.handle, blocked: await repo.isBlocking(db, viewerId, other.id) };
    },

    /** Mutes a thread (PUT /me/mutes), or unmutes it (DELETE): a muted thread becomes "normal". */
    async setMuted(actor: ToolUser, slug: string, muted: boolean): Promise<MuteState> {
      const c = await thread(slug);
      if (muted) await repo.setThreadLevel(db, actor.id, c.id, 'muted');
      else await repo.unmute(db, actor.id, c.id);
      return { caseSlug: c.slug, muted };
    },

    async muteState(actor: ToolUser, slug: string): Promise<MuteState> {
      const c = await thread(slug);
      return { caseSlug: c.slug, muted: (await repo.threadLevel(db, actor.id, c.id)) === 'muted' };
    },

    async mutes(actor: ToolUser): Promise<MuteList> {
      const rows = await repo.listThreadLevels(db, actor.id, 'muted');
      return {
        items: rows.map((r) => ({
          caseSlug: r.caseSlug,
          title: r.title,
          level: 'muted' as const,
          mutedAt: r.updatedAt.toISOString(),
        })),
      };
    },

    /** The member's chosen level for a thread: kept whatever they do there later. */
    async setLevel(actor: ToolUser, slug: string, level: WatchLevel): Promise<ThreadLevelState> {
      const c = await thread(slug);
      await repo.setThreadLevel(db, actor.id, c.id, level);
      return { caseSlug: c.slug, level };
    },

    async level(actor: ToolUser, slug: string): Promise<ThreadLevelState> {
      const c = await thread(slug);
      return { caseSlug: c.slug, level: ((await repo.threadLevel(db, actor.id, c.id)) ?? 'normal') as WatchLevel };
    },

    /** Every thread the member has a level for (watching, normal or muted), newest change first. */
    async threads(actor: ToolUser): Promise<WatchedThreadList> {
      const rows = await repo.listThreadLevels(db, actor.id, null);
      return {
        items: rows.map((r) => ({
          caseSlug: r.caseSlug,
          title: r.title,
          level: r.level as WatchLevel,
          updatedAt: r.updatedAt.toISOString(),
        })),
      };
    },
  };
}

export type MemberToolsService = ReturnType<typeof createMemberToolsService>;

/** Discussions: who may post, edit, delete and react; the limits; the mapping to API shapes. */
import type {
  NewPost,
  Post,
  PostList,
  PostListQuery,
  PostRevision,
  PostRevisions,
  ReactionCounts,
  ReactionKind,
  ReactionState,
} from '@opsi/contracts/discussions';
import type { Role } from '@opsi/contracts/accounts';
import type { ProblemCode } from '@opsi/contracts/common';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import { mentionedHandles, renderPost } from '../../platform/markdown.ts';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import type { CasesService } from '../cases/service.ts';
import { UNLIMITED, type MemberLimits } from '../limits/service.ts';
import { authorOf } from './author.ts';
import * as repo from './repository.ts';
import * as reactions from './reactions/repository.ts';
import * as reading from './reading/repository.ts';
import * as revisions from './revisions/repository.ts';
import { createSearch } from './search/service.ts';

export interface PostActor {
  id: string;
  role: Role;
}

const MODERATORS: Role[] = ['moderator', 'admin'];

/** What every activity about a post says besides its verb and payload. */
type PostActivityFields = Omit<Extract<NewActivity, { objectType: 'post' }>, 'verb' | 'payload' | 'createdAt'>;

export function canModerate(actor: PostActor): boolean {
  return MODERATORS.includes(actor.role);
}

function counts(raw: Record<string, number>): ReactionCounts {
  return { like: raw.like ?? 0, insightful: raw.insightful ?? 0, support: raw.support ?? 0 };
}

export function toPost(row: repo.PostRow): Post {
  const deleted = row.deletedAt !== null;
  const post: Post = {
    id: row.id,
    caseSlug: row.caseSlug,
    parentId: row.parentId,
    author: authorOf(row),
    body: deleted ? '' : row.body,
    bodyHtml: deleted ? '' : row.bodyHtml,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deleted,
    reactions: counts(row.reactions),
    replyCount: row.replyCount,
    mentions: deleted ? [] : row.mentions,
  };
  if (row.myReactions) post.myReactions = row.myReactions as ReactionKind[];
  return post;
}

/** PostgreSQL text cannot hold NUL; everything else is kept as typed. */
function cleanBody(body: string): string {
  const cleaned = body.replaceAll('\u0000', '');
  if (!cleaned.trim()) {
    throw new AppError('validation_failed', 'body must not be empty', [
      problem('body', 'blank', 'body must not be empty'),
    ]);
  }
  return cleaned;
}

/** An earlier version as everyone sees it: a redacted one has no text (the database has none either). */
function toRevision(r: revisions.RevisionRow): PostRevision {
  const redacted = r.redactedAt !== null;
  return {
    id: r.id,
    body: redacted ? '' : r.body,
    bodyHtml: redacted ? '' : r.bodyHtml,
    writtenAt: r.writtenAt.toISOString(),
    replacedAt: r.replacedAt.toISOString(),
    replacedBy:
      r.replacedByHandle && r.replacedByName ? { handle: r.replacedByHandle, displayName: r.replacedByName } : null,
    redacted,
    redactedAt: r.redactedAt?.toISOString() ?? null,
  };
}

// eslint-disable-next-line no-control-regex -- control characters (other than tab and line breaks) never belong in a reason
const CONTROL = /[\u0000-\u0008\v\f\u000e-\u001f\u007f]/;

/** A moderator (or admin) and their reason for a redaction, or the error that says why not. */
function redactionBy(
  actor: PostActor | null,
  rawReason: string,
  field: string,
): { moderator: PostActor; reason: string } {
  if (!actor) throw new AppError('unauthorized', 'Sign in to redact a version of a post');
  if (!canModerate(actor)) throw new AppError('forbidden', 'Only moderators and admins can redact a version of a post');
  const reason = rawReason.trim();
  const refusal = !reason
    ? problem(field, 'blank', `${field} must not be empty`)
    : CONTROL.test(reason)
      ? problem(field, 'control_characters', `${field} must not contain control characters`)
      : null;
  if (refusal) throw new AppError('validation_failed', refusal.message, [refusal]);
  return { moderator: actor, reason };
}

export interface DiscussionsDeps {
  /** The cases search results show. */
  cases: CasesService;
  /**
   * The per-member limits on posts, edits, mentions and reactions (the app passes the configured
   * ones; tests of other rules go without).
   */
  limits?: MemberLimits;
}

export function createDiscussionsService(database: Database, { cases, limits = UNLIMITED }: DiscussionsDeps) {
  const search = createSearch(database, cases);
  const db = database.kysely;

  async function threadCase(slug: string): Promise<repo.ThreadCase> {
    const found = await repo.findThreadCase(db, slug);
    if (!found) throw new AppError('not_found', `No case with slug "${slug}"`);
    return found;
  }

  async function render(body: string, authorId: string | null) {
    const handles = mentionedHandles(body);
    const known = await repo.userIdsForHandles(db, handles);
    const { html: bodyHtml, excerpt } = renderPost(body, new Set(known.keys()));
    const mentionIds = [...known.values()].filter((id) => id !== authorId);
    return { bodyHtml, excerpt, mentionIds, handles: [...known.keys()] };
  }

  async function loadPost(id: string, viewerId: string | null = null): Promise<Post> {
    const row = await repo.findPost(db, id, viewerId);
    if (!row) throw new AppError('not_found', `No post with id "${id}"`);
    return toPost(row);
  }

  /** The edit history of a post: its current text and the earlier versions, newest first. */
  async function history(id: string, evenDeleted = false): Promise<PostRevisions> {
    const row = await repo.findPost(db, id);
    if (!row || (row.deletedAt && !evenDeleted)) throw new AppError('not_found', `No post with id "${id}"`);
    const post = toPost(row);
    const items = await revisions.listRevisions(db, id);
    return {
      current: { body: post.body, bodyHtml: post.bodyHtml, writtenAt: (row.editedAt ?? row.createdAt).toISOString() },
      items: items.map(toRevision),
    };
  }

  /** The post, if this actor may change it (author, moderator or admin). */
  async function changeable(actor: PostActor | null, id: string, verb: string) {
    if (!actor) throw new AppError('unauthorized', `Sign in to ${verb} a post`);
    const owner = await repo.findPostOwner(db, id);
    if (!owner || owner.deleted) throw new AppError('not_found', `No post with id "${id}"`);
    if (owner.authorId !== actor.id && !canModerate(actor)) {
      throw new AppError('forbidden', `Only the author or a moderator can ${verb} this post`);
    }
    const found = await repo.findThreadCaseById(db, owner.caseId);
    return { owner, thread: found };
  }

  /** What an activity about a post says besides its verb and payload (discussions/catalogue-entries.ts). */
  function about(thread: repo.ThreadCase, postId: string, actorId: string, isPublic = true): PostActivityFields {
    return {
      objectType: 'post',
      objectId: postId,
      actorId,
      countries: thread.countries,
      themes: thread.themes,
      isPublic,
    };
  }

  return {
    loadPost,

    /**
     * A public page (as everyone sees it, e.g. from the public cache) made the reader's own: their
     * reactions on each post and their read marker, read in one statement.
     */
    async forReader(page: PostList, slug: string, viewerId: string): Promise<PostList> {
      const { mine, lastRead } = await reading.readerView(
        db,
        viewerId,
        slug,
        page.items.map((p) => p.id),
      );
      return {
        ...page,
        items: page.items.map((p) => ({ ...p, myReactions: (mine.get(p.id) ?? []) as ReactionKind[] })),
        lastReadPostId: lastRead === null || lastRead === '0' ? null : lastRead,
      };
    },

    async list(slug: string, query: PostListQuery, viewerId: string | null): Promise<PostList> {
      const limit = query.limit ?? 50;
      const after = query.after ?? '0';
      const listed = await repo.listPosts(db, slug, { after, limit: limit + 1 }, viewerId);
      const rows = listed.rows;
      let lastRead = listed.lastRead;
      if (!rows.length) {
        // An empty page: does the case exist at all, and where did this reader stop?
        const thread = await threadCase(slug);
        if (viewerId) lastRead = await reading.lastReadPostId(db, viewerId, thread.id);
      }
      const page = rows.slice(0, limit);
      return {
        items: page.map(toPost),
        nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
        lastReadPostId: lastRead === '0' ? null : lastRead,
      };
    },

    async create(actor: PostActor | null, slug: string, input: NewPost): Promise<{ post: Post; created: boolean }> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to post');
      const body = cleanBody(input.body);
      if (input.clientId) {
        const existing = await repo.findPostByClientId(db, actor.id, input.clientId);
        if (existing) return { post: await loadPost(existing, actor.id), created: false };
      }
      const thread = await threadCase(slug);
      const { bodyHtml, excerpt, mentionIds } = await render(body, actor.id);
      limits.checkMentions(mentionIds.length);
      await limits.take(actor.id, 'post');
      const result = await repo.insertPost(
        db,
        {
          caseId: thread.id,
          parentId: input.parentId ?? null,
          authorId: actor.id,
          clientId: input.clientId ?? null,
          body,
          bodyHtml,
          excerpt,
          mentionIds,
        },
        (created) => ({
          ...about(thread, created.id, actor.id),
          verb: 'created',
          payload: {
            caseSlug: thread.slug,
            postId: created.id,
            parentId: created.parentId,
            parentAuthorId: created.parentAuthorId,
            mentionIds,
          },
        }),
      );
      const parentProblem = (code: ProblemCode, message: string) =>
        new AppError('rule_violation', message, [problem('parentId', code, message)]);
      switch (result.kind) {
        case 'parent_missing':
          throw parentProblem('parent_missing', `parentId: no post "${input.parentId}" to reply to`);
        case 'parent_elsewhere':
          throw parentProblem('parent_other_thread', 'parentId: that post belongs to another case');
        case 'parent_deleted':
          throw parentProblem('parent_deleted', 'parentId: that post was deleted');
        case 'duplicate':
          return { post: await loadPost(result.id, actor.id), created: false };
        case 'created':
          return { post: await loadPost(result.id, actor.id), created: true };
      }
    },

    async edit(actor: PostActor | null, id: string, rawBody: string): Promise<Post> {
      const { owner, thread } = await changeable(actor, id, 'edit');
      const body = cleanBody(rawBody);
      const { bodyHtml, excerpt, mentionIds } = await render(body, owner.authorId);
      limits.checkMentions(mentionIds.length);
      await limits.take(actor!.id, 'edit');
      const ok = await repo.updatePostBody(
        db,
        { id, editorId: actor!.id, body, bodyHtml, excerpt, mentionIds },
        {
          ...about(thread, id, actor!.id),
          verb: 'updated',
          payload: { caseSlug: thread.slug, postId: id, parentId: owner.parentId, mentionIds },
        },
      );
      if (!ok) throw new AppError('not_found', `No post with id "${id}"`);
      return loadPost(id, actor!.id);
    },

    async remove(actor: PostActor | null, id: string): Promise<void> {
      const { owner, thread } = await changeable(actor, id, 'delete');
      await repo.deletePost(
        db,
        { id, deletedBy: actor!.id },
        {
          ...about(thread, id, actor!.id),
          verb: 'deleted',
          payload: {
            caseSlug: thread.slug,
            postId: id,
            parentId: owner.parentId,
            byModerator: owner.authorId !== actor!.id,
          },
        },
      );
    },

    async react(actor: PostActor | null, id: string, kind: ReactionKind, on: boolean): Promise<ReactionState> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to react');
      const owner = await repo.findPostOwner(db, id);
      if (!owner || owner.deleted) throw new AppError('not_found', `No post with id "${id}"`);
      await limits.take(actor.id, 'reaction');
      const thread = await repo.findThreadCaseById(db, owner.caseId);
      const result = await reactions.setReaction(
        db,
        { postId: id, userId: actor.id, kind, on },
        {
          ...about(thread, id, actor.id, false),
          verb: 'reacted',
          payload: { caseSlug: thread.slug, postId: id, kind, on, authorId: owner.authorId },
        },
      );
      if (result === 'missing') throw new AppError('not_found', `No post with id "${id}"`);
      return { postId: id, reactions: counts(result.reactions), myReactions: result.mine as ReactionKind[] };
    },

    revisions: (id: string) => history(id),

    /**
     * A moderator or admin blanks the text of an earlier version (it is gone from the database),
     * recording who, when and why; everyone then sees it as redacted. Again on the same version:
     * nothing changes. Works on a deleted post's history too, which only moderators reach.
     */
    async redactRevision(
      actor: PostActor | null,
      postId: string,
      revisionId: string,
      rawReason: string,
    ): Promise<PostRevisions> {
      const { moderator, reason } = redactionBy(actor, rawReason, 'reason');
      const owner = await repo.findPostOwner(db, postId);
      if (!owner) throw new AppError('not_found', `No post with id "${postId}"`);
      const thread = await repo.findThreadCaseById(db, owner.caseId);
      const result = await revisions.redactRevision(
        db,
        { postId, revisionId, redactedBy: moderator.id, reason },
        {
          ...about(thread, postId, moderator.id, false),
          verb: 'revision_redacted',
          payload: { caseSlug: thread.slug, postId, revisionId, reason },
        },
      );
      if (result === 'missing') throw new AppError('not_found', `Post "${postId}" has no revision "${revisionId}"`);
      return history(postId, true);
    },

    /** A moderator's edit that also redacts the version it replaces (PATCH with `redactPrevious`). */
    async editRedactingPrevious(actor: PostActor | null, id: string, body: string, rawReason: string): Promise<Post> {
      const { moderator, reason } = redactionBy(actor, rawReason, 'redactPrevious.reason');
      const before = await revisions.latestRevisionId(db, id);
      const post = await this.edit(moderator, id, body);
      // The version this edit replaced (none when the text did not change).
      const replaced = await revisions.revisionReplacedBy(db, id, moderator.id, before);
      if (replaced) await this.redactRevision(moderator, id, replaced, reason);
      return post;
    },

    async preview(body: string) {
      const { bodyHtml, handles } = await render(body.replaceAll('\u0000', ''), null);
      return { bodyHtml, mentions: handles };
    },

    async markRead(actor: PostActor | null, slug: string, postId: string): Promise<void> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to keep your place in threads');
      const thread = await threadCase(slug);
      await reading.markRead(db, actor.id, thread.id, postId);
    },

    async unread(actor: PostActor | null, slugs: string[]) {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see unread posts');
      return { items: await reading.unreadCounts(db, actor.id, slugs) };
    },

    search,
  };
}

export type DiscussionsService = ReturnType<typeof createDiscussionsService>;

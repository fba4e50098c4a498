/** Discussions: who may post, edit, delete and react; the limits; the mapping to API shapes. */
import type {
  NewPost,
  Post,
  PostList,
  PostListQuery,
  PostRevisions,
  ReactionCounts,
  ReactionKind,
  ReactionState,
} from '@opsi/contracts/discussions';
import type { Role } from '@opsi/contracts/accounts';
import type { ProblemCode } from '@opsi/contracts/common';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import { namesIn, renderPost } from '../../platform/markdown.ts';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import type { CasesService } from '../cases/service.ts';
import { UNLIMITED, type MemberLimits } from '../limits/service.ts';
import { authorOf } from './author.ts';
import { cleanBody, postLanguage } from './post-text.ts';
import * as deleting from './deleting/repository.ts';
import * as editing from './editing/repository.ts';
import * as repo from './repository.ts';
import { insertPost, type PostCreated } from './posting/repository.ts';
import * as reactions from './reactions/repository.ts';
import * as reading from './reading/repository.ts';
import { createReaderStates, type ReaderStates } from './reading/states.ts';
import { createReading } from './reading/service.ts';
import { refuseReplyIfBlocked } from './reading/blocked-authors.ts';
import { moderatorLog } from './moderator-log.ts';
import type { AuditService } from '../audit/service.ts';
import * as revisions from './revisions/repository.ts';
import { redactionBy, toRevision } from './revisions/shapes.ts';
import { createSearch } from './search/service.ts';
import { createFreshPosts } from './fresh-posts.ts';
import { createPostModeration } from './hiding/service.ts';

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

/**
 * A post as the API shows it. A deleted post is a tombstone; so is a hidden one, except for its
 * author and moderators (`reveal`), who get the text and `hiddenReason`.
 */
export function toPost(row: repo.PostRow, reveal = false): Post {
  const deleted = row.deletedAt !== null;
  const hidden = !deleted && row.hiddenAt !== null;
  const blank = deleted || (hidden && !reveal);
  const post: Post = {
    id: row.id,
    caseSlug: row.caseSlug,
    parentId: row.parentId,
    author: authorOf(row),
    body: blank ? '' : row.body,
    bodyHtml: blank ? '' : row.bodyHtml,
    language: row.language,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deleted,
    hidden,
    reactions: counts(row.reactions),
    replyCount: row.replyCount,
    mentions: blank ? [] : row.mentions,
  };
  if (hidden && reveal) post.hiddenReason = row.hiddenReason ?? '';
  if (row.myReactions) post.myReactions = row.myReactions as ReactionKind[];
  if (row.authorBlocked) post.authorBlocked = true;
  return post;
}

/** Whether this viewer reads a hidden post's text: its author, moderators and admins. */
export function reveals(viewer: PostActor | null, row: { authorId: string }): boolean {
  return viewer !== null && (viewer.id === row.authorId || canModerate(viewer));
}

export interface DiscussionsDeps {
  /** The cases search results show. */
  cases: CasesService;
  /** The per-member limits on posts, edits, mentions and reactions (tests of other rules go without). */
  limits?: MemberLimits;
  /** The moderation log, for moderators' edits, deletions and redactions of others' posts. */
  audit?: AuditService;
  /** Readers' own states in threads, kept in memory (plugin.ts); by default read on every request. */
  readers?: ReaderStates;
}

export function createDiscussionsService(
  database: Database,
  { cases, limits = UNLIMITED, audit, readers: givenReaders }: DiscussionsDeps,
) {
  const search = createSearch(database, cases);
  const logged = moderatorLog(audit);
  const fresh = createFreshPosts();
  const db = database.kysely;
  const readers = givenReaders ?? createReaderStates(db);

  async function threadCase(slug: string): Promise<repo.ThreadCase> {
    const found = await repo.findThreadCase(db, slug);
    if (!found) throw new AppError('not_found', `No case with slug "${slug}"`);
    return found;
  }

  async function render(body: string, authorId: string | null) {
    const { handles, cases: slugs } = namesIn(body);
    const [known, cases] = await Promise.all([
      repo.userIdsForHandles(db, handles),
      slugs.length ? repo.caseTitles(db, slugs) : new Map<string, string>(),
    ]);
    const { html: bodyHtml, excerpt, links } = renderPost(body, new Set(known.keys()), new Set(cases.keys()));
    const mentionIds = [...known.values()].filter((id) => id !== authorId);
    return { bodyHtml, excerpt, mentionIds, links, handles: [...known.keys()] };
  }

  async function loadPost(id: string, viewer: PostActor | null = null): Promise<Post> {
    const row = await repo.findPost(db, id, viewer?.id ?? null);
    if (!row) throw new AppError('not_found', `No post with id "${id}"`);
    return toPost(row, reveals(viewer, row));
  }

  /** The edit history of a post: its current text and the earlier versions, newest first. */
  async function history(id: string, evenDeleted = false, viewer: PostActor | null = null): Promise<PostRevisions> {
    const row = await repo.findPost(db, id);
    if (!row || (row.deletedAt && !evenDeleted)) throw new AppError('not_found', `No post with id "${id}"`);
    const reveal = evenDeleted || reveals(viewer, row);
    // A hidden post's history is for its author and moderators only: for others it is gone.
    if (row.hiddenAt && !reveal) throw new AppError('not_found', `No post with id "${id}"`);
    const post = toPost(row, reveal);
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

    ...createReading(db, readers, threadCase),

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
        items: page.map((row) => toPost(row)),
        nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
        lastReadPostId: lastRead === '0' ? null : lastRead,
      };
    },

    async create(actor: PostActor | null, slug: string, input: NewPost): Promise<PostCreated<Post>> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to post');
      const body = cleanBody(input.body);
      if (input.clientId) {
        const existing = await repo.findPostByClientId(db, actor.id, input.clientId);
        if (existing) return { post: await loadPost(existing, actor), created: false };
      }
      // The case, the member's standing and the body's rendering side by side: none spends an
      // allowance, so a post to a missing case still costs a new member nothing.
      const [thread, isNew, { bodyHtml, excerpt, mentionIds, links }] = await Promise.all([
        threadCase(slug),
        limits.isNewMember(actor),
        render(body, actor.id),
      ]);
      if (input.parentId) await refuseReplyIfBlocked(db, input.parentId, actor.id);
      limits.checkMentions(mentionIds.length);
      await limits.checkNewMember(actor, { links, mentions: mentionIds.length, counts: true }, isNew);
      await limits.take(actor.id, 'post');
      const result = await insertPost(
        db,
        {
          caseId: thread.id,
          parentId: input.parentId ?? null,
          authorId: actor.id,
          clientId: input.clientId ?? null,
          body,
          bodyHtml,
          language: postLanguage(input, excerpt, thread.language),
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
          return { post: await loadPost(result.id, actor), created: false };
        case 'created': {
          const post = toPost(result.row, reveals(actor, result.row));
          fresh.put(post, result.previousId);
          return { post, created: true, activityId: result.activityId };
        }
      }
    },

    /** A new text for a post; its language as given, or detected again from the new text. */
    async edit(actor: PostActor | null, id: string, rawBody: string, language?: string): Promise<Post> {
      const { owner, thread } = await changeable(actor, id, 'edit');
      const body = cleanBody(rawBody);
      const { bodyHtml, excerpt, mentionIds, links } = await render(body, owner.authorId);
      limits.checkMentions(mentionIds.length);
      await limits.checkNewMember(actor!, { links, mentions: mentionIds.length, counts: false });
      await limits.take(actor!.id, 'edit');
      const detected = postLanguage({ language }, excerpt, thread.language);
      const ok = await editing.updatePostBody(
        db,
        { id, editorId: actor!.id, body, bodyHtml, excerpt, language: detected, mentionIds },
        {
          // An edit of a hidden post is not announced to public readers (the stream, feeds).
          ...about(thread, id, actor!.id, !owner.hidden),
          verb: 'updated',
          payload: { caseSlug: thread.slug, postId: id, parentId: owner.parentId, mentionIds },
        },
        logged(actor!, owner.authorId, 'edit', id),
      );
      if (!ok) throw new AppError('not_found', `No post with id "${id}"`);
      return loadPost(id, actor);
    },

    async remove(actor: PostActor | null, id: string): Promise<void> {
      const { owner, thread } = await changeable(actor, id, 'delete');
      await deleting.deletePost(
        db,
        { id, deletedBy: actor!.id },
        {
          ...about(thread, id, actor!.id, !owner.hidden),
          verb: 'deleted',
          payload: {
            caseSlug: thread.slug,
            postId: id,
            parentId: owner.parentId,
            byModerator: owner.authorId !== actor!.id,
          },
        },
        logged(actor!, owner.authorId, 'delete', id),
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
      readers.forget(actor.id);
      if (result === 'missing') throw new AppError('not_found', `No post with id "${id}"`);
      return { postId: id, reactions: counts(result.reactions), myReactions: result.mine as ReactionKind[] };
    },

    revisions: (id: string, viewer: PostActor | null = null) => history(id, false, viewer),

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
        logged(moderator, '', 'redact_revision', postId, reason, { revisionId }),
      );
      if (result === 'missing') throw new AppError('not_found', `Post "${postId}" has no revision "${revisionId}"`);
      return history(postId, true);
    },

    /** A moderator's edit that also redacts the version it replaces (PATCH with `redactPrevious`). */
    async editRedactingPrevious(
      actor: PostActor | null,
      id: string,
      body: string,
      rawReason: string,
      language?: string,
    ): Promise<Post> {
      const { moderator, reason } = redactionBy(actor, rawReason, 'redactPrevious.reason');
      const before = await revisions.latestRevisionId(db, id);
      const post = await this.edit(moderator, id, body, language);
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
      readers.forget(actor.id);
    },

    async unread(actor: PostActor | null, slugs: string[]) {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see unread posts');
      return { items: await reading.unreadCounts(db, actor.id, slugs) };
    },

    search,

    /** What moderators do to posts, on the moderation service's transaction. */
    moderation: createPostModeration(database),

    /** Posts just written on this node, for their live `post:created` (live.ts). */
    fresh,
  };
}

export type DiscussionsService = ReturnType<typeof createDiscussionsService>;

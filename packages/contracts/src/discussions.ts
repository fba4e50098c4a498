import { Type, type Static } from 'typebox';
import { Language, Slug, Timestamp } from './common.ts';
import { Handle } from './accounts.ts';
import { CaseSummary } from './cases.ts';

export const ReactionKinds = ['like', 'insightful', 'support'] as const;
export type ReactionKind = (typeof ReactionKinds)[number];
export const POST_MAX_LENGTH = 20_000;

export const PostId = Type.String({ pattern: '^[1-9][0-9]{0,18}$', description: 'opaque post id' });
export const ReactionKind = Type.Enum(ReactionKinds);

const Count = Type.Integer({ minimum: 0 });
export const ReactionCounts = Type.Object(
  { like: Count, insightful: Count, support: Count },
  { description: 'how many members reacted with each kind' },
);
export type ReactionCounts = Static<typeof ReactionCounts>;

/** The handle every post of a deleted account shows (no profile has it: handles starting `former-` are reserved). */
export const FORMER_MEMBER_HANDLE = 'former-member';

export const PostAuthor = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  former: Type.Optional(
    Type.Literal(true, {
      description: `the author deleted their account: shown as "a former member", without a profile link (handle \`${FORMER_MEMBER_HANDLE}\`)`,
    }),
  ),
});
export type PostAuthor = Static<typeof PostAuthor>;

export const Post = Type.Object({
  id: PostId,
  caseSlug: Slug,
  parentId: Type.Union([PostId, Type.Null()], { description: 'the top-level post this replies to' }),
  author: PostAuthor,
  body: Type.String({ description: 'markdown source; empty once deleted' }),
  bodyHtml: Type.String({ description: 'sanitised HTML rendered from body on the server; empty once deleted' }),
  language: Type.String({ ...Language, description: 'the language the post is written in (given, or detected)' }),
  createdAt: Timestamp,
  editedAt: Type.Union([Timestamp, Type.Null()]),
  deleted: Type.Boolean({ description: 'a tombstone kept because replies remain' }),
  hidden: Type.Optional(
    Type.Boolean({
      description:
        'hidden by the moderators: a tombstone (empty body) for others; its author and moderators still get the body',
    }),
  ),
  hiddenReason: Type.Optional(
    Type.String({ description: 'why the moderators hid it: only to its author, moderators and admins' }),
  ),
  reactions: ReactionCounts,
  replyCount: Type.Integer({ minimum: 0, description: 'live replies under a top-level post' }),
  mentions: Type.Array(Handle, { description: 'members mentioned with @handle' }),
  myReactions: Type.Optional(Type.Array(ReactionKind, { description: 'the signed-in viewer’s reactions' })),
  authorBlocked: Type.Optional(
    Type.Boolean({ description: 'true when the signed-in viewer blocked the author: show the post collapsed' }),
  ),
});
export type Post = Static<typeof Post>;

export const PostListQuery = Type.Object({
  after: Type.Optional(
    Type.String({ pattern: '^(0|[1-9][0-9]{0,18})$', description: 'only posts with a larger id (catch-up)' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
});
export type PostListQuery = Static<typeof PostListQuery>;

export const PostList = Type.Object({
  items: Type.Array(Post),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `after` for the next page' }),
  lastReadPostId: Type.Union([PostId, Type.Null()], {
    description: 'signed in: the last post this member had read before this request (null when never visited)',
  }),
});
export type PostList = Static<typeof PostList>;

export const NewPost = Type.Object(
  {
    body: Type.String({
      minLength: 1,
      maxLength: POST_MAX_LENGTH,
      description: 'markdown, 1–20,000 characters, not only spaces',
    }),
    parentId: Type.Optional(PostId),
    language: Type.Optional(
      Type.String({
        ...Language,
        description: 'the language of body; when absent it is detected (English or French), else the case’s',
      }),
    ),
    clientId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'a retry of the same clientId returns the first post' }),
    ),
  },
  { additionalProperties: false },
);
export type NewPost = Static<typeof NewPost>;

export const REDACTION_REASON_MAX_LENGTH = 500;

/** Why a moderator redacts a version: kept with the redaction for moderators, never shown publicly. */
export const RevisionRedaction = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: REDACTION_REASON_MAX_LENGTH,
      description: 'why the text is removed (1–500 characters; recorded, not public)',
    }),
  },
  { additionalProperties: false },
);
export type RevisionRedaction = Static<typeof RevisionRedaction>;

export const PostEdit = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: POST_MAX_LENGTH, description: 'not only spaces' }),
    language: Type.Optional(
      Type.String({
        ...Language,
        description:
          'the language of the new text; when absent it is detected again (English or French), else the case’s',
      }),
    ),
    /** Moderators and admins: also redact the version this edit replaces, in the same step. */
    redactPrevious: Type.Optional(RevisionRedaction),
  },
  { additionalProperties: false },
);
export type PostEdit = Static<typeof PostEdit>;

export const PostRevisionId = Type.String({ pattern: '^[1-9][0-9]{0,18}$', description: 'opaque revision id' });

export const PostRevision = Type.Object({
  id: PostRevisionId,
  body: Type.String({ description: 'markdown source; empty once redacted' }),
  bodyHtml: Type.String({ description: 'sanitised HTML; empty once redacted' }),
  writtenAt: Timestamp,
  replacedAt: Timestamp,
  replacedBy: Type.Union([PostAuthor, Type.Null()]),
  redacted: Type.Boolean({
    description: 'a moderator removed the text of this version: it is gone from the database, not hidden',
  }),
  redactedAt: Type.Union([Timestamp, Type.Null()]),
});
export type PostRevision = Static<typeof PostRevision>;
export const PostRevisions = Type.Object({
  current: Type.Object({ body: Type.String(), bodyHtml: Type.String(), writtenAt: Timestamp }),
  items: Type.Array(PostRevision, { description: 'earlier versions, newest first' }),
});
export type PostRevisions = Static<typeof PostRevisions>;

export const ReactionState = Type.Object({
  postId: PostId,
  reactions: ReactionCounts,
  myReactions: Type.Array(ReactionKind),
});
export type ReactionState = Static<typeof ReactionState>;

export const PreviewBody = Type.Object(
  { body: Type.String({ maxLength: POST_MAX_LENGTH }) },
  { additionalProperties: false },
);
export const Preview = Type.Object({ bodyHtml: Type.String(), mentions: Type.Array(Handle) });
export type Preview = Static<typeof Preview>;

export const ReadMarker = Type.Object({ lastReadPostId: PostId }, { additionalProperties: false });

export const UnreadCounts = Type.Object({
  items: Type.Array(Type.Object({ slug: Slug, unread: Count, lastReadPostId: PostId })),
});
export type UnreadCounts = Static<typeof UnreadCounts>;

export const SearchTypes = ['all', 'cases', 'posts'] as const;
export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, description: 'not only spaces and operators' }),
  type: Type.Optional(Type.Enum(SearchTypes, { default: 'all' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  lang: Type.Optional(
    Type.String({
      ...Language,
      description: 'the reader’s language: case hits translated into it come in the translation',
    }),
  ),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchHit = Type.Union([
  Type.Object({
    type: Type.Literal('case'),
    case: CaseSummary,
    snippet: Type.String({
      description: 'HTML-escaped text with matches in <mark>, in the case’s `textLanguage`',
    }),
  }),
  Type.Object({
    type: Type.Literal('post'),
    post: Type.Object({
      id: PostId,
      caseSlug: Slug,
      caseTitle: Type.String(),
      parentId: Type.Union([PostId, Type.Null()]),
      language: Type.String({ ...Language, description: 'the language the post (and its snippet) is written in' }),
      author: PostAuthor,
      createdAt: Timestamp,
    }),
    snippet: Type.String({ description: 'HTML-escaped text with matches in <mark>' }),
  }),
]);
export type SearchHit = Static<typeof SearchHit>;
export const SearchResults = Type.Object({
  items: Type.Array(SearchHit),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Object({ cases: Count, posts: Count }),
});
export type SearchResults = Static<typeof SearchResults>;

/** Socket payloads (API.md "Realtime"). */
/**
 * `post:created`: the post, and the id of the post before it in its thread when it was written
 * (null for the thread's first). A client that holds posts up to the end of the thread and gets a
 * `previousId` newer than its newest one missed a post: it catches up (GET posts?after=<its newest>).
 */
export type PostCreated = Post & { previousId: string | null };
export interface ReactionChanged {
  postId: string;
  caseSlug: string;
  reactions: ReactionCounts;
}
export interface TypingPayload {
  slug: string;
  user: { handle: string; displayName: string };
}

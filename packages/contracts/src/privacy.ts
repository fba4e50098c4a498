/** Privacy rights (API.md "Trust and safety"): a member's export of their data, and deleting their account. */
import { Type, type Static } from 'typebox';
import { Timestamp } from './common.ts';
import { Handle, Roles, SessionInfo } from './accounts.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PostsChoices = ['anonymise', 'delete'] as const;
export type PostsChoice = (typeof PostsChoices)[number];

export const DeleteAccountBody = Type.Object({
  password: Type.String({ minLength: 1, maxLength: 256, description: 'the account’s current password' }),
  posts: Type.Enum(PostsChoices, {
    description:
      '`anonymise`: the posts stay, signed "a former member" (no profile link); `delete`: they are deleted (tombstones where replies remain)',
  }),
});
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;

const ExportedRevision = Type.Object({
  body: Type.String({ description: 'empty once a moderator redacted it' }),
  writtenAt: Timestamp,
  replacedAt: Timestamp,
  redacted: Type.Boolean(),
});

const ExportedPost = Type.Object({
  id: Type.String(),
  caseSlug: Type.String(),
  parentId: Nullable(Type.String()),
  body: Type.String(),
  createdAt: Timestamp,
  editedAt: Nullable(Timestamp),
  deletedAt: Nullable(Timestamp),
  revisions: Type.Array(ExportedRevision, { description: 'earlier versions, newest first' }),
});

export const DataExport = Type.Object(
  {
    exportedAt: Timestamp,
    account: Type.Object({
      id: Type.String(),
      handle: Handle,
      email: Type.String(),
      pendingEmail: Nullable(Type.String({ description: 'a new address waiting for its confirmation' })),
      role: Type.Enum(Roles),
      language: Type.String({ description: 'the language of emails (`en` or `fr`)' }),
      createdAt: Timestamp,
    }),
    profile: Type.Object({
      displayName: Type.String(),
      headline: Type.String(),
      organisation: Type.String(),
      countryCode: Nullable(Type.String()),
      bio: Type.String(),
      themes: Type.Array(Type.String()),
      links: Type.Array(Type.String()),
      followerCount: Type.Integer({ minimum: 0 }),
      openToIntroductions: Type.Boolean(),
    }),
    settings: Type.Object({
      notifications: Type.Array(Type.Object({ kind: Type.String(), channel: Type.String() }), {
        description: 'the kinds set apart from their default channel',
      }),
      digest: Nullable(Type.Object({ frequency: Type.String(), lastSentAt: Nullable(Timestamp) })),
      calendarFeed: Type.Object(
        { active: Type.Boolean(), createdAt: Nullable(Timestamp) },
        { description: 'whether a private calendar feed address exists (never the address itself)' },
      ),
    }),
    sessions: Type.Array(SessionInfo, { description: 'signed-in devices (never a token or its hash)' }),
    posts: Type.Array(ExportedPost),
    reactions: Type.Array(Type.Object({ postId: Type.String(), kind: Type.String(), createdAt: Timestamp })),
    rsvps: Type.Array(
      Type.Object({
        eventSlug: Type.String(),
        eventTitle: Type.String(),
        status: Type.String(),
        listed: Type.Boolean(),
        ticketCode: Type.String(),
        checkedInAt: Nullable(Timestamp),
        answeredAt: Timestamp,
      }),
    ),
    organising: Type.Array(Type.Object({ eventSlug: Type.String(), eventTitle: Type.String() })),
    invitations: Type.Array(
      Type.Object({ eventSlug: Type.String(), eventTitle: Type.String(), createdAt: Timestamp }),
      { description: 'invitations to co-organise an event, waiting for an answer' },
    ),
    follows: Type.Array(Type.Object({ type: Type.String(), key: Type.String(), createdAt: Timestamp })),
    caseProposals: Type.Array(
      Type.Object({
        slug: Type.String(),
        status: Type.String({ description: 'pending, approved or rejected' }),
        fields: Type.Record(Type.String(), Type.Unknown(), { description: 'the case as proposed' }),
        reason: Type.String({ description: 'why it was returned, when it was' }),
        caseSlug: Nullable(Type.String({ description: 'the published case, once approved' })),
        createdAt: Timestamp,
      }),
      { description: 'cases they proposed ("Add your innovation")' },
    ),
    caseEdits: Type.Array(
      Type.Object({ caseSlug: Type.String(), version: Type.Integer(), note: Type.String(), createdAt: Timestamp }),
      { description: 'versions of cases they wrote (the case itself belongs to the library)' },
    ),
    introductions: Type.Array(
      Type.Object({
        direction: Type.Union([Type.Literal('sent'), Type.Literal('received')]),
        otherHandle: Type.String(),
        message: Type.String(),
        status: Type.String({ description: 'pending, accepted or declined' }),
        createdAt: Timestamp,
        decidedAt: Nullable(Timestamp),
      }),
      { description: 'introductions they asked for or were asked' },
    ),
    questions: Type.Array(
      Type.Object({ eventSlug: Type.String(), body: Type.String(), votes: Type.Integer(), createdAt: Timestamp }),
      { description: 'questions they asked in events’ Q&A' },
    ),
    votes: Type.Object(
      {
        questions: Type.Array(
          Type.Object({ eventSlug: Type.String(), questionId: Type.String(), createdAt: Timestamp }),
        ),
        polls: Type.Array(Type.Object({ eventSlug: Type.String(), question: Type.String(), option: Type.String() })),
      },
      { description: 'their votes in events’ Q&A and polls' },
    ),
    notifications: Type.Array(
      Type.Object({
        id: Type.String(),
        kind: Type.String(),
        count: Type.Integer({ minimum: 1 }),
        title: Type.String(),
        url: Type.String(),
        createdAt: Timestamp,
        readAt: Nullable(Timestamp),
      }),
    ),
  },
  { description: 'everything the platform holds about the caller' },
);
export type DataExport = Static<typeof DataExport>;

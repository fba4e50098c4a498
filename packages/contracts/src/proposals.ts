/**
 * Proposals (API.md "Case library"): a member's case, kept apart until a moderator approves it
 * (POST /api/v1/cases answers 202 for members), the moderators' review queue, and the proposer's
 * own list.
 */
import { Type, type Static } from 'typebox';
import { Cursor, Limit, Slug, Timestamp } from './common.ts';
import { Handle } from './accounts.ts';
import { LevelsOfGovernment, Stages } from './cases.ts';
import { ModerationReason } from './moderation.ts';

export const ProposalStatuses = ['pending', 'approved', 'rejected'] as const;
export type ProposalStatus = (typeof ProposalStatuses)[number];

/** The case as proposed (a CaseSnapshot: what the case will be once approved). */
export const ProposedCase = Type.Object({
  slug: Slug,
  title: Type.String(),
  summary: Type.String(),
  body: Type.String(),
  countries: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  year: Type.Integer(),
  organisation: Type.String(),
  levelOfGovernment: Type.Enum(LevelsOfGovernment),
  stage: Type.Enum(Stages),
  sourceUrl: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
});
export type ProposedCase = Static<typeof ProposedCase>;

/** A proposal as its proposer reads it (202 of POST /api/v1/cases, GET /api/v1/me/proposals). */
export const Proposal = Type.Object({
  ...ProposedCase.properties,
  status: Type.Enum(ProposalStatuses),
  reason: Type.String({ description: 'why it was returned (empty otherwise)' }),
  caseSlug: Type.Union([Slug, Type.Null()], { description: 'the published case, once approved' }),
  createdAt: Timestamp,
  reviewedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Proposal = Static<typeof Proposal>;

export const ProposalList = Type.Object({
  items: Type.Array(Proposal),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ProposalList = Static<typeof ProposalList>;

/** Who proposed, for the reviewers. */
export const Proposer = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  joinedAt: Timestamp,
  postCount: Type.Integer({ minimum: 0, description: 'live posts' }),
});

/** A proposal in the moderators' queue. */
export const ProposalForReview = Type.Object({
  ...Proposal.properties,
  proposer: Type.Union([Proposer, Type.Null()], { description: 'null once the account is gone' }),
  reviewedBy: Type.Union([Handle, Type.Null()]),
});
export type ProposalForReview = Static<typeof ProposalForReview>;

export const ReviewQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(ProposalStatuses, { default: 'pending' })),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type ReviewQuery = Static<typeof ReviewQuery>;

export const ReviewPage = Type.Object({
  items: Type.Array(ProposalForReview),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ReviewPage = Static<typeof ReviewPage>;

export const ReviewBody = Type.Object({ reason: Type.Optional(ModerationReason) }, { additionalProperties: false });
export type ReviewBody = Static<typeof ReviewBody>;

export const ProposalQuery = Type.Object(
  { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);
export type ProposalQuery = Static<typeof ProposalQuery>;

/** A case a member proposed and a moderator approved (their profile lists them). */
export const ProposedCaseLink = Type.Object({ slug: Slug, title: Type.String() });

/** Socket `case:proposed` to the moderators' room `moderation:cases`: enough to read the queue again. */
export interface CaseProposedEvent {
  slug: string;
  title: string;
  createdAt: string;
}

/**
 * Introductions between members in different countries (API.md "Connecting people"): the ranked
 * matches with their reasons in words, and the requests to be introduced (asked, accepted,
 * declined). Only members who opted in (`openToIntroductions` in the profile) are offered or asked,
 * and only a member who opted in sees matches or asks.
 */
import { Type, type Static } from 'typebox';
import { CountryCode, Timestamp } from './common.ts';
import { Handle } from './accounts.ts';

export const ReasonKinds = ['theme', 'case', 'event', 'text'] as const;
export type ReasonKind = (typeof ReasonKinds)[number];

export const MatchReason = Type.Object({
  kind: Type.Enum(ReasonKinds, {
    description:
      'theme: both follow it or list it in their profile; case: both follow the case or both posted in its thread (see `via`); event: both went; text: shared terms of profiles and posts',
  }),
  label: Type.String({ description: 'the theme name, case title, event title or shared terms, in words' }),
  via: Type.Optional(
    Type.Enum(['follow', 'discussion'] as const, {
      description: 'for a case: both follow it, or both posted in its thread',
    }),
  ),
});
export type MatchReason = Static<typeof MatchReason>;

export const MatchPerson = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  countryCode: Type.Union([CountryCode, Type.Null()]),
  headline: Type.String(),
  organisation: Type.String(),
});
export type MatchPerson = Static<typeof MatchPerson>;

export const IntroductionStatuses = ['pending', 'accepted', 'declined'] as const;
export type IntroductionStatus = (typeof IntroductionStatuses)[number];

export const Match = Type.Object({
  person: MatchPerson,
  score: Type.Number({ minimum: 0, description: 'higher is closer; only the order is meaningful' }),
  reasons: Type.Array(MatchReason),
  introduction: Type.Union([Type.Enum(IntroductionStatuses), Type.Null()], {
    description: 'the introduction between you already asked (either way), if any',
  }),
});
export type Match = Static<typeof Match>;

export const MatchQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  lang: Type.Optional(Type.Enum(['en', 'fr'] as const, { description: 'the language of the labels (theme names)' })),
});
export type MatchQuery = Static<typeof MatchQuery>;

export const MatchList = Type.Object({
  items: Type.Array(Match),
  openToIntroductions: Type.Boolean({ description: 'false: you did not opt in, so no match is offered' }),
  countryCode: Type.Union([CountryCode, Type.Null()], { description: 'yours: matches are in other countries' }),
});
export type MatchList = Static<typeof MatchList>;

export const INTRODUCTION_MESSAGE_MAX = 1000;

export const IntroductionBody = Type.Object(
  {
    handle: Handle,
    message: Type.String({ minLength: 1, maxLength: INTRODUCTION_MESSAGE_MAX }),
  },
  { additionalProperties: false },
);
export type IntroductionBody = Static<typeof IntroductionBody>;

export const Introduction = Type.Object({
  id: Type.String(),
  direction: Type.Enum(['sent', 'received'] as const, { description: 'from the caller’s side' }),
  person: MatchPerson,
  message: Type.String(),
  status: Type.Enum(IntroductionStatuses),
  createdAt: Timestamp,
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()], {
    description: 'the other member’s address, once the introduction is accepted',
  }),
});
export type Introduction = Static<typeof Introduction>;

export const IntroductionParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,18}$' }) });

export const IntroductionQuery = Type.Object({
  direction: Type.Optional(Type.Enum(['sent', 'received'] as const)),
  status: Type.Optional(Type.Enum(IntroductionStatuses)),
});
export type IntroductionQuery = Static<typeof IntroductionQuery>;

export const IntroductionList = Type.Object({
  items: Type.Array(Introduction),
  pendingSent: Type.Integer({ minimum: 0 }),
  pendingMax: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'how many requests may wait for an answer at once (null: no limit)',
  }),
});
export type IntroductionList = Static<typeof IntroductionList>;

// A reason in words: in introduction-text.ts, which has no schemas (the browser takes it without TypeBox).
export { reasonSentence } from './introduction-text.ts';

/** Suggestions for the post composer: members to @mention and cases to #link, as the person types. */
import { Type, type Static } from 'typebox';
import { Handle } from './accounts.ts';
import { Slug } from './common.ts';

/** The most suggestions one answer holds. */
export const SUGGESTIONS_MAX = 10;

const SuggestText = Type.String({
  minLength: 2,
  maxLength: 40,
  description: 'what was typed after `@` or `#`: at least 2 characters (spaces around it do not count)',
});
const SuggestLimit = Type.Integer({ minimum: 1, maximum: SUGGESTIONS_MAX, default: 8 });

export const PeopleSuggestQuery = Type.Object({
  q: SuggestText,
  case: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9-]{2,40}$',
      description: 'the thread being written in: its participants come first',
    }),
  ),
  limit: Type.Optional(SuggestLimit),
});
export type PeopleSuggestQuery = Static<typeof PeopleSuggestQuery>;

export const PersonSuggestion = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  participant: Type.Boolean({ description: 'has a post in the thread named by `case`' }),
});
export type PersonSuggestion = Static<typeof PersonSuggestion>;

export const PeopleSuggestions = Type.Object({ items: Type.Array(PersonSuggestion) });
export type PeopleSuggestions = Static<typeof PeopleSuggestions>;

export const CasesSuggestQuery = Type.Object({ q: SuggestText, limit: Type.Optional(SuggestLimit) });
export type CasesSuggestQuery = Static<typeof CasesSuggestQuery>;

export const CaseSuggestion = Type.Object({ slug: Slug, title: Type.String() });
export type CaseSuggestion = Static<typeof CaseSuggestion>;

export const CasesSuggestions = Type.Object({ items: Type.Array(CaseSuggestion) });
export type CasesSuggestions = Static<typeof CasesSuggestions>;

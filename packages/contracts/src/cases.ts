import { Type, type Static } from 'typebox';
import { ChosenSlug, CountryCode, Cursor, Language, Limit, Slug, Timestamp } from './common.ts';

export const LevelsOfGovernment = ['local', 'regional', 'national', 'international'] as const;
export type LevelOfGovernment = (typeof LevelsOfGovernment)[number];
export const Stages = ['idea', 'pilot', 'implementation', 'evaluation', 'diffusion'] as const;
export type Stage = (typeof Stages)[number];
export const CaseSorts = ['activity', 'newest', 'relevance', 'discussed'] as const;
export type CaseSort = (typeof CaseSorts)[number];

const Level = Type.Enum(LevelsOfGovernment);
const StageT = Type.Enum(Stages);

export const CaseSummary = Type.Object({
  slug: Slug,
  title: Type.String(),
  summary: Type.String(),
  countries: Type.Array(CountryCode, { description: 'ISO codes; names come from /api/v1/countries' }),
  themes: Type.Array(Slug, { description: 'theme slugs; names come from /api/v1/themes' }),
  year: Type.Integer(),
  organisation: Type.String(),
  levelOfGovernment: Level,
  stage: StageT,
  language: Language,
  textLanguage: Type.String({
    ...Language,
    description:
      'the language of title, summary (and body): `lang` when the case has a translation into it, else the case’s own `language`',
  }),
  postCount: Type.Integer({ minimum: 0 }),
  lastActivityAt: Timestamp,
});
export type CaseSummary = Static<typeof CaseSummary>;

export const CaseDetail = Type.Object({
  ...CaseSummary.properties,
  body: Type.String({ description: 'markdown source (plain paragraphs separated by blank lines read as such)' }),
  bodyHtml: Type.String({ description: "sanitised HTML rendered from body on the server (the posts' renderer)" }),
  sourceUrl: Type.Union([Type.String({ format: 'uri' }), Type.Null()]),
  followerCount: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
  sourceId: Type.Union([Type.String(), Type.Null()], { description: "the observatory's own id" }),
  version: Type.Integer({ minimum: 1, description: 'bumped by every edit; send it back with PATCH' }),
  proposer: Type.Union([Type.Object({ handle: Type.String(), displayName: Type.String() }), Type.Null()], {
    description: 'the member who proposed it (an approved proposal); null otherwise',
  }),
  bodyLanguage: Type.String({
    ...Language,
    description: 'the language of `body`: `textLanguage`, or the case’s own when its translation leaves the body out',
  }),
  translations: Type.Array(Language, {
    description: 'languages the case is translated into (read one with `?lang=`), sorted',
  }),
});
export type CaseDetail = Static<typeof CaseDetail>;

export const CaseListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  country: Type.Optional(CountryCode),
  theme: Type.Optional(Slug),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100 })),
  stage: Type.Optional(StageT),
  lang: Type.Optional(
    Type.String({
      ...Language,
      description: 'the reader’s language: cases translated into it show the translation (see `textLanguage`)',
    }),
  ),
  sort: Type.Optional(
    Type.Enum(CaseSorts, {
      description: 'default: relevance with q, else activity; discussed: the most posts first',
    }),
  ),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
});
export type CaseListQuery = Static<typeof CaseListQuery>;

/** `GET /api/v1/cases/:slug?lang=`. */
export const CaseReadQuery = Type.Pick(CaseListQuery, ['lang']);
export type CaseReadQuery = Static<typeof CaseReadQuery>;

export const CaseList = Type.Object({
  items: Type.Array(CaseSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer({ minimum: 0, description: 'number of cases matching the filters' }),
});
export type CaseList = Static<typeof CaseList>;

const Count = Type.Integer({ minimum: 0 });
export const CaseFacets = Type.Object(
  {
    countries: Type.Array(Type.Object({ code: CountryCode, count: Count })),
    themes: Type.Array(Type.Object({ slug: Slug, count: Count })),
    years: Type.Array(Type.Object({ year: Type.Integer(), count: Count })),
    stages: Type.Array(Type.Object({ stage: StageT, count: Count })),
  },
  { description: 'matching cases per facet value; each facet ignores its own filter' },
);
export type CaseFacets = Static<typeof CaseFacets>;

export const NewCase = Type.Object({
  slug: Type.Optional(ChosenSlug),
  title: Type.String({ minLength: 3, maxLength: 200 }),
  summary: Type.String({ minLength: 10, maxLength: 2000 }),
  body: Type.Optional(Type.String({ maxLength: 50000 })),
  countries: Type.Array(CountryCode, { minItems: 1, maxItems: 30, uniqueItems: true }),
  themes: Type.Array(Slug, { minItems: 1, maxItems: 10, uniqueItems: true }),
  year: Type.Integer({ minimum: 1900, maximum: 2100 }),
  organisation: Type.String({ minLength: 2, maxLength: 200 }),
  levelOfGovernment: Level,
  stage: StageT,
  sourceUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
  language: Type.Optional(Language),
  sourceId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: "the observatory's own id (unique)" }),
  ),
});
export type NewCase = Static<typeof NewCase>;

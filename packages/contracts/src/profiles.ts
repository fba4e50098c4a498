import { Type, type Static } from 'typebox';
import { CountryCode, Cursor, Limit, Slug, Timestamp } from './common.ts';
import { DisplayName, Handle, User } from './accounts.ts';
import { Languages } from './notification-text.ts';

export const Link = Type.String({ maxLength: 500, pattern: '^https?://', format: 'uri' });

export const Profile = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  headline: Type.String(),
  organisation: Type.String(),
  countryCode: Type.Union([CountryCode, Type.Null()]),
  bio: Type.String({ description: 'markdown' }),
  bioHtml: Type.String({ description: 'sanitised HTML rendered from bio' }),
  themes: Type.Array(Slug),
  links: Type.Array(Type.String()),
  joinedAt: Timestamp,
  followerCount: Type.Integer({ minimum: 0 }),
  role: Type.String(),
  openToIntroductions: Type.Boolean({
    description: 'the member may be offered as a match to members in other countries and asked for an introduction',
  }),
});
export type Profile = Static<typeof Profile>;

export const PersonCard = Type.Object({
  handle: Handle,
  displayName: Type.String(),
  headline: Type.String(),
  organisation: Type.String(),
  countryCode: Type.Union([CountryCode, Type.Null()]),
  themes: Type.Array(Slug),
  joinedAt: Timestamp,
});
export type PersonCard = Static<typeof PersonCard>;

export const PeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  country: Type.Optional(CountryCode),
  theme: Type.Optional(Slug),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Limit),
});
export type PeopleQuery = Static<typeof PeopleQuery>;

export const PeopleList = Type.Object({
  items: Type.Array(PersonCard),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer({ minimum: 0 }),
});
export type PeopleList = Static<typeof PeopleList>;

export const ProfilePatch = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    headline: Type.Optional(Type.String({ maxLength: 140 })),
    organisation: Type.Optional(Type.String({ maxLength: 140 })),
    countryCode: Type.Optional(Type.Union([CountryCode, Type.Null()])),
    bio: Type.Optional(Type.String({ maxLength: 5000 })),
    themes: Type.Optional(Type.Array(Slug, { maxItems: 10, uniqueItems: true })),
    links: Type.Optional(Type.Array(Link, { maxItems: 5 })),
    openToIntroductions: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProfilePatch = Static<typeof ProfilePatch>;

/** The member's language: every email and notification to them is in it, with links to pages in it. */
export const MemberLanguage = Type.Enum(Languages, {
  description: 'the language of the emails and notifications sent to the member (chosen at sign-up from the page)',
});

export const Me = Type.Object({
  user: User,
  profile: Profile,
  email: Type.String(),
  emailVerified: Type.Boolean({
    description: 'false until the address is confirmed: no notification email goes to it',
  }),
  language: MemberLanguage,
});
export type Me = Static<typeof Me>;

export const LanguageChoice = Type.Object({ language: MemberLanguage }, { additionalProperties: false });
export type LanguageChoice = Static<typeof LanguageChoice>;

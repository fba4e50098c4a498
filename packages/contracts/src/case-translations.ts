import { Type, type Static } from 'typebox';
import { Language, Slug, Timestamp } from './common.ts';

/** `PUT /api/v1/cases/:slug/translations/:language`: the case's text in another language. */
export const CaseTranslationInput = Type.Object(
  {
    title: Type.String({ minLength: 3, maxLength: 200 }),
    summary: Type.String({ minLength: 10, maxLength: 2000 }),
    body: Type.Optional(
      Type.String({ maxLength: 50000, description: 'empty or absent: the case’s body is not translated' }),
    ),
  },
  { additionalProperties: false },
);
export type CaseTranslationInput = Static<typeof CaseTranslationInput>;

export const CaseTranslationParams = Type.Object({ slug: Slug, language: Language });
export type CaseTranslationParams = Static<typeof CaseTranslationParams>;

export const CaseTranslation = Type.Object({
  caseSlug: Slug,
  language: Language,
  title: Type.String(),
  summary: Type.String(),
  body: Type.String(),
  updatedAt: Timestamp,
});
export type CaseTranslation = Static<typeof CaseTranslation>;

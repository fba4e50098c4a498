import { Type, type Static } from 'typebox';
import { CountryCode, Slug } from './common.ts';

export const Country = Type.Object({
  code: CountryCode,
  name: Type.String({ description: 'English short name' }),
  nameFr: Type.String({ description: 'French short name' }),
});
export type Country = Static<typeof Country>;

export const Theme = Type.Object({
  slug: Slug,
  name: Type.String(),
  description: Type.String(),
  nameFr: Type.String(),
  descriptionFr: Type.String(),
});
export type Theme = Static<typeof Theme>;

export const Health = Type.Object({ status: Type.Literal('ok') });
export const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
});

/**
 * The API's rules for what people type, read from the schemas in @opsi/contracts (the ones the
 * API validates with), so a form checks before asking exactly what the API will check: one place
 * for each rule. TypeBox schemas are plain JSON Schema objects; their types do not name the
 * keywords, so `limitOf` and `patternOf` read them and fail at once if a schema lost one.
 */
import { DisplayName, Email, Handle } from '@opsi/contracts/accounts';
import { CountryCode, Cursor, Slug } from '@opsi/contracts/common';
import { Link, ProfilePatch } from '@opsi/contracts/profiles';

type Limit = 'maxLength' | 'maxItems' | 'maximum';

/** A keyword of a schema, or of the first member of a union that has it (`X | null`). */
function keyword(schema: unknown, name: string): unknown {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const record = schema as Record<string, unknown>;
  if (name in record) return record[name];
  if (!Array.isArray(record.anyOf)) return undefined;
  for (const member of record.anyOf) {
    const value = keyword(member, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A schema's limit (`maxLength`, `maxItems` or `maximum`). */
export function limitOf(schema: object, name: Limit): number {
  const value = keyword(schema, name);
  if (typeof value !== 'number') throw new Error(`The schema declares no ${name}`);
  return value;
}

/** A schema's `pattern`, as a regular expression. */
export function patternOf(schema: object): RegExp {
  const value = keyword(schema, 'pattern');
  if (typeof value !== 'string') throw new Error('The schema declares no pattern');
  return new RegExp(value);
}

/** Characters as people (and JSON Schema's maxLength) count them: an emoji is one. */
export function characters(value: string): number {
  return [...value].length;
}

/** Case, theme and event addresses. */
export const SLUG = patternOf(Slug);
export const HANDLE = patternOf(Handle);
/** ISO 3166-1 alpha-2, upper case. */
export const COUNTRY = patternOf(CountryCode);
/** The longest `nextCursor` the API takes back. */
export const CURSOR_MAX = limitOf(Cursor, 'maxLength');
export const EMAIL = patternOf(Email);
export const EMAIL_MAX = limitOf(Email, 'maxLength');
export const NAME_MAX = limitOf(DisplayName, 'maxLength');

const profile = ProfilePatch.properties;
/** What a profile holds (PATCH /api/v1/me/profile). */
export const PROFILE_LIMITS = {
  displayName: limitOf(profile.displayName, 'maxLength'),
  headline: limitOf(profile.headline, 'maxLength'),
  organisation: limitOf(profile.organisation, 'maxLength'),
  bio: limitOf(profile.bio, 'maxLength'),
  themes: limitOf(profile.themes, 'maxItems'),
  links: limitOf(profile.links, 'maxItems'),
} as const;

/** A web address as people type it: "meet.example.org/x" means https://meet.example.org/x. */
export function normaliseLink(value: string): string {
  if (!value || /^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  return `https://${value.replace(/^\/+/, '')}`;
}

/**
 * A web address the API accepts (a profile's links, an event's online address: `Link` in the
 * contracts): http or https, a host with a dot, no spaces, at most `max` characters.
 */
export function isWebLink(value: string, max = limitOf(Link, 'maxLength')): boolean {
  if (characters(value) > max || /\s/.test(value) || !patternOf(Link).test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/**
 * The one slugifier (addresses of cases and events, a handle suggested from a name): letters
 * stripped of their accents, lower case, every run of anything else one hyphen, no hyphen at
 * either end, at most 40 characters. Callers decide what too short a slug becomes.
 */

/** The longest slug made. */
export const SLUG_MAX = 40;

/** "Pol.is in Canada — été 2022" → "pol-is-in-canada-ete-2022" ('' when nothing is left). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/(?<!-)-+$/, '');
}

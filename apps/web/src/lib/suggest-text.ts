/**
 * The composer's `@` and `#` suggestions, as text: what is being typed at the caret, and the text
 * once a suggestion is chosen. The rules follow the API's markdown renderer (platform/markdown.ts):
 * `@handle` and `#slug` count only at the start of the text or after a character that is not part
 * of a word or an address, so `ana@example.org` or `page#part` never open suggestions.
 */
export type Trigger = '@' | '#';

export interface Typing {
  trigger: Trigger;
  /** Where the `@` or `#` is. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

/** The shortest and longest query suggestions are asked for. */
export const QUERY_MIN = 2;
export const QUERY_MAX = 40;

/** What may precede a trigger: start of text, or a character that is not a word's, an address's or an entity's. */
const BEFORE = /[\p{L}\p{N}_@/.#&-]/u;
/** What a query is made of: letters (any language, names have accents), digits and dashes. */
const QUERY_CHAR = /[\p{L}\p{N}-]/u;

/** The `@…` or `#…` being typed right before `caret`, with at least QUERY_MIN characters after it, or null. */
export function typingAt(text: string, caret: number): Typing | null {
  let start = caret;
  while (start > 0 && caret - start <= QUERY_MAX && QUERY_CHAR.test(text[start - 1]!)) start -= 1;
  const trigger = text[start - 1];
  if (trigger !== '@' && trigger !== '#') return null;
  const query = text.slice(start, caret);
  if (query.length < QUERY_MIN || query.length > QUERY_MAX) return null;
  const before = text[start - 2];
  if (before !== undefined && BEFORE.test(before)) return null;
  return { trigger, start: start - 1, query };
}

/**
 * The text with the query at the caret replaced by the chosen handle or slug and a space (kept
 * if one follows already), and where the caret goes: after it.
 */
export function insertChoice(
  text: string,
  typing: Typing,
  caret: number,
  value: string,
): { text: string; caret: number } {
  const after = text.slice(caret);
  const inserted = `${typing.trigger}${value}${after.startsWith(' ') ? '' : ' '}`;
  return {
    text: `${text.slice(0, typing.start)}${inserted}${after}`,
    caret: typing.start + inserted.length + (after.startsWith(' ') ? 1 : 0),
  };
}

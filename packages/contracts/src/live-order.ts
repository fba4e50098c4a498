/**
 * The order of a live Q&A and which of two states of an item is newer: the same on the server and
 * on every screen. No schemas here, so the browser's bundle takes these without TypeBox
 * (apps/web/vite-contracts.ts); live.ts re-exports them.
 */
import type { QuestionSort } from './live.ts';

/** Ids are int8 as decimal text: compared as numbers. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The order of a Q&A, the same on the server and on every screen: `top` by votes (most first, the
 * earlier asked first on a tie), `new` the latest first.
 */
export function compareQuestions(sort: QuestionSort) {
  return (a: { id: string; votes: number }, b: { id: string; votes: number }): number =>
    sort === 'new' ? compareIds(b.id, a.id) : b.votes - a.votes || compareIds(a.id, b.id);
}

/** Keeps the newer of two states of one item (by `version`). */
export function newer<T extends { version: number }>(known: T | undefined, heard: T): boolean {
  return !known || heard.version > known.version;
}

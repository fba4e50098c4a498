/**
 * Reasons for an introduction in words. No schemas here, so the browser's bundle takes this
 * without TypeBox (apps/web/vite-contracts.ts); introductions.ts re-exports it.
 */
import type { MatchReason } from './introductions.ts';

/**
 * A reason in words, in English or French: the matches page and the email introducing two
 * members say it from here ("Both follow Digital government").
 */
export function reasonSentence(language: 'en' | 'fr', reason: MatchReason): string {
  const { kind, label, via } = reason;
  if (language === 'fr') {
    if (kind === 'theme') return `Vous suivez tous deux «\u00a0${label}\u00a0»`;
    if (kind === 'case' && via === 'discussion') return `Vous avez tous deux discuté de «\u00a0${label}\u00a0»`;
    if (kind === 'case') return `Vous suivez tous deux le cas «\u00a0${label}\u00a0»`;
    if (kind === 'event') return `Vous avez tous deux participé à «\u00a0${label}\u00a0»`;
    return `Profils proches\u00a0: ${label}`;
  }
  if (kind === 'theme') return `Both follow “${label}”`;
  if (kind === 'case' && via === 'discussion') return `You both discussed “${label}”`;
  if (kind === 'case') return `Both follow the case “${label}”`;
  if (kind === 'event') return `Both attended “${label}”`;
  return `Similar profile: ${label}`;
}

/** Avatars without pictures: initials on one of a few colours, always the same for a handle. */

/** How many colour pairs tokens.css defines (`--avatar-bg-1` … `--avatar-bg-8`). */
export const AVATAR_TONES = 8;

/** Up to two initials: the first letters of the first and last words of the name (the handle's otherwise). */
export function initialsOf(name: string, handle: string): string {
  const words = name
    .split(/[\s\-‐–—_.,]+/u)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter(Boolean);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letters = [first, last].map((word) => (word ? ([...word][0] ?? '') : '')).join('');
  return (letters || handle.slice(0, 2)).toLocaleUpperCase();
}

/** A colour number from 1 to AVATAR_TONES, derived from the handle (FNV-1a). */
export function toneOf(handle: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < handle.length; i += 1) {
    hash ^= handle.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % AVATAR_TONES) + 1;
}

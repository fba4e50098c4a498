/** The words of a member's level for a case thread (watching, normal, muted): its name, what it means, what a change did. */
import type { WatchLevel } from '@opsi/contracts/member-tools';
import { m } from '#lib/paraglide/messages.js';

export function levelName(level: WatchLevel): string {
  return { watching: m.case_level_watching, normal: m.case_level_normal, muted: m.case_level_muted }[level]();
}

export function levelHint(level: WatchLevel): string {
  return {
    watching: m.case_level_watching_hint,
    normal: m.case_level_normal_hint,
    muted: m.case_level_muted_hint,
  }[level]();
}

export function levelDone(level: WatchLevel): string {
  return {
    watching: m.case_level_done_watching,
    normal: m.case_level_done_normal,
    muted: m.case_level_done_muted,
  }[level]();
}

import { afterEach, describe, expect, it } from 'vitest';
import { Roles } from '@opsi/contracts/accounts';
import { LogTargetTypes, ModerationActions, ReportReasons } from '@opsi/contracts/moderation';
import { baseLocale, overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { actionLabel, reasonLabel, roleLabel, targetLabel } from './moderation-labels.ts';

afterEach(() => overwriteGetLocale(() => baseLocale));

/** Each value's label in `locale`: all present and all different. */
function wordsIn<T extends string>(locale: 'en' | 'fr', values: readonly T[], label: (value: T) => string): string[] {
  overwriteGetLocale(() => locale);
  const words = values.map(label);
  for (const [index, word] of words.entries()) expect(word, `${values[index]} in ${locale}`).toMatch(/\p{L}/u);
  expect(new Set(words).size).toBe(values.length);
  return words;
}

describe('moderation labels', () => {
  it('words every report reason of the contracts, in English and in French', () => {
    const english = wordsIn('en', ReportReasons, reasonLabel);
    expect(english).toContain('Spam or advertising');
    expect(wordsIn('fr', ReportReasons, reasonLabel)).toContain('Spam ou publicité');
  });

  it('words every moderation action of the contracts, in English and in French', () => {
    const english = wordsIn('en', ModerationActions, actionLabel);
    const french = wordsIn('fr', ModerationActions, actionLabel);
    expect(english).not.toContain('lift_suspension');
    expect(french[ModerationActions.indexOf('hide')]).toBe('Message masqué');
  });

  it('words every role and every target of the audit log, in English and in French', () => {
    expect(wordsIn('en', Roles, roleLabel)).toContain('Moderator');
    expect(wordsIn('fr', Roles, roleLabel)).toContain('Modérateur');
    wordsIn('en', LogTargetTypes, targetLabel);
    wordsIn('fr', LogTargetTypes, targetLabel);
  });
});

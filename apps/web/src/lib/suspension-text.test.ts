import { afterEach, describe, expect, it } from 'vitest';
import { baseLocale, overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { suspensionText } from './suspension-text.ts';

afterEach(() => overwriteGetLocale(() => baseLocale));

const suspended = (params: Record<string, unknown>) => [
  { field: 'email', message: 'This account is suspended.', code: 'account_suspended', params },
];

describe('suspensionText', () => {
  it('gives the end date in the reader’s language and the reason', () => {
    overwriteGetLocale(() => 'fr');
    expect(suspensionText(suspended({ until: '2026-12-12T14:03:00.000Z', reason: 'Spam' }), 'fr-FR')).toBe(
      'Votre compte est suspendu jusqu’au 12 décembre 2026 à 14:03 UTC. Motif indiqué : Spam',
    );
    overwriteGetLocale(() => 'en');
    expect(suspensionText(suspended({ until: '2026-12-12T14:03:00.000Z', reason: 'Spam' }), 'en-GB')).toBe(
      'Your account is suspended until 12 December 2026 at 14:03 UTC. Reason given: Spam',
    );
  });

  it('says when a suspension lasts until lifted, and nothing for other problems', () => {
    overwriteGetLocale(() => 'en');
    expect(suspensionText(suspended({ reason: 'Threats' }), 'en-GB')).toBe(
      'Your account is suspended until a moderator lifts the suspension. Reason given: Threats',
    );
    expect(suspensionText([{ field: 'email', message: 'x', code: 'required' }], 'en-GB')).toBeNull();
  });
});

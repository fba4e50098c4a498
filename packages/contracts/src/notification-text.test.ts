import { describe, expect, it } from 'vitest';
import { NotificationKinds } from './follows.ts';
import { Languages, notificationSentence, SENTENCES } from './notification-text.ts';

describe('notification sentences', () => {
  it('every notification kind has its sentence in every language, each saying the title or the count', () => {
    expect(Object.keys(SENTENCES).sort()).toEqual([...NotificationKinds].sort());
    for (const kind of NotificationKinds) {
      for (const language of Languages) {
        for (const count of [1, 3]) {
          const said = notificationSentence(language, { kind, count, who: 'Ada', title: 'Tallinn', excerpt: 'why' });
          expect(said, `${kind} ${language}`).toMatch(/\S/);
          expect(`${said}`, `${kind} ${language} ${count}`).toMatch(/Tallinn|Ada|3|why/);
        }
      }
      const en = notificationSentence('en', { kind, count: 1, who: 'Ada', title: 'T' });
      const fr = notificationSentence('fr', { kind, count: 1, who: 'Ada', title: 'T' });
      expect(fr, `${kind}: the French differs from the English`).not.toBe(en);
    }
  });

  it('groups, names someone when nobody is named, and speaks French in French', () => {
    expect(notificationSentence('en', { kind: 'reply', count: 3, who: 'Ada', title: 'Open data' })).toBe(
      '3 new replies to your post in “Open data”',
    );
    expect(notificationSentence('fr', { kind: 'mention', count: 1, who: null, title: 'Données' })).toBe(
      'Quelqu’un vous a mentionné·e dans « Données »',
    );
    expect(notificationSentence('fr', { kind: 'new_cases', count: 1, title: 'France' })).toBe(
      '1 nouveau cas dans « France »',
    );
  });
});

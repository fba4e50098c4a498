import { describe, expect, it } from 'vitest';
import { appendOnce, appendPage, isPlainClick, NOTHING_APPENDED, shownPage, type Page } from './paging.ts';

const click = { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false };
const id = (item: string) => item;
const page = (items: string[], nextCursor: string | null): Page<string> => ({ items, nextCursor });

describe('isPlainClick', () => {
  it('takes a plain click of the main button', () => {
    expect(isPlainClick(click)).toBe(true);
  });

  it('leaves new tabs, new windows and other buttons to the browser', () => {
    expect(isPlainClick({ ...click, button: 1 })).toBe(false);
    expect(isPlainClick({ ...click, metaKey: true })).toBe(false);
    expect(isPlainClick({ ...click, ctrlKey: true })).toBe(false);
    expect(isPlainClick({ ...click, shiftKey: true })).toBe(false);
    expect(isPlainClick({ ...click, altKey: true })).toBe(false);
  });
});

describe('appendOnce', () => {
  const caseHit = (slug: string) => ({ type: 'case' as const, slug });
  const postHit = (id: string) => ({ type: 'post' as const, id });
  const hitKey = (hit: ReturnType<typeof caseHit> | ReturnType<typeof postHit>) =>
    hit.type === 'case' ? `case:${hit.slug}` : `post:${hit.id}`;

  it('adds the next page after the items shown, once each', () => {
    const shown = [caseHit('a-case'), postHit('7')];
    const next = [postHit('7'), postHit('3'), caseHit('b-case'), caseHit('a-case'), postHit('3')];
    expect(appendOnce(shown, next, hitKey)).toEqual([caseHit('a-case'), postHit('7'), postHit('3'), caseHit('b-case')]);
  });

  it('leaves the list shown as it was', () => {
    const shown = ['a'];
    appendOnce(shown, ['b'], id);
    expect(shown).toEqual(['a']);
  });
});

describe('shownPage and appendPage', () => {
  const first = page(['a', 'b'], 'c1');

  it('shows the server page alone until a page is appended', () => {
    expect(shownPage(first, NOTHING_APPENDED, 'q', id)).toEqual(first);
  });

  it('shows the appended pages after it, with the last cursor, even when it is the end', () => {
    let appended = appendPage(NOTHING_APPENDED, 'q', page(['c', 'd'], 'c2'));
    expect(shownPage(first, appended, 'q', id)).toEqual(page(['a', 'b', 'c', 'd'], 'c2'));
    appended = appendPage(appended, 'q', page(['d', 'e'], null));
    expect(shownPage(first, appended, 'q', id)).toEqual(page(['a', 'b', 'c', 'd', 'e'], null));
  });

  it('drops the pages appended for another query', () => {
    const appended = appendPage(NOTHING_APPENDED, 'old', page(['c'], 'c2'));
    expect(shownPage(first, appended, 'new', id)).toEqual(first);
    expect(appendPage(appended, 'new', page(['x'], null))).toEqual({ query: 'new', pages: [page(['x'], null)] });
  });

  it('compares queries by identity, so a reloaded page counts as a new query', () => {
    const loaded = { items: ['a'] };
    const appended = appendPage(NOTHING_APPENDED, loaded, page(['b'], null));
    expect(shownPage(first, appended, loaded, id).items).toEqual(['a', 'b']);
    expect(shownPage(first, appended, { items: ['a'] }, id)).toEqual(first);
  });

  it('shows an item the server page repeats once (a live arrival that is also on the page)', () => {
    expect(shownPage(page(['n', 'a', 'n'], null), NOTHING_APPENDED, 'q', id).items).toEqual(['n', 'a']);
  });
});

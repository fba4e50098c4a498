import { describe, expect, it } from 'vitest';
import { decodeDraft, draftAnchor, encodeDraft } from './pending-draft.ts';

describe('a pending draft', () => {
  it('comes back for its own thread only, as it was written', () => {
    const draft = { slug: 'open-data-2022', parentId: '42', body: 'Merci ! « Ça marche » — 100% & <b>' };
    const value = encodeDraft(draft)!;
    expect(decodeDraft(value, 'open-data-2022')).toEqual(draft);
    expect(decodeDraft(value, 'another-case')).toBeNull();
    expect(decodeDraft(encodeDraft({ ...draft, parentId: '' })!, draft.slug)).toEqual({ ...draft, parentId: '' });
  });

  it('is not kept when too long for a cookie, and nothing odd is read back as one', () => {
    expect(encodeDraft({ slug: 'x-y', parentId: '', body: 'é'.repeat(2000) })).toBeNull();
    for (const odd of [undefined, '', '%E0%A4%A', 'not json', encodeURIComponent('{"a":1}')]) {
      expect(decodeDraft(odd, 'x-y')).toBeNull();
    }
    expect(decodeDraft(encodeURIComponent(JSON.stringify(['x-y', 'abc', 'text'])), 'x-y')).toBeNull();
    expect(decodeDraft(encodeURIComponent(JSON.stringify(['x-y', '', '   '])), 'x-y')).toBeNull();
  });

  it('is put back where it was written: a reply opens its form', () => {
    expect(draftAnchor('/fr/cases/x-y', { parentId: '7' })).toBe('/fr/cases/x-y?reply=7#reply-7-body');
    expect(draftAnchor('/cases/x-y', { parentId: '' })).toBe('/cases/x-y#new-post');
  });
});

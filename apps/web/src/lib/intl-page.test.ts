/**
 * The browser's side of formatOnce: hydrating a page, the texts the server left in it are used
 * instead of formatting again; anything else is formatted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

async function intlWithPage(text: string | null) {
  vi.stubGlobal('document', {
    getElementById: (id: string) => (id === 'opsi-formats' && text !== null ? { textContent: text } : null),
  });
  return import('./intl.ts');
}

describe('formatOnce in the browser', () => {
  it('takes the server’s text for a key the page carries, and formats the others', async () => {
    const { formatOnce } = await intlWithPage(JSON.stringify({ 'date\u0001en-GB\u00012026-03-03': '3 March 2026' }));
    expect(formatOnce('date\u0001en-GB\u00012026-03-03', () => 'formatted again')).toBe('3 March 2026');
    expect(formatOnce('other', () => 'formatted')).toBe('formatted');
  });

  it('formats everything when the page carries nothing, or something unreadable', async () => {
    expect((await intlWithPage(null)).formatOnce('k', () => 'formatted')).toBe('formatted');
    vi.resetModules();
    expect((await intlWithPage('{not json')).formatOnce('k', () => 'formatted')).toBe('formatted');
  });
});

import { describe, expect, it } from 'vitest';
import { lowPriorityModulePreloads } from './preload.ts';

describe('lowPriorityModulePreloads', () => {
  it('marks every module preload as low priority', () => {
    const head =
      '<link href="./_app/immutable/entry/start.D8QjG8pb.js" rel="modulepreload">\n\t\t' +
      '<link href="./_app/immutable/chunks/CYOWuvMZ.js" rel="modulepreload">';
    expect(lowPriorityModulePreloads(head)).toBe(
      '<link href="./_app/immutable/entry/start.D8QjG8pb.js" rel="modulepreload" fetchpriority="low">\n\t\t' +
        '<link href="./_app/immutable/chunks/CYOWuvMZ.js" rel="modulepreload" fetchpriority="low">',
    );
  });

  it('leaves everything else as it is', () => {
    const html =
      '<link href="./_app/immutable/assets/0.css" rel="stylesheet">' +
      '<link rel="alternate" hreflang="fr" href="https://x.example/fr">' +
      '<p>rel="modulepreload"</p>';
    expect(lowPriorityModulePreloads(html)).toBe(html);
  });
});

import { describe, expect, it } from 'vitest';
import { lowPriorityPreloads, stylesFirst } from './styles-first.ts';

const HEAD = `<head>
    <meta charset="utf-8" />
    <script nonce="abc">document.documentElement.classList.add('js');</script>
    <link href="./_app/immutable/entry/start.CcwowUgs.js" rel="modulepreload">
		<link href="./_app/immutable/chunks/DclECHGd.js" rel="modulepreload">
		<link rel="alternate" hreflang="fr" href="http://localhost/fr/cases"/>
<title>Cases</title>
		<link href="./_app/immutable/assets/0.B4qYhKVW.css" rel="stylesheet">
		<link href="./_app/immutable/assets/15.BQ4TTqUV.css" rel="stylesheet">
  </head>
  <body><p>A stylesheet in the body stays: <link href="x.css" rel="stylesheet"></p></body>`;

describe('stylesFirst', () => {
  it('puts the head’s stylesheets where its first modulepreload was, in their order', () => {
    const page = stylesFirst(HEAD);
    const order = [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      './_app/immutable/assets/0.B4qYhKVW.css',
      './_app/immutable/assets/15.BQ4TTqUV.css',
      './_app/immutable/entry/start.CcwowUgs.js',
      './_app/immutable/chunks/DclECHGd.js',
      'http://localhost/fr/cases',
      'x.css',
    ]);
    expect(page.indexOf("classList.add('js')")).toBeLessThan(page.indexOf('.css'));
    expect(page).toContain('<title>Cases</title>');
    expect(page.match(/rel="stylesheet"/g)).toHaveLength(3);
  });

  it('changes nothing without modulepreloads or stylesheets in the head', () => {
    const noPreload = HEAD.replace(/rel="modulepreload"/g, 'rel="preload"');
    expect(stylesFirst(noPreload)).toBe(noPreload);
    const noSheets = HEAD.replace(/rel="stylesheet"/g, 'rel="preload"');
    expect(stylesFirst(noSheets)).toBe(noSheets);
  });
});

describe('lowPriorityPreloads', () => {
  // Text and a tag in the body that look like a preload stay as they were written.
  const body = '<p>&lt;link href="a.js" rel="modulepreload"&gt; <link href="b.js" rel="modulepreload"></p>';
  const html = HEAD.replace('</body>', `${body}</body>`);

  it('asks for every modulepreload in the head at low priority, and changes nothing else', () => {
    const page = lowPriorityPreloads(html);
    expect(page.match(/rel="modulepreload" fetchpriority="low">/g)).toHaveLength(2);
    expect(page).toContain(
      '<link href="./_app/immutable/entry/start.CcwowUgs.js" rel="modulepreload" fetchpriority="low">',
    );
    expect(page).toContain('<link href="./_app/immutable/chunks/DclECHGd.js" rel="modulepreload" fetchpriority="low">');
    expect(page).toContain(body);
    expect(page.replace(/ fetchpriority="low"/g, '')).toBe(html);
  });

  it('leaves a chunk without a head alone', () => {
    const chunk = '<div><link href="b.js" rel="modulepreload"></div>';
    expect(lowPriorityPreloads(chunk)).toBe(chunk);
  });
});

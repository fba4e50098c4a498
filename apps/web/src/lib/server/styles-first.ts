/**
 * Stylesheets are asked for before the page's scripts. SvelteKit writes its modulepreload links
 * first, then the page's `<svelte:head>`, then the stylesheets: with six connections per origin,
 * the stylesheets the first paint waits for queued behind ~50 scripts. They move up to the first
 * modulepreload's place; nothing else in the head changes order.
 */
const STYLESHEET = /^<link href="[^"]+" rel="stylesheet">$/;
const PRELOAD = /^<link href="[^"]+" rel="modulepreload">$/;

export function stylesFirst(html: string): string {
  const end = html.indexOf('</head>');
  if (end < 0) return html;
  const lines = html.slice(0, end).split('\n');
  const first = lines.findIndex((line) => PRELOAD.test(line.trim()));
  const sheets = lines.filter((line, i) => i > first && STYLESHEET.test(line.trim()));
  if (first < 0 || sheets.length === 0) return html;
  const rest = lines.filter((line, i) => i < first || !STYLESHEET.test(line.trim()));
  rest.splice(first, 0, ...sheets);
  return `${rest.join('\n')}${html.slice(end)}`;
}

/**
 * The page's scripts only enhance it (every page is whole as the server sends it), so their
 * preloads get `fetchpriority="low"`: on a slow connection the document, its stylesheets and its
 * images come first. The preloads still start at once and in parallel (no import waterfall).
 * Lighthouse's simulation also counts a high-priority script that arrived before the observed
 * first paint as blocking it, so on a fast machine its first-paint estimate grew with the number
 * of modulepreloads that happened to finish early (1.5 to 2.7 s for the same case page).
 * Only the head's exact modulepreload tags change; text elsewhere that looks like one stays.
 */
const HEAD_PRELOAD = /<link href="([^"]+)" rel="modulepreload">/g;

export function lowPriorityPreloads(html: string): string {
  const end = html.indexOf('</head>');
  if (end < 0) return html;
  const head = html.slice(0, end).replace(HEAD_PRELOAD, '<link href="$1" rel="modulepreload" fetchpriority="low">');
  return `${head}${html.slice(end)}`;
}

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

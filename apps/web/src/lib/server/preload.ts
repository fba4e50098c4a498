/**
 * The page's scripts only enhance it (every page is complete as the server sends it), so their
 * preloads should not compete with the page itself on a slow connection: SvelteKit's
 * `<link rel="modulepreload">` tags get `fetchpriority="low"`. They still start at once, in
 * parallel and without the import waterfall; the browser just serves the document, its styles and
 * images first.
 */
const MODULE_PRELOAD = /<link href="([^"]+)" rel="modulepreload">/g;

export function lowPriorityModulePreloads(html: string): string {
  return html.replace(MODULE_PRELOAD, '<link href="$1" rel="modulepreload" fetchpriority="low">');
}

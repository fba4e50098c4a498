import { replaceState } from '$app/navigation';
import { page } from '$app/state';
import type { ResolvedPathname } from '$app/types';

/** The page's own address (already resolved: base and language) without the form-opening parameters. */
function withoutFormParams(href: string): ResolvedPathname {
  const url = new URL(href);
  url.searchParams.delete('edit');
  url.searchParams.delete('reply');
  return `${url.pathname}${url.search}${url.hash}` as ResolvedPathname;
}

/**
 * Without JavaScript, Reply and Edit are links to `?reply=<id>` / `?edit=<id>`, which open that
 * form on the server-rendered page. Once the form closes in the browser (saved, posted or
 * cancelled), the address must forget it, or a reload would open the editor again.
 */
export function forgetFormParams(): void {
  if (!page.url.searchParams.has('edit') && !page.url.searchParams.has('reply')) return;
  void replaceState(withoutFormParams(page.url.href), page.state);
}

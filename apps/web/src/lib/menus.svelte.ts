/**
 * The header's `<details>` menus (the account menu, the phone menu). The element holds whether a
 * menu is open: no state of ours is written back to it at hydration, so a menu opened before the
 * page's script ran stays open.
 */
import { page } from '$app/state';

export function closeMenu(menu: HTMLDetailsElement | undefined): void {
  if (menu?.open) menu.open = false;
}

/**
 * A new page closes the menu; not the first page, where it may have been opened before the script
 * ran. Call while the component initialises.
 */
export function closeOnNewPage(menu: () => HTMLDetailsElement | undefined): void {
  let shown = page.url.pathname;
  $effect(() => {
    const pathname = page.url.pathname;
    if (pathname === shown) return;
    shown = pathname;
    closeMenu(menu());
  });
}

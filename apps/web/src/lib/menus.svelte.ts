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

/**
 * Escape closes the menu and gives the focus back to its button; tabbing out of it or clicking
 * elsewhere closes it (focus never lands on the page under an open menu). Call while the
 * component initialises.
 */
export function closeOnLeaving(menu: () => HTMLDetailsElement | undefined): void {
  $effect(() => {
    const element = menu();
    if (!element) return;
    const onkeydown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !element.open) return;
      closeMenu(element);
      element.querySelector('summary')?.focus();
    };
    const onfocusout = (event: FocusEvent) => {
      const next = event.relatedTarget;
      if (next instanceof Node && !element.contains(next)) closeMenu(element);
    };
    const onclick = (event: MouseEvent) => {
      if (event.target instanceof Node && !element.contains(event.target)) closeMenu(element);
    };
    element.addEventListener('keydown', onkeydown);
    element.addEventListener('focusout', onfocusout);
    window.addEventListener('click', onclick);
    return () => {
      element.removeEventListener('keydown', onkeydown);
      element.removeEventListener('focusout', onfocusout);
      window.removeEventListener('click', onclick);
    };
  });
}

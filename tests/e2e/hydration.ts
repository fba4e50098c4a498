/**
 * A person acting before the page's scripts run: on a slow phone the page is painted, and can be
 * used, a while before it hydrates. The page's scripts are held back until `act` is done.
 */
import { expect, type Page } from '@playwright/test';

export async function beforeHydration(page: Page, path: string, act: () => Promise<void>): Promise<void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/_app/immutable/**/*.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(path, { waitUntil: 'commit' });
  await act();
  await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
  release();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await page.unrouteAll();
}

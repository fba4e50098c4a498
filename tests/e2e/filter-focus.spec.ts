/**
 * Filters applied as they change keep the keyboard where it was: the country radio buttons of the
 * case library and the country select of the people directory are plain HTML (options-html.ts),
 * written again only when their options change, never under the focus.
 */
import { expect, test } from '@playwright/test';

test('choosing a country with the keyboard applies the filter and leaves the focus on the choice', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();

  // A choice made before the page's script runs is the form's to submit (its Apply button), not a
  // live filter: wait for the script.
  await page.goto('/cases');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const countries = page.getByRole('group', { name: 'Country' });
  const any = countries.getByRole('radio', { name: 'All countries' });
  await any.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/[?&]country=[A-Z]{2}/);
  const chosen = new URL(page.url()).searchParams.get('country');
  await expect(countries.locator(`input[value="${chosen}"]`)).toBeChecked();
  await expect(countries.locator(`input[value="${chosen}"]`)).toBeFocused();
  // Cleared by a link: the choice follows the address.
  await page.getByRole('link', { name: 'Clear all filters' }).click();
  await expect(page).toHaveURL(/\/cases$/);
  await expect(any).toBeChecked();

  await page.goto('/people');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  const select = page.getByLabel('Country');
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(/[?&]country=[A-Z]{2}/);
  await expect(select).toBeFocused();
  await expect(select).toHaveValue(new URL(page.url()).searchParams.get('country')!);
  await page.locator('#people-filters').getByRole('link', { name: 'Clear all filters' }).click();
  await expect(page).toHaveURL(/\/people$/);
  await expect(select).toHaveValue('');
  await context.close();
});

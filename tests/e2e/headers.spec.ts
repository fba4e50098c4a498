/**
 * What the server says about its responses, seen from Chromium: the API docs page runs under its
 * Content-Security-Policy without a single violation, a plain-http origin is never told to upgrade
 * to https, pages rendered for a signed-in person are never stored by a cache, and a page asks for
 * its stylesheets before its scripts.
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
  // The tags are listed once the UI has fetched and rendered the document (folded: with every
  // operation unfolded, Swagger UI stopped after three tags once the API passed 134 operations);
  // one opens its operations.
  await page.getByRole('heading', { name: /^discussions/ }).click();
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

test('pages for a signed-in person are never stored by a cache; public pages for anonymous readers are not marked so', async ({
  page,
  request,
}) => {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  // Anonymous readers: public pages carry no such header; the personal pages always do, even
  // when they only send the reader to the sign-in page.
  for (const path of ['/', '/cases', '/events', '/fr/cases']) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()['cache-control'] ?? '', path).not.toContain('no-store');
  }
  for (const path of ['/feed', '/notifications', '/settings', '/settings/notifications', '/fr/feed']) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.headers()['cache-control'], path).toBe('private, no-store');
  }

  // Signed in: every page they are shown.
  const signup = await page.request.post('/api/v1/auth/signup', {
    data: {
      email: `cache-${run}@example.org`,
      password: 'four unrelated words make good passwords',
      displayName: 'Cache Tester',
      handle: `cache-${run}`,
    },
  });
  expect(signup.status()).toBe(201);
  for (const path of ['/', '/cases', '/feed', '/settings', '/notifications', '/fr/cases']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect((await response?.allHeaders())?.['cache-control'], path).toBe('private, no-store');
  }
});

test('the web app refuses a form post whose Origin differs from the site by scheme or port', async ({
  request,
  baseURL,
}) => {
  const site = new URL(baseURL!);
  const form = { email: 'nobody@example.org', password: 'not the password' };
  const otherScheme = `https://${site.host}`;
  const otherPort = `${site.protocol}//${site.hostname}:${Number(site.port) + 1}`;
  for (const origin of [otherScheme, otherPort]) {
    const res = await request.post('/login', { form, headers: { origin }, maxRedirects: 0 });
    expect(res.status(), origin).toBe(403);
  }
  const same = await request.post('/login', { form, headers: { origin: site.origin }, maxRedirects: 0 });
  expect(same.status()).not.toBe(403);
});

test('a page asks for its stylesheets before its scripts, and for its scripts at low priority, so the first paint does not queue behind them', async ({
  request,
}) => {
  for (const path of ['/', '/cases', '/fr/events', '/people']) {
    const html = await (await request.get(path)).text();
    const head = html.slice(0, html.indexOf('</head>'));
    const links = [...head.matchAll(/<link href="[^"]+" rel="(stylesheet|modulepreload)"/g)].map((m) => m[1]);
    const sheets = links.filter((rel) => rel === 'stylesheet').length;
    expect(sheets, path).toBeGreaterThan(0);
    expect(links.indexOf('modulepreload'), path).toBeGreaterThan(0);
    // Every stylesheet comes first, then every script: none is left behind the modulepreloads.
    expect(
      links.slice(0, sheets).every((rel) => rel === 'stylesheet'),
      path,
    ).toBe(true);
    expect(
      links.slice(sheets).every((rel) => rel === 'modulepreload'),
      path,
    ).toBe(true);
    // The scripts only enhance the page: their preloads come after the page itself.
    const preloads = [...head.matchAll(/<link [^>]*rel="modulepreload"[^>]*>/g)].map((m) => m[0]);
    expect(preloads.length, path).toBeGreaterThan(0);
    expect(
      preloads.filter((link) => !link.includes('fetchpriority="low"')),
      path,
    ).toEqual([]);
  }
});

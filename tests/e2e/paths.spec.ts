/**
 * Odd addresses (doubled slashes, dot segments, backslashes, encoded slashes) and return paths that
 * try to leave the site: never a 500, never a redirect to another site.
 */
import { request as httpRequest } from 'node:http';
import { expect, test } from '@playwright/test';

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const PASSWORD = 'four unrelated words make good passwords';

interface RawResponse {
  status: number;
  location: string | undefined;
  body: string;
}

/** GET with the path sent exactly as written (browsers and fetch would resolve `..` and `//` first). */
function rawGet(baseURL: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A redirect stays on this site, at a path with one leading slash; nothing links off-site either. */
function expectSameSite(baseURL: string, path: string, response: RawResponse) {
  expect(response.status, `${path} answered ${response.status}`).toBeLessThan(500);
  if (response.status >= 300 && response.status < 400) {
    const location = response.location ?? '';
    const target = new URL(location, `${baseURL}${path.startsWith('/') ? '' : '/'}`);
    expect(target.origin, `${path} redirects to ${location}`).toBe(new URL(baseURL).origin);
    expect(target.pathname, `${path} redirects to ${location}`).not.toMatch(/^\/[/\\]/);
    expect(location, `${path} redirects to ${location}`).not.toMatch(/^[/\\]{2}/);
  }
  expect(response.body).not.toMatch(/(href|action)="(\/\/|\/\\|[a-z]+:\/\/(?!127\.0\.0\.1))[^"]*evil/i);
}

const ODD_PATHS = [
  '/en//evil.example',
  '/en//evil.example/',
  '/en/\\evil.example',
  '/en//\\evil.example',
  '//evil.example',
  '//evil.example/',
  '///evil.example',
  '/\\evil.example',
  '/fr//evil.example',
  '/fr//x',
  '/en/..//evil.example',
  '/fr/..//evil.example',
  '/.//evil.example',
  '/en/%2F%2Fevil.example',
  '/en/%2f%2fevil.example',
  '/en/%5Cevil.example',
  '/%2F%2Fevil.example',
  '/en/%2e%2e//evil.example',
  '/cases//evil.example',
  '/cases/..//evil.example',
  '/en',
  '/en/cases',
];

test('odd paths answer a page or a same-site redirect, never a 500 or another site', async ({ baseURL }) => {
  for (const path of ODD_PATHS) expectSameSite(baseURL!, path, await rawGet(baseURL!, path));
  // The doubled slash of a real page leads to that page.
  const doubled = await rawGet(baseURL!, '/cases//my-france-2022');
  expect(doubled.status).toBe(308);
  expect(doubled.location).toBe('/cases/my-france-2022');
  const english = await rawGet(baseURL!, '/en//cases?country=FR');
  expect(english.status).toBe(308);
  expect(english.location).toBe('/cases?country=FR');
});

test('a return path that leaves the site is ignored after signing in and when opening a notification', async ({
  playwright,
  baseURL,
}) => {
  const member = await playwright.request.newContext({ baseURL });
  const handle = `wanderer-${run}`;
  const signedUp = await member.post('/api/v1/auth/signup', {
    data: { email: `${handle}@example.org`, password: PASSWORD, displayName: `Wanderer ${run}`, handle },
  });
  expect(signedUp.status()).toBe(201);
  const cookie = (await member.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');

  // Signed in already: the login page sends people on to redirectTo, when it is on this site.
  for (const target of ['/.//evil.example', '//evil.example', '/%2F%2Fevil.example', '/\\evil.example', '/..//evil']) {
    for (const page of ['/login', '/signup', '/fr/login']) {
      const path = `${page}?redirectTo=${encodeURIComponent(target)}`;
      const response = await rawGet(baseURL!, path, { cookie });
      expectSameSite(baseURL!, path, response);
      expect(response.status, path).toBe(303);
      expect(response.location, path).toBe(page.startsWith('/fr') ? '/fr/' : '/');
    }
  }
  const kept = await rawGet(baseURL!, `/login?redirectTo=${encodeURIComponent('/cases/./my-france-2022')}`, { cookie });
  expect(kept.location).toBe('/cases/my-france-2022');

  // Opening a notification goes where it points, only on this site.
  for (const to of ['/\\evil.example', '/.//evil.example', '//evil.example']) {
    const response = await member.post(`/notifications?/read&to=${encodeURIComponent(to)}`, {
      form: { id: '1' },
      headers: { origin: baseURL!, 'sec-fetch-site': 'same-origin' },
      maxRedirects: 0,
    });
    expect(response.status(), `to=${to}: ${response.status()}`).toBeLessThan(500);
    const location = response.headers()['location'];
    if (location) expect(new URL(location, baseURL).origin, `to=${to} → ${location}`).toBe(new URL(baseURL!).origin);
  }
  await member.dispose();
});

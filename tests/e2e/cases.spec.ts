import { expect, test } from '@playwright/test';
import { expectAccessible } from './a11y.ts';

test('a visitor browses cases: home → filter by country → a case → French', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();

  await page.goto('/');
  await expect(page).toHaveTitle(/.+/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page
    .getByRole('navigation', { name: /main|primary/i })
    .getByRole('link', { name: /cases/i })
    .click();
  await expect(page).toHaveURL(/\/cases/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('radio', { name: /France/ }).check();
  await expect(page).toHaveURL(/country=FR/);
  const results = page.getByRole('article');
  await expect(results.first()).toBeVisible();
  await expect(page.getByRole('link', { name: /MyFrance2022/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: /MyFrance2022/ }).click();
  await expect(page).toHaveURL(/\/cases\/my-france-2022$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('MyFrance2022');
  await expectAccessible(page);

  await page.getByRole('link', { name: /FR.*Fran/ }).click();
  await expect(page).toHaveURL(/\/fr\/cases\/my-france-2022$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('MyFrance2022');
  await expectAccessible(page);
  await context.close();
});

test('filters and search work without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/cases');
  await page.getByRole('searchbox').fill('procurement');
  await page
    .getByRole('button', { name: /apply|search|show/i })
    .first()
    .click();
  await expect(page).toHaveURL(/q=procurement/);
  await expect(page.getByRole('link', { name: /Ukraine/ })).toBeVisible();
  await context.close();
});

test('one origin: the API, its docs, Socket.IO and the stream share the port', async ({ page, request }) => {
  expect((await request.get('/api/health')).ok()).toBe(true);
  expect((await request.get('/api/docs/json')).ok()).toBe(true);
  const missing = await request.get('/api/v1/no-such-thing');
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe('not_found');
  await page.goto('/');
  const transports = await page.evaluate(async () => {
    const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/api/v1/stream?since=0`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.onmessage = (m) => resolve(String(m.data));
      ws.onerror = () => reject(new Error('stream failed'));
    });
    ws.close();
    const io = new WebSocket(`${location.origin.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const handshake = await new Promise<string>((resolve, reject) => {
      io.onmessage = (m) => resolve(String(m.data));
      io.onerror = () => reject(new Error('socket.io failed'));
    });
    io.close();
    return { first, handshake };
  });
  expect(JSON.parse(transports.first)).toMatchObject({ verb: 'created', objectType: 'case' });
  expect(transports.handshake).toMatch(/^0\{"sid"/);
});

/** Starting and stopping quickly never hangs (the Socket.IO Postgres adapter's start-up race). */
import { describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { testConfig } from './testing.ts';

describe('app lifecycle', () => {
  it('closes promptly right after it is ready, again and again', async () => {
    for (let i = 0; i < 8; i += 1) {
      const app = await buildApp({ config: testConfig() });
      await app.ready();
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  }, 120_000);
});

/** Test support: an app on the test run's PostgreSQL, API only, quiet. */
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    SERVE_WEB: 'false',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'true',
    ...overrides,
  });
}

export async function createTestApp(overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(overrides) });
  await app.ready();
  return app;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let counter = 0;
/** A slug no other test uses. */
export function uniqueSlug(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`.slice(0, 40);
}

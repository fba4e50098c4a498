/**
 * The OpenAPI document the server publishes at /api/docs/json, built without a running server:
 * the API on an embedded database in a temporary folder (no PostgreSQL, no web build, no
 * network), asked once through `inject`, then closed and its folder removed. Used by the
 * OpenAPI lint (`lint-openapi.ts`) and by the web app's generated types (`api-types.ts`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../apps/api/src/app.ts';
import { loadConfig } from '../apps/api/src/config.ts';

/** The document as the server sends it (JSON text). */
export async function openapiDocument(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opsi-openapi-'));
  try {
    const app = await buildApp({
      config: loadConfig({
        DATA_DIR: dir,
        SERVE_WEB: 'false',
        SEED_DEMO: 'false',
        JOBS: 'false',
        LOG_LEVEL: 'warn',
        // A production-like origin: the document names it as its server.
        PUBLIC_ORIGIN: 'https://network.example.org',
      }),
    });
    try {
      await app.ready();
      const res = await app.inject('/api/docs/json');
      if (res.statusCode !== 200) throw new Error(`/api/docs/json answered ${res.statusCode}`);
      return res.body;
    } finally {
      await app.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

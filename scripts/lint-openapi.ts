/**
 * Lints the OpenAPI document the server publishes with Redocly's recommended rules, warnings
 * counted as errors (`recommended-strict`): builds the API on an embedded database in a
 * temporary folder (no PostgreSQL, no web build, no network), writes /api/docs/json to a file
 * there and runs the pinned @redocly/cli on it, with its telemetry and update check off.
 * Exits with Redocly's status.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../apps/api/src/app.ts';
import { loadConfig } from '../apps/api/src/config.ts';

const dir = await mkdtemp(join(tmpdir(), 'opsi-openapi-'));
let status: number;
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
  let document: string;
  try {
    await app.ready();
    const res = await app.inject('/api/docs/json');
    if (res.statusCode !== 200) throw new Error(`/api/docs/json answered ${res.statusCode}`);
    document = res.body;
  } finally {
    await app.close();
  }
  const file = join(dir, 'openapi.json');
  await writeFile(file, document);
  const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
  const result = spawnSync(process.execPath, [cli, 'lint', '--extends=recommended-strict', file], {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  status = result.status ?? 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(status);

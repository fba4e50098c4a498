/**
 * Lints the OpenAPI document the server publishes with Redocly's recommended rules, warnings
 * counted as errors (`recommended-strict`): builds the document without a server
 * (`openapi-document.ts`), writes it to a temporary folder and runs the pinned @redocly/cli on
 * it, with its telemetry and update check off. Exits with Redocly's status.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openapiDocument } from './openapi-document.ts';

const document = await openapiDocument();
const dir = await mkdtemp(join(tmpdir(), 'opsi-openapi-lint-'));
let status: number;
try {
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

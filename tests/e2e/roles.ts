/** Gives a member a role with the operator CLI (README: "Accounts and the operator CLI"), as an operator would. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** The e2e server's database, which tests/e2e/server.ts writes into E2E_DATA_DIR. */
export function e2eDatabaseUrl(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (playwright.config.ts sets it)');
  const url = readFileSync(join(dir, 'database-url'), 'utf8').trim();
  if (!url) throw new Error('the e2e server runs without a database URL');
  return url;
}

export function setRole(handle: string, role: 'member' | 'organiser' | 'moderator' | 'admin'): void {
  execFileSync(process.execPath, ['apps/api/src/admin.ts', 'set-role', handle, role], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(), LOG_LEVEL: 'silent' },
    stdio: 'pipe',
  });
}

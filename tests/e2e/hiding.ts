/** Hides a post in the e2e database (tests/e2e/hide-post.ts), as roles.ts gives roles: a subprocess. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { e2eDatabaseUrl } from './roles.ts';

const root = join(import.meta.dirname, '..', '..');

export function hidePost(postId: string, reason = 'hidden by a journey'): void {
  execFileSync(process.execPath, ['tests/e2e/hide-post.ts', postId, reason], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl() },
    stdio: 'pipe',
  });
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl, uniqueSlug } from './testing.ts';

const script = fileURLToPath(new URL('./admin.ts', import.meta.url));

function admin(args: string[], input = '') {
  return spawnSync(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'silent' },
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
}

describe('npm run admin', () => {
  it('creates a user with a role, changes the role and lists users', () => {
    const handle = uniqueSlug('op');
    const created = admin(
      [
        'create-user',
        '--email',
        `${handle}@example.org`,
        '--handle',
        handle,
        '--name',
        'Operator',
        '--role',
        'organiser',
      ],
      'a fine operator passphrase\n',
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain(`Created @${handle} (organiser)`);

    const changed = admin(['set-role', handle, 'admin']);
    expect(changed.status).toBe(0);
    const listed = admin(['list-users', '--limit', '10000']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`'${handle}'.*'admin'`));
  });

  it('explains refusals: weak password, unknown role, unknown handle, unknown command', () => {
    const handle = uniqueSlug('op');
    const weak = admin(
      ['create-user', '--email', `${handle}@example.org`, '--handle', handle, '--name', 'W'],
      'short\n',
    );
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('at least 12 characters');
    expect(admin(['set-role', handle, 'emperor']).status).toBe(1);
    const missing = admin(['set-role', 'nobody-by-this-name', 'admin']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('No member');
    const unknown = admin(['drop-everything']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Unknown command');
  });
});

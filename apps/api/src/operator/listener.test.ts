/**
 * `npm run admin` while an embedded server holds the data folder: the CLI finds the server's door
 * (DATA_DIR/admin.json, 0600, loopback only) and the server runs the command on its own database.
 * A wrong token is refused; restore is refused while the server runs; the door closes with the app.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOOD_PASSWORD, listen, uniqueSlug } from '../testing.ts';
import { until } from '../testing-until.ts';
import { casesCsv, generateCases } from '../modules/cases/import/generate.ts';
import { DOOR_FILE, readDoor } from './door.ts';
import type { DoorLine } from './listener.ts';
import { admin, embeddedApp } from './testing.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'opsi-door-'));
const app = await embeddedApp(dataDir);
await listen(app);
// The door opens once the server listens (an onListen hook).
await until(() => readDoor(dataDir) !== null, 'the admin door');
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run admin through a running embedded server', () => {
  it('creates a member, makes them admin, lists them and backs up, through the server', async () => {
    const door = readDoor(dataDir)!;
    expect(door.pid).toBe(process.pid);
    expect(statSync(join(dataDir, DOOR_FILE)).mode & 0o777).toBe(0o600);

    const handle = uniqueSlug('op');
    const env = { DATA_DIR: dataDir };
    const created = await admin(
      ['create-user', '--email', `${handle}@example.org`, '--handle', handle, '--name', 'First operator'],
      env,
      `${GOOD_PASSWORD}\n`,
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain(`Created @${handle} (member)`);
    expect(created.status).toBe(0);
    const promoted = await admin(['set-role', handle, 'admin'], env);
    expect(promoted.stdout).toContain(`@${handle} is now admin.`);
    const row = await app.database.kysely
      .selectFrom('users')
      .select('role')
      .where('handle', '=', handle)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
    const listed = await admin(['list-users', '--limit', '1000'], env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`'${handle}'.*'admin'`));
    const unknown = await admin(['set-role', 'nobody-here', 'admin'], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No member with the handle "nobody-here"');

    const file = join(dataDir, '..', `${handle}.tar.gz`);
    try {
      const backup = await admin(['backup', file], env);
      expect(backup.stderr).toBe('');
      expect(backup.stdout).toContain('through the running server');
      expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      const restore = await admin(['restore', file, '--force'], env);
      expect(restore.status).toBe(1);
      expect(restore.stderr).toContain('Stop the server first: restore replaces or moves the database it has open.');
    } finally {
      rmSync(file, { force: true });
    }
  }, 180_000);

  it('sends an import’s progress while it runs, then its report and exit code', async () => {
    const door = readDoor(dataDir)!;
    const file = join(dataDir, '..', `${uniqueSlug('import')}.csv`);
    writeFileSync(file, casesCsv(generateCases(1500, { seed: 7, prefix: 'DOOR-' })));
    try {
      const response = await fetch(`http://127.0.0.1:${door.port}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${door.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ argv: ['import-cases', file] }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson');
      // Each line with the number of the read that brought it.
      const lines: { read: number; line: DoorLine }[] = [];
      const decoder = new TextDecoder();
      let pending = '';
      let reads = 0;
      for await (const chunk of response.body!) {
        reads += 1;
        pending += decoder.decode(chunk, { stream: true });
        const complete = pending.split('\n');
        pending = complete.pop()!;
        for (const text of complete) lines.push({ read: reads, line: JSON.parse(text) as DoorLine });
      }
      const last = lines.at(-1)!;
      expect(last.line).toEqual({ code: 0 });
      const progress = lines.filter(({ line }) => 'stderr' in line && /^Written \d+\/1500 rows\n$/.test(line.stderr));
      expect(progress.length).toBeGreaterThan(1);
      // The first came in a read of its own, before the command had ended.
      expect(progress[0]!.read).toBeLessThan(last.read);
      const stdout = lines.map(({ line }) => ('stdout' in line ? line.stdout : '')).join('');
      expect(stdout).toContain('1500 rows');
    } finally {
      rmSync(file, { force: true });
    }
  }, 180_000);

  it('refuses a wrong token and a malformed command', async () => {
    const door = readDoor(dataDir)!;
    const send = (token: string, body: unknown) =>
      fetch(`http://127.0.0.1:${door.port}/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await send(`${door.token.slice(1)}x`, { argv: ['list-users'] });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 1, stderr: 'Wrong or missing admin token.\n' });
    expect((await send(door.token, { argv: 'list-users' })).status).toBe(400);
    const other = await send(door.token, { argv: ['migrate-to', 'postgres://x/y'] });
    expect(other.status).toBe(400);
    expect((await other.json()) as { stderr: string }).toMatchObject({
      stderr: expect.stringContaining('does not run through the server'),
    });
  });

  it('closes the door with the app', async () => {
    const other = mkdtempSync(join(tmpdir(), 'opsi-door-'));
    const second = await embeddedApp(other);
    try {
      await listen(second);
      await until(() => existsSync(join(other, DOOR_FILE)), 'the second admin door');
    } finally {
      await second.close();
    }
    expect(existsSync(join(other, DOOR_FILE))).toBe(false);
    rmSync(other, { recursive: true, force: true });
  }, 180_000);
});

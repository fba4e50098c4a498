/**
 * The running embedded server's door for `npm run admin` (README, "Operator commands"): PGlite lets
 * one process hold the data folder, so while the server runs, the CLI asks the server to run its
 * command. The door is an HTTP listener on 127.0.0.1 only, on a port of the system's choosing; the
 * port and a random token are in DATA_DIR/admin.json, readable by the folder's owner alone (0600).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOOR_FILE = 'admin.json';

export interface Door {
  pid: number;
  port: number;
  token: string;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes the door's file (mode 0600, whole or not at all). */
export function writeDoor(dataDir: string, door: Door): void {
  const file = join(dataDir, DOOR_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(door)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}

export function readDoor(dataDir: string): Door | null {
  try {
    const door = JSON.parse(readFileSync(join(dataDir, DOOR_FILE), 'utf8')) as Partial<Door>;
    if (typeof door.port !== 'number' || typeof door.token !== 'string' || typeof door.pid !== 'number') return null;
    return door as Door;
  } catch {
    return null;
  }
}

/** Removes the door's file if it is still this process's. */
export function removeDoor(dataDir: string): void {
  if (readDoor(dataDir)?.pid === process.pid) rmSync(join(dataDir, DOOR_FILE), { force: true });
}

/**
 * The CLI side of the admin door (door.ts, listener.ts): when the embedded data folder is held by a
 * running server, `npm run admin` sends its command there. File arguments are made absolute (the
 * server may run elsewhere in the file system); create-user's password is read here and sent along;
 * a backup arrives as a stream and is written here.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { DataDirLockedError } from '@opsi/db/lock';
import { DATA_COMMANDS } from './commands.ts';
import { readDoor } from './door.ts';
import type { OperatorIo } from './io.ts';
import type { DoorAnswer, DoorLine, DoorRequest } from './listener.ts';

/** The arguments with the positional ones (file names) made absolute. */
function absoluteFiles(args: string[]): string[] {
  return args.map((a) => (a.startsWith('-') ? a : resolve(a)));
}

/**
 * Runs `argv` through the server holding `dataDir`; throws `locked` when no server door is open
 * there (another process holds the folder) or when the command cannot run through a server.
 */
export async function runThroughServer(
  dataDir: string,
  argv: string[],
  io: OperatorIo,
  locked: DataDirLockedError,
): Promise<number> {
  const [command = '', ...rest] = argv;
  const door = readDoor(dataDir);
  if (!door || (command !== 'backup' && !DATA_COMMANDS.has(command))) throw locked;
  if (command === 'backup' && rest.length !== 1) {
    io.console.error('Usage: npm run admin -- backup <file>');
    return 1;
  }
  const body: DoorRequest = {
    argv: command === 'import-cases' || command === 'backup' ? [command, ...absoluteFiles(rest)] : argv,
    tty: Boolean(process.stderr.isTTY),
  };
  if (command === 'create-user') body.password = await io.password();
  const response = await fetch(`http://127.0.0.1:${door.port}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${door.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => {
    throw locked;
  });
  if (response.ok && response.headers.get('content-type') === 'application/gzip' && response.body) {
    const file = body.argv[1]!;
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      createWriteStream(file, { mode: 0o600 }),
    );
    io.console.log(`Backed up the embedded database to ${file} (through the running server).`);
    return 0;
  }
  if (!response.ok || !response.body || response.headers.get('content-type') !== 'application/x-ndjson') {
    const result = (await response.json()) as DoorAnswer;
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    return result.code;
  }
  // What the command prints, as it prints it (an import's progress), then its exit code.
  const lines = createInterface({ input: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) });
  for await (const text of lines) {
    if (!text) continue;
    const piece = JSON.parse(text) as DoorLine;
    if ('stdout' in piece) process.stdout.write(piece.stdout);
    else if ('stderr' in piece) process.stderr.write(piece.stderr);
    else return piece.code;
  }
  io.console.error('The server stopped before the command ended: run it again once the server is back.');
  return 1;
}

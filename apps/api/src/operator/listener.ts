/**
 * The server side of the admin door (door.ts): registered by the composition (app.ts), it opens
 * once the server listens, on the embedded database only (on PostgreSQL the CLI connects itself),
 * and closes with the app. POST /run with `Authorization: Bearer <token>` and
 * `{ argv, password?, tty? }` runs a data command (commands.ts) on the server's own database and
 * answers as it goes, one JSON object per line (`application/x-ndjson`): `{stdout}` and `{stderr}`
 * pieces as the command prints them (an import's progress arrives while it runs), then `{code}`.
 * A refused request is one JSON `{ code, stdout, stderr }`; `backup` answers the database's tarball
 * as it is written.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { dumpEmbedded } from '@opsi/db/backup';
import type { Config } from '../config.ts';
import { DATA_COMMANDS, runDataCommand } from './commands.ts';
import { newToken, removeDoor, writeDoor } from './door.ts';
import { describeFailure } from './errors.ts';
import { streamedIo } from './io.ts';

/** A command and a password are small; an import's file is read by path, not sent. */
const MAX_REQUEST_BYTES = 64 * 1024;

export interface DoorRequest {
  argv: string[];
  password?: string;
  /** The CLI writes to a terminal (progress updates one line in place). */
  tty?: boolean;
}

/** A line of a command's answer: a piece of its output, or its exit code (the last line). */
export type DoorLine = { stdout: string } | { stderr: string } | { code: number };

export interface DoorAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

function sameToken(given: string | undefined, token: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(`Bearer ${token}`);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readRequest(request: IncomingMessage): Promise<DoorRequest | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<DoorRequest>;
    if (!Array.isArray(body.argv) || !body.argv.every((a) => typeof a === 'string')) return null;
    if (body.password !== undefined && typeof body.password !== 'string') return null;
    if (body.tty !== undefined && typeof body.tty !== 'boolean') return null;
    return {
      argv: body.argv,
      ...(body.password !== undefined ? { password: body.password } : {}),
      tty: body.tty === true,
    };
  } catch {
    return null;
  }
}

function answer(response: ServerResponse, status: number, body: DoorAnswer) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(fastify: FastifyInstance, token: string, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== 'POST' || request.url !== '/run') {
    return answer(response, 404, { code: 1, stdout: '', stderr: 'Not found.\n' });
  }
  if (!sameToken(request.headers.authorization, token)) {
    return answer(response, 401, { code: 1, stdout: '', stderr: 'Wrong or missing admin token.\n' });
  }
  const body = await readRequest(request);
  if (!body) {
    return answer(response, 400, {
      code: 1,
      stdout: '',
      stderr: 'The body must be { argv: string[], password?: string, tty?: boolean }.\n',
    });
  }
  const [command, ...rest] = body.argv;
  fastify.log.info({ command }, 'admin command from the command line');
  if (command === 'backup' && rest.length === 1) {
    const dump = await dumpEmbedded(fastify.database);
    response.writeHead(200, { 'content-type': 'application/gzip' });
    await pipeline(dump, response);
    return;
  }
  if (!command || !DATA_COMMANDS.has(command)) {
    return answer(response, 400, {
      code: 1,
      stdout: '',
      stderr: `"${command}" does not run through the server (it runs on: ${[...DATA_COMMANDS, 'backup'].join(', ')}).\n`,
    });
  }
  response.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  const line = (value: DoorLine) => response.write(`${JSON.stringify(value)}\n`);
  const io = streamedIo(body.password, body.tty === true, (stream, text) =>
    line(stream === 'stdout' ? { stdout: text } : { stderr: text }),
  );
  let code: number;
  try {
    code = await runDataCommand(fastify.database, body.argv, io);
  } catch (error) {
    io.err.write(`${describeFailure(error, command)}\n`);
    code = 1;
  }
  response.end(`${JSON.stringify({ code } satisfies DoorLine)}\n`);
}

async function adminDoor(fastify: FastifyInstance, { config }: { config: Config }) {
  if (fastify.database.engine !== 'pglite') return;
  let server: Server | null = null;
  fastify.addHook('onListen', async () => {
    const token = newToken();
    const door = createServer((request, response) => {
      handle(fastify, token, request, response).catch((error: unknown) => {
        fastify.log.error({ err: error }, 'admin command failed');
        if (!response.headersSent)
          answer(response, 500, { code: 1, stdout: '', stderr: `${describeFailure(error, undefined)}\n` });
        else response.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      door.once('error', reject);
      door.listen(0, '127.0.0.1', resolve);
    });
    server = door;
    const address = door.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    writeDoor(config.dataDir, { pid: process.pid, port, token });
    fastify.log.info({ port }, '`npm run admin` commands go through this server while it runs (loopback only)');
  });
  fastify.addHook('onClose', async () => {
    removeDoor(config.dataDir);
    const open = server;
    if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
  });
}

export default fp(adminDoor, { name: 'admin-door', dependencies: ['database'] });

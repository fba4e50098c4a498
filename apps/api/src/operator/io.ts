/**
 * Where an operator command writes: the terminal (the CLI), or buffers sent back to the CLI (the
 * server running a command for it, operator/listener.ts). Commands print through `console` (a Node
 * Console on those streams, console.table included) and ask for a password through `password`.
 */
import { Console } from 'node:console';
import { createInterface } from 'node:readline';
import { EventEmitter } from 'node:events';

export interface OperatorIo {
  console: Console;
  /** The import's progress and messages (modules/cases/import/cli.ts). */
  out: (line: string) => void;
  err: { isTTY?: boolean; write: (s: string) => unknown };
  password(): Promise<string>;
}

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stdout.write('Password (at least 12 characters): ');
    // Do not echo what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  rl.close();
  if (process.stdin.isTTY) process.stdout.write('\n');
  return line;
}

/** The terminal's: standard output and error; the password from a prompt or piped standard input. */
export function terminalIo(): OperatorIo {
  return {
    console: globalThis.console,
    out: (line) => console.log(line),
    err: process.stderr,
    password: readPassword,
  };
}

/**
 * Sent as it is printed, to the CLI waiting on the server (operator/listener.ts): `send` gets each
 * piece of standard output or error; the password is the one the CLI sent along. `tty` is the
 * CLI's terminal: progress then updates one line in place, as it does when run there.
 */
export function streamedIo(
  password: string | undefined,
  tty: boolean,
  send: (stream: 'stdout' | 'stderr', text: string) => void,
): OperatorIo {
  // Written at once (a Writable might still hold the last lines when the command returns).
  const sink = (stream: 'stdout' | 'stderr') =>
    Object.assign(new EventEmitter(), {
      write(chunk: Buffer | string) {
        send(stream, chunk.toString());
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  return {
    console: new Console({ stdout: sink('stdout'), stderr: sink('stderr'), colorMode: false }),
    out: (line) => send('stdout', `${line}\n`),
    err: { isTTY: tty, write: (s: string) => send('stderr', s) },
    async password() {
      if (password === undefined) throw new Error('No password was sent with the command.');
      return password;
    },
  };
}

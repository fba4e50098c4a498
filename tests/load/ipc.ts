/**
 * Requests and answers between the bench process and its children over the fork IPC channel:
 * `ask` sends `{ id, type, ...data }` and waits for `{ id, ok, result | error }`; a child serves
 * them with `serve`. The first plain message a child sends ('ready') is left to the caller.
 */
import type { ChildProcess } from 'node:child_process';

interface Answer {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

let nextId = 0;

export function ask<T>(
  child: ChildProcess,
  type: string,
  data: Record<string, unknown> = {},
  timeoutMs = 120_000,
): Promise<T> {
  nextId += 1;
  const id = nextId;
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const answer = message as Partial<Answer> | null;
      if (!answer || typeof answer !== 'object' || answer.id !== id) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (answer.ok) resolve(answer.result as T);
      else reject(new Error(`${type}: ${answer.error ?? 'failed'}`));
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      reject(new Error(`${type}: the child exited (${code}) before answering`));
    };
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      reject(new Error(`${type}: no answer in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ id, type, ...data });
  });
}

export type Handlers = Record<string, (message: Record<string, unknown>) => unknown>;

/** In a child: answers the bench's requests with the handler of their type. */
export function serve(handlers: Handlers): void {
  process.on('message', (raw: unknown) => {
    const message = raw as { id?: unknown; type?: unknown } | null;
    if (!message || typeof message !== 'object' || typeof message.id !== 'number') return;
    const { id, type } = message;
    const handler = typeof type === 'string' ? handlers[type] : undefined;
    const reply = (answer: Answer) => process.send?.(answer);
    if (!handler) {
      reply({ id, ok: false, error: `unknown request "${String(type)}"` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message as Record<string, unknown>))
      .then(
        (result) => reply({ id, ok: true, result }),
        (error: unknown) => reply({ id, ok: false, error: error instanceof Error ? error.stack : String(error) }),
      );
  });
}

/** Milliseconds on the system-wide monotonic clock (CLOCK_MONOTONIC): comparable across processes. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Opening many Socket.IO clients from one process: `count` of them, at most `concurrency` handshakes
 * at a time; throws once all were tried if any failed, with how many and the distinct errors.
 */
export async function openAll<T>(
  count: number,
  concurrency: number,
  open: (index: number) => Promise<T>,
): Promise<{ opened: T[]; seconds: number }> {
  const started = performance.now();
  const opened = new Array<T>(count);
  const errors = new Set<string>();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        try {
          opened[index] = await open(index);
        } catch (error) {
          failed += 1;
          errors.add(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  if (failed) throw new Error(`${failed} of ${count} clients could not connect: ${[...errors].join('; ')}`);
  return { opened, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}

interface ClientGroup {
  sockets: ({ disconnect(): void } | undefined)[];
  /** Set once the bench closes the group: disconnections after it are not drops. */
  closing: boolean;
}

/** A client process's groups of clients by name (one per server measured), and their teardown. */
export function clientGroups<G extends ClientGroup>() {
  const groups = new Map<string, G>();
  const close = (g: G) => {
    g.closing = true;
    for (const socket of g.sockets) socket?.disconnect();
  };
  return {
    add(name: unknown, g: G) {
      groups.set(String(name), g);
    },
    get(name: unknown): G {
      const found = groups.get(String(name));
      if (!found) throw new Error(`no client group "${String(name)}"`);
      return found;
    },
    close(name: unknown) {
      close(this.get(name));
      groups.delete(String(name));
    },
    /** On SIGTERM: every group closed, then the process exits. */
    exitOnSigterm() {
      process.on('SIGTERM', () => {
        for (const g of groups.values()) close(g);
        process.exit(0);
      });
    },
  };
}

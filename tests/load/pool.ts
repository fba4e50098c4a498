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

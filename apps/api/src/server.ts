/** Entry point: `npm start` (or `node apps/api/src/server.ts` on Node 24). */
import { DataDirLockedError } from '@opsi/db/lock';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

async function main() {
  const loaded = loadConfig(process.env);
  // Readable lines in a terminal (npm start, npm run dev), JSON lines otherwise, unless LOG_FORMAT says.
  const config = { ...loaded, logFormat: loaded.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json') } as const;
  const app = await buildApp({ config });

  // SIGTERM (an orchestrator, a rolling restart) or Ctrl-C: drain (plugins/drain.ts), close, exit 0;
  // past SHUTDOWN_GRACE_MS, exit 1 whatever is still running.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    const started = Date.now();
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error({ graceMs: config.shutdownGraceMs }, 'shutdown took longer than SHUTDOWN_GRACE_MS; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    app.close().then(
      () => {
        app.log.info({ ms: Date.now() - started }, 'closed');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Public Sector Innovators Network listening on ${config.publicOrigin}`);
  app.warmSchemas().then(
    () => app.log.debug('route schemas compiled'),
    (error: unknown) => app.log.error({ err: error }, 'a route schema does not compile'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(error.message);
  } else {
    console.error('Could not start:', error);
  }
  process.exit(1);
});

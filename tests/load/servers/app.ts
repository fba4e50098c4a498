/** The platform's API (no web app) on the PostgreSQL given in DATABASE_URL. */
import { buildApp } from '../../../apps/api/src/app.ts';
import { loadConfig } from '../../../apps/api/src/config.ts';

// The per-address rate limit would otherwise be what is measured: one load generator is one address.
const config = loadConfig({
  ...process.env,
  SERVE_WEB: 'false',
  LOG_LEVEL: 'warn',
  SEED_DEMO: 'true',
  RATE_LIMIT_PER_MINUTE: '100000000',
});
const app = await buildApp({ config });
await app.listen({ port: config.port, host: '127.0.0.1' });
process.send?.('ready');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

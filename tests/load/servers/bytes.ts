/**
 * The baseline for a given response: a bare Fastify server that answers GET <path> with the exact
 * bytes the bench gave it for that path (`set` over IPC: the app's own response body), whatever the
 * query string. The same bytes as the app, with nothing behind them.
 */
import Fastify from 'fastify';
import { serve } from '../ipc.ts';

const bodies = new Map<string, Buffer>();
const app = Fastify({ logger: false });
app.get('/*', async (request, reply) => {
  const body = bodies.get(request.url.split('?')[0] ?? '');
  if (!body) return reply.status(404).send({ error: 'no body set for this path' });
  return reply.type('application/json; charset=utf-8').send(body);
});
serve({
  set: (message) => {
    bodies.set(String(message.path), Buffer.from(String(message.body), 'utf8'));
    return true;
  },
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.send?.('ready');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

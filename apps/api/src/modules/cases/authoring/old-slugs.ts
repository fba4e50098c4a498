/**
 * A case's old slugs answer 301 to its current one: the reads under /api/v1/cases/:slug that
 * clients follow (the case, its posts, its revisions). Only an answer that would have been a 404
 * costs a lookup (the hot path of a current slug is unchanged). The redirect is not cached by
 * browsers (`Cache-Control: no-cache`): a case renamed back must not loop on a remembered 301.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The GET routes whose old slugs redirect. */
export const REDIRECTING_ROUTES = new Set([
  '/api/v1/cases/:slug',
  '/api/v1/cases/:slug/posts',
  '/api/v1/cases/:slug/revisions',
  '/api/v1/cases/:slug/revisions/:version',
]);

async function oldSlugsPlugin(fastify: FastifyInstance) {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 404 || (request.method !== 'GET' && request.method !== 'HEAD')) return payload;
    if (!REDIRECTING_ROUTES.has(request.routeOptions.url ?? '')) return payload;
    const slug = (request.params as { slug?: unknown }).slug;
    if (typeof slug !== 'string') return payload;
    const current = await fastify.caseAuthoring.movedTo(slug);
    if (!current) return payload;
    const url = new URL(request.url, 'http://local');
    const location = `${url.pathname.replace(`/api/v1/cases/${slug}`, `/api/v1/cases/${current}`)}${url.search}`;
    reply.code(301).header('location', location).header('cache-control', 'no-cache');
    reply.type('application/json; charset=utf-8');
    return JSON.stringify({ slug: current, location });
  });
}

export default fp(oldSlugsPlugin, { name: 'case-old-slugs', dependencies: ['cases-service'] });

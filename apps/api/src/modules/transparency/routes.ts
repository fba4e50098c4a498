import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '@opsi/contracts/common';
import { TransparencyQuery, TransparencyReport } from '@opsi/contracts/transparency';
import { toCsv } from './service.ts';

/** Public and the same for everyone: shared caches may keep it a few minutes. */
const CACHE = 'public, max-age=300';

const transparencyRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/v1/transparency',
    {
      schema: {
        tags: ['transparency'],
        summary: 'The transparency report: reports, moderation actions and suspensions per month (public)',
        description:
          'Counts per calendar month (UTC) from `from` to `to` (YYYY-MM, inclusive; by default the last 12 months): reports filed by reason, moderation actions by kind (from the moderation log), reported items resolved and the median hours from an item’s first report to its resolution, and suspensions started. No personal data: no handle, id, note or reason’s text. `format=csv` gives the same as CSV (a header row, one row per month) to download.',
        querystring: TransparencyQuery,
        response: {
          200: {
            description: 'The report, as JSON or (format=csv) as CSV',
            content: {
              'application/json': { schema: TransparencyReport },
              'text/csv': { schema: Type.String() },
            },
          },
          400: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const report = await fastify.transparency.report(request.query);
      reply.header('cache-control', CACHE);
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="transparency-${report.from}-${report.to}.csv"`)
          .send(toCsv(report));
      }
      return reply
        .header('content-disposition', `inline; filename="transparency-${report.from}-${report.to}.json"`)
        .send(report);
    },
  );
};

export default transparencyRoutes;

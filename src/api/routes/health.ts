import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EngineContext } from '../../engine/context.js';
import { HealthSchema as Status } from '../schemas/health-view.js';

/** Liveness and readiness, without a key: for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext; isClosing: () => boolean }> = async (
  app,
  { ctx, isClosing },
) => {
  app.get(
    '/healthz',
    { schema: { tags: ['Health'], summary: 'The process is up and its database answers', response: { 200: Status, 503: Status } } },
    async (_request, reply) => {
      const outage = await ctx.store.outage();
      if (outage === 'database')
        return reply.status(503).send({ status: 'unavailable', database: ctx.store.dialect, code: 'database_unavailable' });
      return { status: 'ok' as const, database: ctx.store.dialect };
    },
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['Health'],
        summary: 'Ready for traffic: database reachable, writes succeeding and not shutting down',
        response: { 200: Status, 503: Status },
      },
    },
    async (_request, reply) => {
      if (isClosing()) return reply.status(503).send({ status: 'shutting_down' });
      const outage = await ctx.store.outage();
      if (outage) return reply.status(503).send({ status: 'unavailable', database: ctx.store.dialect, code: `${outage}_unavailable` });
      return { status: 'ready' as const, database: ctx.store.dialect };
    },
  );
};

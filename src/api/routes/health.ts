import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EngineContext } from '../../engine/context.js';
import { readHealth, readReadiness } from '../../engine/read-health.js';
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
      const health = await readHealth(ctx);
      return reply.status(health.status === 'ok' ? 200 : 503).send(health);
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
      const readiness = await readReadiness(ctx, isClosing());
      return reply.status(readiness.status === 'ready' ? 200 : 503).send(readiness);
    },
  );
};

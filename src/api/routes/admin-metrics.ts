import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { createMetric, getMetric, listMetrics, updateMetric } from '../../engine/manage-metrics.js';
import { CreateMetricBody, UpdateMetricBody } from '../schemas/admin.js';
import { ErrorBody, KeyParams } from '../schemas/common.js';
import { AdminMetricSchema as Metric } from '../schemas/metric-view.js';

export const adminMetricRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const tags = ['Admin: metrics'];

  app.post(
    '/metrics',
    { schema: { tags, summary: 'Create a metric', body: CreateMetricBody, response: { 201: Metric, 409: ErrorBody, 422: ErrorBody } } },
    async (request, reply) => reply.status(201).send(await createMetric(ctx, request.principal, request.body)),
  );

  app.get('/metrics', { schema: { tags, summary: 'List metrics', response: { 200: Type.Array(Metric) } } }, async (request) =>
    listMetrics(ctx, request.principal),
  );

  app.get(
    '/metrics/:key',
    { schema: { tags, summary: 'One metric', params: KeyParams, response: { 200: Metric, 404: ErrorBody } } },
    async (request) => getMetric(ctx, request.principal, request.params.key),
  );

  app.patch(
    '/metrics/:key',
    {
      schema: {
        tags,
        summary: 'Edit a metric',
        params: KeyParams,
        body: UpdateMetricBody,
        response: { 200: Metric, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateMetric(ctx, request.principal, request.params.key, request.body),
  );

  app.delete(
    '/metrics/:key',
    {
      schema: {
        tags,
        summary: 'Delete a metric (it is archived: history stays, new events are refused)',
        description: 'Achievements built on it are flagged as dangling and skipped.',
        params: KeyParams,
        response: { 200: Metric, 404: ErrorBody },
      },
    },
    async (request) => updateMetric(ctx, request.principal, request.params.key, { status: 'archived' }),
  );
};

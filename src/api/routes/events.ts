import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { type EventOutcome, ingestEvents } from '../../engine/ingest/ingest-events.js';
import { localeOf } from '../locale.js';
import { ErrorBody, Key } from '../schemas/common.js';
import { BatchResponseSchema, EventResponseSchema } from '../schemas/event-response.js';
import { BatchBody, EventBody, IdempotencyHeaders } from '../schemas/events.js';

export const eventRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/metrics/:key/event',
    {
      schema: {
        tags: ['Events'],
        summary: 'Send one event for a user',
        description:
          "Adds `value` to the user's metric, upserts the user, and answers with the achievements the event unlocked and the new total. " +
          'A repeated Idempotency-Key (per user and metric) answers 202 with the original result and changes nothing.',
        params: Type.Object({ key: Key('Metric key') }),
        headers: IdempotencyHeaders,
        body: EventBody,
        response: { 201: EventResponseSchema, 202: EventResponseSchema, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const [outcome] = (await ingestEvents(
        ctx,
        request.principal,
        [{ metric: request.params.key, ...request.body, idempotencyKey: request.headers['idempotency-key'] }],
        { locale: localeOf(request), batch: false },
      )) as [EventOutcome];
      return reply.status(outcome.status === 'replayed' ? 202 : 201).send(outcome.response);
    },
  );

  app.post(
    '/events',
    {
      schema: {
        tags: ['Events'],
        summary: 'Send up to 1,000 events in one request',
        description:
          "Applies every event in one transaction, in order, and answers each one's result in the same order. " +
          'One invalid event rejects the whole batch, naming its index.',
        body: BatchBody,
        response: {
          200: BatchResponseSchema,
          422: ErrorBody,
        },
      },
    },
    async (request) => {
      const outcomes = await ingestEvents(ctx, request.principal, request.body.events, {
        locale: localeOf(request),
        batch: true,
      });
      return {
        results: outcomes.map((o, index) => ({ index, status: o.status === 'replayed' ? (202 as const) : (201 as const), ...o.response })),
      };
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { URL_MAX_LENGTH, WEBHOOK_EVENT_TYPES } from '../../domain/webhook.js';
import type { EngineContext } from '../../engine/context.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listEventTypes,
  listWebhooks,
  pingWebhook,
  replayWebhook,
  retryDelivery,
  updateWebhook,
} from '../../engine/manage-webhooks.js';
import { ErrorBody, IdParams, Nullable, UserId } from '../schemas/common.js';
import {
  CreatedWebhookSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
  WebhookEventTypeSchema,
  WebhookReplaySchema,
  WebhookSchema,
} from '../schemas/webhook-view.js';

const fields = {
  url: Type.String({ minLength: 1, maxLength: URL_MAX_LENGTH, description: 'Where to POST events: an http or https URL' }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'What the webhook is for' }))),
  eventTypes: Type.Optional(
    Type.Array(
      Type.Union(
        WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)),
        { description: 'An event type' },
      ),
      { maxItems: 100, description: `Event types to deliver (${WEBHOOK_EVENT_TYPES.join(', ')}); empty or absent: every type` },
    ),
  ),
  enabled: Type.Optional(Type.Boolean({ description: 'Default true' })),
};

const DeliveryParams = Type.Object({ id: UserId('A webhook id'), deliveryId: UserId('A delivery id') });

export const adminWebhookRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const tags = ['Admin: webhooks'];

  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Create a webhook; its signing secret is shown once',
        body: Type.Object(fields, { additionalProperties: false }),
        response: { 201: CreatedWebhookSchema, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createWebhook(ctx, request.principal, request.body)),
  );

  app.get('/webhooks', { schema: { tags, summary: 'List webhooks', response: { 200: Type.Array(WebhookSchema) } } }, async (request) =>
    listWebhooks(ctx, request.principal),
  );

  app.get(
    '/webhook-event-types',
    {
      schema: { tags, summary: 'The event types Laurel sends, to subscribe to', response: { 200: Type.Array(WebhookEventTypeSchema) } },
    },
    async () => listEventTypes(),
  );

  app.get(
    '/webhooks/:id',
    { schema: { tags, summary: 'One webhook', params: IdParams, response: { 200: WebhookSchema, 404: ErrorBody } } },
    async (request) => getWebhook(ctx, request.principal, request.params.id),
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Edit a webhook (url, description, event types, enabled)',
        params: IdParams,
        body: Type.Object({ ...fields, url: Type.Optional(fields.url) }, { additionalProperties: false }),
        response: { 200: WebhookSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateWebhook(ctx, request.principal, request.params.id, request.body),
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        params: IdParams,
        response: { 200: WebhookSchema, 404: ErrorBody },
      },
    },
    async (request) => deleteWebhook(ctx, request.principal, request.params.id),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "A webhook's delivery log, newest first",
        params: IdParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Deliveries per page (default 20)' })),
          cursor: Type.Optional(Type.String({ maxLength: 100, description: 'nextCursor of the page before' })),
          status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')])),
        }),
        response: { 200: WebhookDeliveryPageSchema, 404: ErrorBody },
      },
    },
    async (request) =>
      listDeliveries(ctx, request.principal, request.params.id, {
        limit: request.query.limit ?? 20,
        cursor: request.query.cursor,
        status: request.query.status,
      }),
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/retry',
    {
      schema: {
        tags,
        summary: 'Send a delivery again now, whatever its status, with a fresh day of retries',
        params: DeliveryParams,
        response: { 200: WebhookDeliverySchema, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => retryDelivery(ctx, request.principal, request.params.id, request.params.deliveryId),
  );

  app.post(
    '/webhooks/:id/replay',
    {
      schema: {
        tags,
        summary: 'Send again every event of a time range the webhook subscribes to',
        params: IdParams,
        body: Type.Object(
          {
            from: Type.String({ maxLength: 100, description: 'Events created at or after this instant (ISO 8601)' }),
            to: Type.String({ maxLength: 100, description: 'Events created at or before this instant (ISO 8601)' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookReplaySchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => replayWebhook(ctx, request.principal, request.params.id, request.body),
  );

  app.post(
    '/webhooks/:id/ping',
    {
      schema: {
        tags,
        summary: 'Send a webhook.ping event now and answer its delivery',
        params: IdParams,
        response: { 200: WebhookDeliverySchema, 404: ErrorBody },
      },
    },
    async (request) => pingWebhook(ctx, request.principal, request.params.id),
  );
};

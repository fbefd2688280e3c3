/** Webhooks and their delivery log, as admins see them. */
import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

const time = (description: string) => Type.String({ format: 'date-time', description: `${description} (ISO 8601)` });

const webhookFields = {
  id: Type.String({ description: "The webhook's id" }),
  url: Type.String({ description: 'Where events are POSTed (http or https)' }),
  description: Nullable(Type.String({ description: 'What the webhook is for, in words' })),
  eventTypes: Type.Array(Type.String(), { description: 'The event types delivered (e.g. achievement.completed); empty: every type' }),
  enabled: Type.Boolean({ description: 'Disabled webhooks get no new deliveries, and their pending ones wait' }),
  created: time('When it was created'),
  updated: time('When it last changed'),
};

export const WebhookSchema = Type.Object(webhookFields, { description: 'A webhook (without its signing secret)' });
export type WebhookView = Static<typeof WebhookSchema>;

export const CreatedWebhookSchema = Type.Object(
  {
    ...webhookFields,
    secret: Type.String({
      description:
        'The signing secret (whsec_ and base64), shown only in this response: it verifies both the webhook-signature and the X-Trophy-Signature headers',
    }),
  },
  { description: 'A new webhook, with its signing secret' },
);
export type CreatedWebhook = Static<typeof CreatedWebhookSchema>;

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String({ description: "The delivery's id" }),
    eventId: Type.String({ description: "The event's id, sent as webhook-id: receivers deduplicate by it" }),
    eventType: Type.String({ description: 'The event type (the body\'s "type")' }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')], {
      description: 'pending: not delivered yet (waiting for its next attempt); delivered: answered 2xx; dead: given up on',
    }),
    attempts: Type.Integer({ description: 'Attempts made so far' }),
    lastStatus: Nullable(Type.Integer({ description: "The receiver's status code at the last attempt; null if none came" })),
    lastError: Nullable(Type.String({ description: 'Why the last attempt failed; null if it did not' })),
    lastAttemptAt: Nullable(time('When the last attempt was made; null before the first')),
    nextAttemptAt: Nullable(time('When the next attempt is due; null unless pending')),
    deliveredAt: Nullable(time('When it was delivered; null until then')),
    created: time('When it was queued (or queued again by a retry or replay); it is retried for 24 hours after'),
  },
  { description: 'One delivery of one event to one webhook' },
);
export type WebhookDeliveryView = Static<typeof WebhookDeliverySchema>;

export const WebhookDeliveryPageSchema = Type.Object(
  {
    items: Type.Array(WebhookDeliverySchema, { description: 'Newest first' }),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last one' })),
  },
  { description: "One page of a webhook's delivery log" },
);
export type WebhookDeliveryPage = Static<typeof WebhookDeliveryPageSchema>;

export const WebhookReplaySchema = Type.Object(
  { queued: Type.Integer({ description: 'Deliveries queued (created, or reset to pending)' }) },
  { description: 'What a replay queued' },
);
export type WebhookReplay = Static<typeof WebhookReplaySchema>;

export const WebhookEventTypeSchema = Type.Object(
  {
    type: Type.String({ description: 'The event type, as eventTypes names it (e.g. achievement.completed)' }),
    description: Type.String({ description: 'When Laurel sends it, in words' }),
  },
  { description: 'An event type a webhook can subscribe to' },
);
export type WebhookEventType = Static<typeof WebhookEventTypeSchema>;

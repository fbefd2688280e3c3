/** Webhooks for admins: create (the secret shown once), edit, delete, the delivery log, retry, replay, ping. */
import type {
  CreatedWebhook,
  WebhookDeliveryPage,
  WebhookDeliveryView,
  WebhookEventType,
  WebhookReplay,
  WebhookView,
} from '../api/schemas/webhook-view.js';
import { conflict, invalid, notFound, unavailable } from '../domain/errors.js';
import { checkWebhookUrl, type DeliveryStatus, EVENT_TYPES, PING_EVENT, type Webhook } from '../domain/webhook.js';
import type { Delivery } from '../store/repositories/deliveries.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { idPrefix, randomId, timeOrderedId } from './ids.js';
import { iso } from './presenters.js';
import { generateWebhookSecret } from './webhook-signature.js';

export interface WebhookInput {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
}

export function webhookView(w: Webhook): WebhookView {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    eventTypes: w.eventTypes,
    enabled: w.enabled,
    created: iso(w.createdAt),
    updated: iso(w.updatedAt),
  };
}

export function deliveryView(d: Delivery): WebhookDeliveryView {
  return {
    id: d.id,
    eventId: d.outboxId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt === null ? null : iso(d.lastAttemptAt),
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    deliveredAt: d.deliveredAt === null ? null : iso(d.deliveredAt),
    created: iso(d.createdAt),
  };
}

/** The event types Laurel sends, to subscribe to. */
export function listEventTypes(): WebhookEventType[] {
  return EVENT_TYPES.map((e) => ({ ...e }));
}

const distinct = (types: readonly string[]) => [...new Set(types)];

export async function createWebhook(ctx: EngineContext, tenant: Tenant, input: WebhookInput & { url: string }): Promise<CreatedWebhook> {
  const now = ctx.clock.now();
  const webhook: Webhook = {
    id: randomId(),
    orgId: tenant.orgId,
    communityId: tenant.communityId,
    url: checkWebhookUrl(input.url),
    description: input.description ?? null,
    eventTypes: distinct(input.eventTypes ?? []),
    enabled: input.enabled ?? true,
    secret: generateWebhookSecret(),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.read.webhooks.insert(webhook);
  return { ...webhookView(webhook), secret: webhook.secret };
}

export async function listWebhooks(ctx: EngineContext, tenant: Tenant): Promise<WebhookView[]> {
  return (await ctx.store.read.webhooks.list(tenant)).map(webhookView);
}

async function find(ctx: EngineContext, tenant: Tenant, id: string): Promise<Webhook> {
  const webhook = await ctx.store.read.webhooks.get(tenant, id);
  if (!webhook) throw notFound('webhook_not_found', `There is no webhook "${id}"`, 'id');
  return webhook;
}

export async function getWebhook(ctx: EngineContext, tenant: Tenant, id: string): Promise<WebhookView> {
  return webhookView(await find(ctx, tenant, id));
}

export async function updateWebhook(ctx: EngineContext, tenant: Tenant, id: string, patch: WebhookInput): Promise<WebhookView> {
  const existing = await find(ctx, tenant, id);
  const webhook: Webhook = {
    ...existing,
    url: patch.url === undefined ? existing.url : checkWebhookUrl(patch.url),
    description: patch.description === undefined ? existing.description : patch.description,
    eventTypes: patch.eventTypes === undefined ? existing.eventTypes : distinct(patch.eventTypes),
    enabled: patch.enabled ?? existing.enabled,
    updatedAt: ctx.clock.now(),
  };
  await ctx.store.read.webhooks.update(webhook);
  // Re-enabled: its waiting deliveries are due.
  if (webhook.enabled && !existing.enabled) ctx.webhooks?.wake();
  return webhookView(webhook);
}

/** Deletes a webhook and its delivery log; answers what it was. */
export async function deleteWebhook(ctx: EngineContext, tenant: Tenant, id: string): Promise<WebhookView> {
  const webhook = await find(ctx, tenant, id);
  await ctx.store.read.webhooks.delete(tenant, id);
  return webhookView(webhook);
}

export async function listDeliveries(
  ctx: EngineContext,
  tenant: Tenant,
  id: string,
  options: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
): Promise<WebhookDeliveryPage> {
  await find(ctx, tenant, id);
  const page = await ctx.store.read.deliveries.list(tenant, id, {
    limit: options.limit,
    ...(options.cursor === undefined ? {} : { before: options.cursor }),
    ...(options.status === undefined ? {} : { status: options.status }),
  });
  return { items: page.deliveries.map(deliveryView), nextCursor: page.next };
}

/** Queues one delivery again, due now (whatever its status), with a fresh day of retries. */
export async function retryDelivery(ctx: EngineContext, tenant: Tenant, id: string, deliveryId: string): Promise<WebhookDeliveryView> {
  await find(ctx, tenant, id);
  const repos = ctx.store.read;
  if (!(await repos.deliveries.get(tenant, id, deliveryId)))
    throw notFound('delivery_not_found', `Webhook "${id}" has no delivery "${deliveryId}"`, 'deliveryId');
  if (!(await repos.deliveries.retry(tenant, id, deliveryId, ctx.clock.now())))
    throw conflict('delivery_in_flight', 'The delivery is being sent right now; retry once the attempt is recorded', 'deliveryId');
  ctx.webhooks?.wake();
  return deliveryView((await repos.deliveries.get(tenant, id, deliveryId)) as Delivery);
}

const instant = (value: string, field: string) => {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid('invalid_date', `${field} must be an ISO 8601 date and time`, field);
  return ms;
};

/** Queues again every event of [from, to] the webhook subscribes to (backfilled ones never). */
export async function replayWebhook(
  ctx: EngineContext,
  tenant: Tenant,
  id: string,
  range: { from: string; to: string },
): Promise<WebhookReplay> {
  const webhook = await find(ctx, tenant, id);
  const from = instant(range.from, 'from');
  const to = instant(range.to, 'to');
  if (from > to) throw invalid('invalid_range', 'from must not be after to', 'to');
  const now = ctx.clock.now();
  const queued = await ctx.store.read.deliveries.replay(tenant, webhook, { from, to }, now, idPrefix(now));
  ctx.webhooks?.wake();
  return { queued };
}

/**
 * Sends a `webhook.ping` event to the webhook now (enabled or not), signed like any event, and
 * answers its delivery after the attempt. A failed ping is retried like any delivery.
 */
export async function pingWebhook(ctx: EngineContext, tenant: Tenant, id: string): Promise<WebhookDeliveryView> {
  const deliverer = ctx.webhooks;
  if (!deliverer) throw unavailable('webhooks_unavailable', 'This process does not deliver webhooks');
  const webhook = await find(ctx, tenant, id);
  const now = ctx.clock.now();
  const eventId = timeOrderedId(now);
  const payload = { type: PING_EVENT, webhook: { id: webhook.id, url: webhook.url, eventTypes: webhook.eventTypes }, sentAt: iso(now) };
  const claim = await ctx.store.transaction(async (tx) => {
    await tx.outbox.append(tenant, [{ id: eventId, type: PING_EVENT, userId: null, payload, backfilled: false, createdAt: now }], now);
    const delivery = { id: timeOrderedId(now), webhookId: webhook.id, outboxId: eventId, eventType: PING_EVENT };
    return tx.deliveries.createClaimed(tenant, delivery, now, now + deliverer.leaseMs);
  });
  await deliverer.attempt(claim);
  return deliveryView((await ctx.store.read.deliveries.get(tenant, id, claim.id)) as Delivery);
}

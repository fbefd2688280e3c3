/**
 * Webhook deliveries: one row per webhook and outbox event. The dispatcher fans new outbox events
 * out to the webhooks that want them; senders claim due deliveries under a lease (PostgreSQL: FOR
 * UPDATE SKIP LOCKED, so several processes never take the same one), and record the outcome only
 * while their lease holds.
 */
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import { type DeliveryStatus, PING_EVENT } from '../../domain/webhook.js';
import type { Dialect } from '../dialect.js';
import type { DB, WebhookDeliveriesTable } from '../schema.js';
import type { Tenant } from '../tenant.js';

const PRUNE_CHUNK = 1_000;

export interface Delivery {
  id: string;
  webhookId: string;
  /** The outbox event's id: receivers deduplicate by it (`webhook-id`). */
  outboxId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: number | null;
  deliveredAt: number | null;
  /** When it was queued, or queued again by a retry or a replay: it is retried for a day after. */
  createdAt: number;
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    outboxId: row.outbox_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

/** What a sender needs for one claimed delivery. */
export interface ClaimedDelivery {
  id: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
  /** The claim's lease end, and its token: outcomes are recorded only while it is the row's. */
  lockedUntil: number;
  url: string;
  secret: string;
  outboxId: string;
  eventType: string;
  /** The event's JSON text as stored: sent and signed byte for byte. */
  payload: string;
}

/** A claimed delivery's attempt, to record. */
export type AttemptOutcome =
  | { delivered: true; status: number; at: number }
  | {
      delivered: false;
      /** The receiver's status code; null when no answer came (network error, time-out, refused address). */
      status: number | null;
      error: string;
      at: number;
      /** When to try again; null: never (the delivery is dead). */
      retryAt: number | null;
    };

export interface DeliveryPage {
  deliveries: Delivery[];
  /** Pass as `before` for the next page; null on the last one. */
  next: string | null;
}

export class DeliveriesRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Fans out up to `limit` outbox events not yet dispatched, in id order: one pending delivery per
   * enabled webhook of the event's community subscribed to its type; backfilled (silent) events
   * get none. Every event taken is marked dispatched. Returns how many events were taken.
   *
   * PostgreSQL: one statement (one transaction), the events taken locked (FOR UPDATE SKIP LOCKED)
   * so that other processes take others. SQLite (one process, one writer): three statements, and
   * no transaction is needed: run again after a crash between them, the insert adds nothing twice
   * (one delivery per webhook and event) and the events are marked then. Neither opens a
   * transaction of its own, so the background loop's statements are all its own (tests that count
   * an event's statements leave out those naming `webhook_deliveries` or `dispatched_at`).
   */
  async dispatch(now: number, idPrefix: string, limit: number): Promise<number> {
    const millis = sql`cast(${now} as bigint)`;
    const fanOut = (from: RawBuilder<unknown>, only: RawBuilder<unknown>) => sql`
      insert into webhook_deliveries (id, org_id, community_id, webhook_id, outbox_id, event_type, status, attempts, next_attempt_at, created_at)
      select ${this.orderedId(idPrefix, sql`o.id, w.id`)}, o.org_id, o.community_id, w.id, o.id, o.type, 'pending', 0, ${millis}, ${millis}
      from ${from}
      join webhooks w on w.org_id = o.org_id and w.community_id = o.community_id
      where ${only} and o.backfilled = 0 and w.enabled = 1
        and (w.event_types = '[]' or ${this.subscribed(sql.ref('w.event_types'), sql.ref('o.type'))})
      on conflict (webhook_id, outbox_id) do nothing`;
    if (this.dialect === 'postgres') {
      const result = await sql<{ events: number }>`
        with taken as (
          select id, org_id, community_id, type, backfilled from outbox
          where dispatched_at is null order by id limit ${limit} for update skip locked
        ), fanned as (
          ${fanOut(sql`taken o`, sql`true`)}
        ), marked as (
          update outbox set dispatched_at = ${now} where id in (select id from taken) returning id
        )
        select (select count(*) from marked)::int as events`.execute(this.db);
      return result.rows[0]?.events ?? 0;
    }
    const taken = await sql<{ id: string }>`
      select id from outbox where dispatched_at is null order by id limit ${limit}`.execute(this.db);
    const ids = taken.rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    await fanOut(sql`outbox o`, sql`o.id in (${sql.join(ids)})`).execute(this.db);
    await this.db.updateTable('outbox').set({ dispatched_at: now }).where('id', 'in', ids).execute();
    return ids.length;
  }

  /**
   * Claims up to `limit` due deliveries of enabled webhooks (pending, due, not leased or their
   * lease run out) and leases them until `now + leaseMs`. Once PostgreSQL has statistics of the
   * table, it walks the (status, next_attempt_at) index in order and stops after `limit` rows
   * (0.7 ms a claim with 7,600 due); before its first ANALYZE it sorts every due row (5 ms).
   */
  async claim(now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const lockedUntil = now + leaseMs;
    const claimed = await sql<{ id: string }>`
      update webhook_deliveries set locked_until = ${lockedUntil}
      where id in (
        select d.id from webhook_deliveries d
        where d.status = 'pending' and d.next_attempt_at <= ${now} and (d.locked_until is null or d.locked_until < ${now})
          and exists (select 1 from webhooks w where w.id = d.webhook_id and w.enabled = 1)
        order by d.next_attempt_at
        limit ${limit}
        ${lock})
      returning id`.execute(this.db);
    return this.claimed(
      claimed.rows.map((r) => r.id),
      lockedUntil,
    );
  }

  /** Queues one delivery already claimed by its creator until `lockedUntil` (a ping, sent at once). */
  async createClaimed(
    tenant: Tenant,
    delivery: { id: string; webhookId: string; outboxId: string; eventType: string },
    now: number,
    lockedUntil: number,
  ): Promise<ClaimedDelivery> {
    await this.db
      .insertInto('webhook_deliveries')
      .values({
        id: delivery.id,
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        webhook_id: delivery.webhookId,
        outbox_id: delivery.outboxId,
        event_type: delivery.eventType,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: lockedUntil,
        created_at: now,
      })
      .execute();
    const [claimed] = await this.claimed([delivery.id], lockedUntil);
    if (!claimed) throw new Error(`Delivery ${delivery.id} vanished as it was created`);
    return claimed;
  }

  private async claimed(ids: readonly string[], lockedUntil: number): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .innerJoin('outbox as o', 'o.id', 'd.outbox_id')
      .select(['d.id', 'd.attempts', 'd.created_at', 'd.outbox_id', 'd.event_type', 'w.url', 'w.secret', 'o.payload'])
      .where('d.id', 'in', ids)
      .orderBy('d.next_attempt_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      createdAt: r.created_at,
      lockedUntil,
      url: r.url,
      secret: r.secret,
      outboxId: r.outbox_id,
      eventType: r.event_type,
      payload: r.payload,
    }));
  }

  /**
   * Records claimed deliveries' attempts in one statement; answers the ids recorded. An attempt
   * whose claim no longer holds (it ran out and another claim took the delivery) is not.
   */
  async record(attempts: readonly { claim: ClaimedDelivery; outcome: AttemptOutcome }[]): Promise<Set<string>> {
    if (attempts.length === 0) return new Set();
    const int8 = (value: number | null) => sql`cast(${value} as bigint)`;
    const rows = attempts.map(({ claim, outcome }) => {
      const status: DeliveryStatus = outcome.delivered ? 'delivered' : outcome.retryAt === null ? 'dead' : 'pending';
      const error = outcome.delivered ? null : outcome.error;
      const next = outcome.delivered ? null : outcome.retryAt;
      return sql`(${claim.id}, ${int8(claim.lockedUntil)}, ${status}, ${int8(outcome.status)}, cast(${error} as text), ${int8(outcome.at)}, ${int8(next)})`;
    });
    // VALUES columns are column1… in both dialects: id, lease token, status, code, error, time, next attempt.
    const result = await sql<{ id: string }>`
      update webhook_deliveries set
        attempts = attempts + 1,
        locked_until = null,
        status = v.column3,
        last_status = v.column4,
        last_error = v.column5,
        last_attempt_at = v.column6,
        delivered_at = case when v.column3 = 'delivered' then v.column6 else delivered_at end,
        next_attempt_at = coalesce(v.column7, next_attempt_at)
      from (values ${sql.join(rows)}) as v
      where webhook_deliveries.id = v.column1 and webhook_deliveries.locked_until = v.column2 and webhook_deliveries.status = 'pending'
      returning id`.execute(this.db);
    return new Set(result.rows.map((r) => r.id));
  }

  async get(tenant: Tenant, webhookId: string, id: string): Promise<Delivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('webhook_id', '=', webhookId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  /** A webhook's deliveries, newest first (ids are time-ordered), `limit` at a time, from before the id `before`. */
  async list(
    tenant: Tenant,
    webhookId: string,
    options: { limit: number; before?: string; status?: DeliveryStatus },
  ): Promise<DeliveryPage> {
    let query = this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('webhook_id', '=', webhookId);
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit).map(toDelivery);
    return { deliveries: page, next: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /**
   * Queues a delivery again, due now, with a fresh day of retries; false when it does not exist
   * or is being sent right now (its lease holds).
   */
  async retry(tenant: Tenant, webhookId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now, created_at: now, delivered_at: null })
      .where('community_id', '=', tenant.communityId)
      .where('webhook_id', '=', webhookId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Queues again, due now, every event of the webhook's community created in [from, to] of the
   * types it subscribes to (`eventTypes` empty: all), never backfilled ones or pings: a delivery
   * that exists is reset to pending (unless being sent right now), one that does not is created.
   * Returns how many were queued.
   */
  async replay(
    tenant: Tenant,
    webhook: { id: string; eventTypes: readonly string[] },
    range: { from: number; to: number },
    now: number,
    idPrefix: string,
  ): Promise<number> {
    const millis = sql`cast(${now} as bigint)`;
    const types = webhook.eventTypes.length > 0 ? sql`and o.type in (${sql.join(webhook.eventTypes)})` : sql``;
    const result = await sql`
      insert into webhook_deliveries (id, org_id, community_id, webhook_id, outbox_id, event_type, status, attempts, next_attempt_at, created_at)
      select ${this.orderedId(idPrefix, sql`o.id`)}, o.org_id, o.community_id, ${webhook.id}, o.id, o.type, 'pending', 0, ${millis}, ${millis}
      from outbox o
      where o.org_id = ${tenant.orgId} and o.community_id = ${tenant.communityId}
        and o.created_at >= ${range.from} and o.created_at <= ${range.to}
        and o.backfilled = 0 and o.type <> ${PING_EVENT} ${types}
      on conflict (webhook_id, outbox_id) do update
        set status = 'pending', next_attempt_at = ${now}, created_at = ${now}, delivered_at = null
        where webhook_deliveries.locked_until is null or webhook_deliveries.locked_until < ${now}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Deletes delivered and dead deliveries queued before `before`, in chunks. */
  async prune(before: number): Promise<number> {
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    let deleted = 0;
    for (;;) {
      const result = await sql`
        delete from webhook_deliveries where id in (
          select id from webhook_deliveries
          where status in ('delivered', 'dead') and created_at < ${before}
          limit ${PRUNE_CHUNK}
          ${lock})`.execute(this.db);
      const n = Number(result.numAffectedRows ?? 0);
      deleted += n;
      if (n < PRUNE_CHUNK) return deleted;
    }
  }

  /** Whether the JSON array of event types in `types` holds `type`. */
  private subscribed(types: RawBuilder<unknown> | ReturnType<typeof sql.ref>, type: ReturnType<typeof sql.ref>): RawBuilder<unknown> {
    return this.dialect === 'postgres'
      ? sql`${types}::jsonb @> jsonb_build_array(${type})`
      : sql`exists (select 1 from json_each(${types}) where json_each.value = ${type})`;
  }

  /**
   * `prefix` followed by the row's number in `order`, as 8 hex digits: time-ordered ids (as
   * backfill makes them) that list a fan-out's deliveries in the order of their events.
   */
  private orderedId(prefix: string, order: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.dialect === 'postgres'
      ? sql`${prefix} || lpad(to_hex(row_number() over (order by ${order})), 8, '0')`
      : sql`${prefix} || printf('%08x', row_number() over (order by ${order}))`;
  }
}

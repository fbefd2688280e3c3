/**
 * The outbox outside ingest: events written by other use cases (a webhook's ping), and retention.
 * Ingest writes its rows through `IngestStore` in its own transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { OutboxRecord } from '../ingest/ingest-store.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

const CHUNK = 1_000;

export class OutboxRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Appends events. `dispatchedAt` set: they are not fanned out to the community's webhooks (a
   * ping, whose one delivery its use case creates).
   */
  async append(tenant: Tenant, records: readonly OutboxRecord[], dispatchedAt: number | null = null): Promise<void> {
    if (records.length === 0) return;
    await this.db
      .insertInto('outbox')
      .values(
        records.map((r) => ({
          id: r.id,
          org_id: tenant.orgId,
          community_id: tenant.communityId,
          type: r.type,
          user_id: r.userId,
          payload: JSON.stringify(r.payload),
          backfilled: r.backfilled ? 1 : 0,
          created_at: r.createdAt,
          dispatched_at: dispatchedAt,
        })),
      )
      .execute();
  }

  /**
   * Deletes events from before `before` that were fanned out and that no delivery refers to any
   * more (prune the deliveries first), in chunks; on PostgreSQL skipping rows another process is
   * deleting. A delivery kept (pending, or queued again by a retry) keeps its event.
   */
  async prune(before: number): Promise<number> {
    // PostgreSQL plans NOT EXISTS as an anti-join; SQLite builds the NOT IN list once, where NOT
    // EXISTS would scan the deliveries per event (no index leads with outbox_id).
    const unreferenced =
      this.dialect === 'postgres'
        ? sql`not exists (select 1 from webhook_deliveries d where d.outbox_id = o.id)`
        : sql`o.id not in (select outbox_id from webhook_deliveries)`;
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    let deleted = 0;
    for (;;) {
      const result = await sql`
        delete from outbox where id in (
          select o.id from outbox o
          where o.created_at < ${before} and o.dispatched_at is not null and ${unreferenced}
          limit ${CHUNK}
          ${lock})`.execute(this.db);
      const n = Number(result.numAffectedRows ?? 0);
      deleted += n;
      if (n < CHUNK) break;
    }
    // A celebration seen long ago whose event is gone no longer needs its mark.
    await sql`
      delete from celebrations_seen
      where seen_at < ${before} and not exists (select 1 from outbox o where o.id = celebrations_seen.outbox_id)`.execute(this.db);
    return deleted;
  }
}

/**
 * Pruning raw history by age. Totals, day totals, streaks and awards are kept: they are the state
 * Laurel works from. Deletes go in chunks so no single statement holds locks for long.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

const CHUNK = 10_000;

export class RetentionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Deletes a metric's events from before `before`, through the (community, metric, time) index. */
  async pruneEvents(tenant: Tenant, metricId: string, before: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const result = await sql`
        delete from events where id in (
          select id from events
          where community_id = ${tenant.communityId} and metric_id = ${metricId} and occurred_at < ${before}
          limit ${CHUNK})`.execute(this.db);
      const n = Number(result.numAffectedRows ?? 0);
      deleted += n;
      if (n < CHUNK) return deleted;
    }
  }

  /** Deletes idempotency keys recorded before `before`: a replay of one after that counts again. */
  async pruneIdempotencyKeys(tenant: Tenant, before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('idempotency_keys')
      .where('community_id', '=', tenant.communityId)
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes finished jobs older than `before`. */
  async pruneJobs(tenant: Tenant, before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('jobs')
      .where('community_id', '=', tenant.communityId)
      .where('status', '=', 'done')
      .where('updated_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/** Background work that must happen exactly once across processes: backfills, daily sweeps. */
export function jobsSchema(dialect: Dialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        // Enqueuing the same dedupe key twice makes one job (a daily sweep enqueued by every process).
        .addColumn('dedupe_key', 'text', (c) => c.unique())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`))
        .addColumn('run_at', t.millis, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', t.millis)
        .addColumn('result', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .execute();
      // The claim query: due jobs in order.
      await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
      // Retention: pruning old idempotency keys by age.
      await db.schema.createIndex('idempotency_keys_by_age').on('idempotency_keys').columns(['community_id', 'created_at']).execute();
    },
  };
}

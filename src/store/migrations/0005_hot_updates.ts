import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Running totals change on every event, so no index may hold them: an update that changes an
 * indexed column rewrites that index entry (SQLite) or rules out a heap-only update (PostgreSQL),
 * one more random page per event. Backfill still finds a metric's or an achievement's rows by
 * index and reads their totals from the table. On PostgreSQL the hot tables leave room in each
 * page so that updates can stay on it (heap-only tuples, no index writes at all).
 */
export function hotUpdatesSchema(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('user_metrics_by_metric').execute();
      await db.schema.createIndex('user_metrics_by_metric').on('user_metrics').columns(['community_id', 'metric_id']).execute();
      await db.schema.dropIndex('achievement_counters_by_achievement').execute();
      await db.schema.createIndex('achievement_counters_by_achievement').on('achievement_counters').column('achievement_id').execute();
      if (dialect === 'postgres') {
        for (const table of ['user_metrics', 'achievement_counters', 'user_day_totals', 'user_points']) {
          await sql`alter table ${sql.table(table)} set (fillfactor = 80)`.execute(db);
        }
      }
    },
  };
}

import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * Time-aware state: per-day totals (in each user's own calendar), streak definitions and each
 * user's streak points, users' targets, and the local day of every stored event.
 */
export function timeSchema(dialect: Dialect) {
  const t = columnTypes(dialect);
  const compact = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return {
    async up(db: Kysely<any>): Promise<void> {
      // The event's day in the user's calendar when it arrived, so day series can be rebuilt in SQL.
      await db.schema.alterTable('events').addColumn('local_day', 'integer').execute();

      await db.schema
        .createTable('user_day_totals')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        // A metric's id (all its events) or an achievement's id (only the events it counts).
        .addColumn('series_id', 'text', (c) => c.notNull())
        // Days since 1970-01-01 in the user's calendar.
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('total', t.real, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('first_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_day_totals_pk', ['community_id', 'user_id', 'series_id', 'day'])
        .modifyEnd(compact)
        .execute();
      // Backfill of windowed and period achievements works per series.
      await db.schema.createIndex('user_day_totals_by_series').on('user_day_totals').columns(['series_id', 'user_id', 'day']).execute();

      await db.schema
        .createTable('streaks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('daily', 'weekly', 'monthly')`))
        .addColumn('metrics', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('all', 'any')`))
        .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('freezes', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'archived')`))
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addUniqueConstraint('streaks_key_unique', ['community_id', 'key'])
        .execute();

      await db.schema
        .createTable('user_streak_points')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('streak_id', 'text', (c) => c.notNull())
        // First day of a period that qualified.
        .addColumn('period', 'integer', (c) => c.notNull())
        .addColumn('length', 'integer', (c) => c.notNull())
        .addColumn('started', 'integer', (c) => c.notNull())
        .addColumn('freezes', 'integer', (c) => c.notNull())
        .addColumn('earn_anchor', 'integer', (c) => c.notNull())
        .addColumn('extended_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_streak_points_pk', ['community_id', 'user_id', 'streak_id', 'period'])
        .modifyEnd(compact)
        .execute();
      // Backfill of streak achievements: the longest streak per user.
      await db.schema.createIndex('user_streak_points_by_streak').on('user_streak_points').columns(['streak_id', 'length']).execute();

      await db.schema
        .createTable('user_targets')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull())
        .addColumn('value', t.real, (c) => c.notNull())
        .addColumn('per', 'text', (c) => c.notNull().check(sql`per in ('day', 'week', 'month')`))
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_targets_pk', ['community_id', 'user_id', 'metric_id'])
        .modifyEnd(compact)
        .execute();
    },
  };
}

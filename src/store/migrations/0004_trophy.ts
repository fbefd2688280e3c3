import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/** Points triggers, leaderboards (entries per run and group, daily history) and notification preferences. */
export function trophySchema(dialect: Dialect) {
  const t = columnTypes(dialect);
  const compact = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('points_triggers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text', (c) => c.notNull().references('points_systems.id'))
        .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('metric', 'achievement', 'streak', 'user_creation')`))
        .addColumn('points', t.real, (c) => c.notNull())
        .addColumn('metric_id', 'text')
        .addColumn('metric_threshold', t.real)
        .addColumn('achievement_id', 'text')
        .addColumn('streak_length', 'integer')
        .addColumn('event_filter', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('user_filter', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'inactive', 'archived')`))
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('leaderboards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('inactive', 'active', 'archived')`))
        .addColumn('rank_by', 'text', (c) => c.notNull().check(sql`rank_by in ('metric', 'points', 'streak')`))
        .addColumn('metric_id', 'text')
        .addColumn('points_system_id', 'text')
        .addColumn('streak_id', 'text')
        .addColumn('max_participants', 'integer', (c) => c.notNull())
        .addColumn('breakdown_attribute', 'text')
        .addColumn('start_day', 'integer', (c) => c.notNull())
        .addColumn('end_day', 'integer')
        .addColumn('run_unit', 'text')
        .addColumn('run_interval', 'integer')
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addUniqueConstraint('leaderboards_key_unique', ['community_id', 'key'])
        .execute();

      await db.schema
        .createTable('leaderboard_entries')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('leaderboard_id', 'text', (c) => c.notNull())
        // First day of the run; 0 for a leaderboard without runs.
        .addColumn('run', 'integer', (c) => c.notNull())
        // The user's value of the breakdown attribute ('' without breakdown).
        .addColumn('grp', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('value', t.real, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('leaderboard_entries_pk', ['leaderboard_id', 'run', 'grp', 'user_id'])
        .modifyEnd(compact)
        .execute();
      // Ranks: how many are above a value, and the rankings page, both in value order.
      await db.schema
        .createIndex('leaderboard_entries_by_value')
        .on('leaderboard_entries')
        .columns(['leaderboard_id', 'run', 'grp', 'value'])
        .execute();

      await db.schema
        .createTable('leaderboard_history')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('leaderboard_id', 'text', (c) => c.notNull())
        .addColumn('run', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('previous_rank', 'integer')
        .addColumn('rank', 'integer')
        .addColumn('previous_value', t.real)
        .addColumn('value', t.real)
        .addPrimaryKeyConstraint('leaderboard_history_pk', ['leaderboard_id', 'run', 'user_id', 'day'])
        .modifyEnd(compact)
        .execute();

      await db.schema
        .createTable('user_preferences')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('notifications', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_preferences_pk', ['community_id', 'user_id'])
        .modifyEnd(compact)
        .execute();
    },
  };
}

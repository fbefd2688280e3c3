import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * The core schema. Every table carries org_id and community_id; the hot tables are keyed by
 * (community_id, user_id, ...) so a distributed engine can shard them by (community, user).
 */
export function initialSchema(dialect: Dialect) {
  const t = columnTypes(dialect);
  // Composite-key tables are clustered on their key in SQLite; PostgreSQL has no such option.
  const compact = dialect === 'sqlite' ? sql`without rowid` : sql``;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('communities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('config_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('admin', 'application')`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('revoked_at', t.millis)
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('email', 'text')
        .addColumn('tz', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('subscribe_to_emails', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('device_tokens', 'text')
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('users_pk', ['community_id', 'id'])
        .modifyEnd(compact)
        .execute();

      await db.schema
        .createTable('metrics')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('unit', 'text')
        .addColumn('unit_singular', 'text')
        .addColumn('verb', 'text')
        .addColumn('translations', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'archived')`))
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addUniqueConstraint('metrics_key_unique', ['community_id', 'key'])
        .execute();

      await db.schema
        .createTable('points_systems')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('badge_url', 'text')
        .addColumn('max_points', t.real)
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('xp', 'spendable')`))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'archived')`))
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addUniqueConstraint('points_systems_key_unique', ['community_id', 'key'])
        .execute();

      await db.schema
        .createTable('points_levels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text', (c) => c.notNull().references('points_systems.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('badge_url', 'text')
        .addColumn('points', t.real, (c) => c.notNull())
        .addUniqueConstraint('points_levels_key_unique', ['system_id', 'key'])
        .execute();

      await db.schema
        .createTable('achievements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('badge_url', 'text')
        .addColumn('category', 'text')
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('featured', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'active', 'locked', 'archived')`))
        .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('community', 'org')`))
        .addColumn('criteria', 'text', (c) => c.notNull())
        .addColumn('tiers', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('rewards', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('policies', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('translations', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('celebration', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('email_on_unlock', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('activated_at', t.millis)
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('updated_at', t.millis, (c) => c.notNull())
        .addUniqueConstraint('achievements_key_unique', ['community_id', 'key'])
        .execute();

      await db.schema
        .createTable('achievement_stats')
        .addColumn('achievement_id', 'text', (c) => c.primaryKey().references('achievements.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('completions', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('unlocks', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('user_metrics')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull())
        .addColumn('total', t.real, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('first_at', t.millis, (c) => c.notNull())
        .addColumn('last_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_metrics_pk', ['community_id', 'user_id', 'metric_id'])
        .modifyEnd(compact)
        .execute();
      // Backfill of an unfiltered metric achievement selects users by metric and total.
      await db.schema.createIndex('user_metrics_by_metric').on('user_metrics').columns(['community_id', 'metric_id', 'total']).execute();

      await db.schema
        .createTable('achievement_counters')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('achievement_id', 'text', (c) => c.notNull())
        .addColumn('total', t.real, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('achievement_counters_pk', ['community_id', 'user_id', 'achievement_id'])
        .modifyEnd(compact)
        .execute();
      // Backfill and resets of filtered achievements work per achievement.
      await db.schema
        .createIndex('achievement_counters_by_achievement')
        .on('achievement_counters')
        .columns(['achievement_id', 'total'])
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull())
        .addColumn('value', t.real, (c) => c.notNull())
        .addColumn('attributes', 'text')
        .addColumn('occurred_at', t.millis, (c) => c.notNull())
        .addColumn('received_at', t.millis, (c) => c.notNull())
        .execute();
      // Backfill of a filtered achievement aggregates one metric's events, and retention prunes by time.
      await db.schema.createIndex('events_by_metric_time').on('events').columns(['community_id', 'metric_id', 'occurred_at']).execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('metric_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['community_id', 'user_id', 'metric_id', 'key'])
        .modifyEnd(compact)
        .execute();

      await db.schema
        .createTable('awards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('achievement_id', 'text', (c) => c.notNull())
        .addColumn('tier_key', 'text', (c) => c.notNull())
        .addColumn('period_key', 'text', (c) => c.notNull())
        .addColumn('achieved_at', t.millis, (c) => c.notNull())
        .addColumn('event_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('event', 'api', 'backfill', 'composite', 'sweep')`))
        .addColumn('backfilled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rewards', 'text', (c) => c.notNull().defaultTo('[]'))
        // Which backfill run wrote the row, so that run can pay rewards for exactly its own rows.
        .addColumn('backfill_run', 'text')
        // The guarantee that a tier is never awarded twice for the same period lives here.
        .addUniqueConstraint('awards_once', ['community_id', 'user_id', 'achievement_id', 'tier_key', 'period_key'])
        .execute();
      // A user's activity feed, newest first.
      await db.schema.createIndex('awards_by_user_time').on('awards').columns(['community_id', 'user_id', 'achieved_at']).execute();
      // An achievement's latest unlocks and backfill's set-based reads.
      await db.schema.createIndex('awards_by_achievement_time').on('awards').columns(['achievement_id', 'achieved_at']).execute();

      // Paying rewards for the rows one backfill run wrote; rows written by events have no run.
      await db.schema
        .createIndex('awards_by_backfill_run')
        .on('awards')
        .column('backfill_run')
        .where(sql.ref('backfill_run'), 'is not', null)
        .execute();

      await db.schema
        .createTable('user_points')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text', (c) => c.notNull())
        .addColumn('total', t.real, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_points_pk', ['community_id', 'user_id', 'system_id'])
        .modifyEnd(compact)
        .execute();

      await db.schema
        .createTable('points_awards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text', (c) => c.notNull())
        .addColumn('amount', t.real, (c) => c.notNull())
        .addColumn('total_after', t.real, (c) => c.notNull())
        .addColumn('trigger_type', 'text', (c) => c.notNull())
        .addColumn('trigger_id', 'text')
        .addColumn('award_id', 'text')
        .addColumn('event_id', 'text')
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();
      // A user's recent awards in one points system.
      await db.schema
        .createIndex('points_awards_by_user')
        .on('points_awards')
        .columns(['community_id', 'user_id', 'system_id', 'created_at'])
        .execute();
    },
  };
}

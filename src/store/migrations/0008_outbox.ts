import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * What happened, for whoever must hear of it: the outbox (written in the transaction of the change
 * itself, so nothing committed goes unannounced and nothing rolled back is announced), the
 * community's webhooks, and one delivery row per webhook and outbox event, claimed by one process
 * at a time and retried until delivered or given up on.
 */
export function outboxSchema(dialect: Dialect) {
  const { millis } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('backfilled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', millis, (c) => c.notNull())
        .addColumn('dispatched_at', millis)
        .execute();
      // The dispatcher's queue: only rows not yet fanned out to webhooks, in order.
      await db.schema.createIndex('outbox_pending').on('outbox').column('id').where(sql.ref('dispatched_at'), 'is', null).execute();
      await db.schema.createIndex('outbox_by_time').on('outbox').columns(['community_id', 'created_at']).execute();

      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('event_types', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', millis, (c) => c.notNull())
        .addColumn('updated_at', millis, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_by_community').on('webhooks').column('community_id').execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('webhook_id', 'text', (c) => c.notNull())
        .addColumn('outbox_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', millis, (c) => c.notNull())
        .addColumn('locked_until', millis)
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('last_attempt_at', millis)
        .addColumn('delivered_at', millis)
        .addColumn('created_at', millis, (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'outbox_id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('webhook_deliveries_by_webhook').on('webhook_deliveries').columns(['webhook_id', 'created_at']).execute();
    },
  };
}

import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * Emails on unlock: the outbox rows the email fan-out has looked at (its own marker, apart from the
 * webhooks' `dispatched_at`), one email per unlock it keeps, claimed and retried like webhook
 * deliveries, and the install's secrets (the unsubscribe links' HMAC key).
 */
export function emailsSchema(dialect: Dialect) {
  const { millis } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('outbox').addColumn('email_checked_at', millis).execute();
      // Rows written before emails existed are not emailed about.
      await db.updateTable('outbox').set({ email_checked_at: 0 }).execute();
      await db.schema
        .createIndex('outbox_email_pending')
        .on('outbox')
        .column('id')
        .where(sql.ref('email_checked_at'), 'is', null)
        .execute();

      await db.schema
        .createTable('email_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('outbox_id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', millis, (c) => c.notNull())
        .addColumn('locked_until', millis)
        .addColumn('last_error', 'text')
        .addColumn('sent_at', millis)
        .addColumn('created_at', millis, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('email_deliveries_due').on('email_deliveries').columns(['status', 'next_attempt_at']).execute();

      await db.schema
        .createTable('install_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

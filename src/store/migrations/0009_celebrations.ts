import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * Celebrations are the outbox's announcements a member sees (unlocks, levels, streak milestones):
 * read by user, newest after a given one, and marked seen per user.
 */
export function celebrationsSchema(dialect: Dialect) {
  const { millis } = columnTypes(dialect);
  const compact = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('outbox_by_user').on('outbox').columns(['community_id', 'user_id', 'id']).execute();
      await db.schema
        .createTable('celebrations_seen')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('outbox_id', 'text', (c) => c.notNull())
        .addColumn('seen_at', millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('celebrations_seen_pk', ['community_id', 'user_id', 'outbox_id'])
        .modifyEnd(compact)
        .execute();
    },
  };
}

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * How many users each community has, kept as it changes: rarity divides by it on every read, and
 * counting a million users there would make reads as slow as the community is large. Spread over
 * a few rows (shards) so that concurrent transactions creating users rarely wait on the same one.
 */
export function userCountsSchema(dialect: Dialect) {
  const compact = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('community_user_counts')
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('shard', 'integer', (c) => c.notNull())
        .addColumn('users', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('community_user_counts_pk', ['community_id', 'shard'])
        .modifyEnd(compact)
        .execute();
      await sql`insert into community_user_counts (community_id, shard, users)
                select community_id, 0, count(*) from users group by community_id`.execute(db);
    },
  };
}

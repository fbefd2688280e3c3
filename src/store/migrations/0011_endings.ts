import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * What the hourly sweep announces as ended. A streak point's `lost_at` is when the streak it
 * carries is lost if nothing extends it: ingest keeps it on the latest point of a running streak
 * and the sweep clears it once it has announced the loss, so the partial index holds only streaks
 * still running or lost and not yet announced. `leaderboard_finishes` records each leaderboard
 * run announced as finished; its key keeps that to once.
 */
export function endingsSchema(dialect: Dialect) {
  const { millis } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('user_streak_points').addColumn('lost_at', millis).execute();
      await db.schema
        .createIndex('user_streak_points_losing')
        .on('user_streak_points')
        .columns(['community_id', 'lost_at'])
        .where(sql.ref('lost_at'), 'is not', null)
        .execute();

      await db.schema
        .createTable('leaderboard_finishes')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('leaderboard_id', 'text', (c) => c.notNull())
        // First day of the run.
        .addColumn('run', 'integer', (c) => c.notNull())
        .addColumn('finished_at', millis, (c) => c.notNull())
        .addPrimaryKeyConstraint('leaderboard_finishes_pk', ['leaderboard_id', 'run'])
        .execute();
    },
  };
}

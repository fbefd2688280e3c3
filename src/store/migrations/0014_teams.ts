import { type Kysely, sql } from 'kysely';
import { columnTypes, type Dialect } from '../dialect.js';

/**
 * Teams (a tree by `parent_id`) and users' dated membership of them. A membership is a period
 * [from_at, until_at) with until_at null while it runs. "Teams of user u at t" reads the primary
 * key's (community, user) prefix; "members of team T at t" and current member counts read
 * `team_memberships_by_team`.
 */
export function teamsSchema(dialect: Dialect) {
  const { millis } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text', (c) => c.references('teams.id'))
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'archived')`))
        .addColumn('created_at', millis, (c) => c.notNull())
        .addColumn('updated_at', millis, (c) => c.notNull())
        .addUniqueConstraint('teams_key_unique', ['community_id', 'key'])
        .execute();

      await db.schema
        .createTable('team_memberships')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('community_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
        .addColumn('from_at', millis, (c) => c.notNull())
        .addColumn('until_at', millis)
        .addPrimaryKeyConstraint('team_memberships_pk', ['community_id', 'user_id', 'team_id', 'from_at'])
        .addCheckConstraint('team_memberships_period', sql`until_at is null or until_at > from_at`)
        .execute();
      await db.schema.createIndex('team_memberships_by_team').on('team_memberships').columns(['team_id', 'from_at', 'until_at']).execute();
    },
  };
}

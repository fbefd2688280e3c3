import type { Kysely, Selectable } from 'kysely';
import type { Team } from '../../domain/team.js';
import type { DB, TeamsTable } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** A community's teams (the tree itself; who is in them is `TeamMembershipsRepository`'s). */
export class TeamsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Every team, archived ones included, oldest first. */
  async list(tenant: Tenant): Promise<Team[]> {
    const rows = await this.db
      .selectFrom('teams')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .orderBy('key', 'asc')
      .execute();
    return rows.map(toTeam);
  }

  async getByKey(tenant: Tenant, key: string): Promise<Team | undefined> {
    const row = await this.db
      .selectFrom('teams')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && toTeam(row);
  }

  async insert(tenant: Tenant, team: Team): Promise<void> {
    await this.db
      .insertInto('teams')
      .values({ org_id: tenant.orgId, community_id: tenant.communityId, ...teamColumns(team) })
      .execute();
  }

  async update(tenant: Tenant, team: Team): Promise<void> {
    const { id, created_at: _created, key: _key, ...columns } = teamColumns(team);
    await this.db.updateTable('teams').set(columns).where('community_id', '=', tenant.communityId).where('id', '=', id).execute();
  }
}

function toTeam(row: Selectable<TeamsTable>): Team {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    parentId: row.parent_id,
    status: row.status,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function teamColumns(t: Team) {
  return {
    id: t.id,
    key: t.key,
    name: t.name,
    parent_id: t.parentId,
    status: t.status,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

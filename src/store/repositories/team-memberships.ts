import type { Kysely } from 'kysely';
import type { MembershipPeriod } from '../../domain/team.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** Users' dated membership of teams: periods [from, until), until null while the membership runs. */
export class TeamMembershipsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Every period of these users, oldest first (one statement, on the primary key's prefix). */
  async periodsOf(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, MembershipPeriod[]>> {
    const periods = new Map<string, MembershipPeriod[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return periods;
    const rows = await this.db
      .selectFrom('team_memberships')
      .select(['user_id', 'team_id', 'from_at', 'until_at'])
      .where('community_id', '=', tenant.communityId)
      .where('user_id', 'in', [...new Set(userIds)])
      .orderBy('from_at', 'asc')
      .orderBy('team_id', 'asc')
      .execute();
    for (const r of rows) {
      periods.get(r.user_id)?.push({ teamId: r.team_id, from: Number(r.from_at), until: r.until_at === null ? null : Number(r.until_at) });
    }
    return periods;
  }

  /** The ids of the teams a user was in at time `t`. */
  async teamsAt(tenant: Tenant, userId: string, t: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('team_memberships')
      .select('team_id')
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .where('from_at', '<=', t)
      .where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', t)]))
      .orderBy('team_id')
      .execute();
    return rows.map((r) => r.team_id);
  }

  /** The ids of the users who were in a team at time `t`. */
  async membersAt(teamId: string, t: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('team_memberships')
      .select('user_id')
      .where('team_id', '=', teamId)
      .where('from_at', '<=', t)
      .where((eb) => eb.or([eb('until_at', 'is', null), eb('until_at', '>', t)]))
      .orderBy('user_id')
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** How many members each team has now, by team id (teams without any are absent). */
  async currentCounts(tenant: Tenant): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('team_memberships')
      .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('community_id', '=', tenant.communityId)
      .where('until_at', 'is', null)
      .groupBy('team_id')
      .execute();
    return new Map(rows.map((r) => [r.team_id, Number(r.n)]));
  }

  /** Applies one user's membership diff (`membershipDiff`): periods are identified by team and start. */
  async write(
    tenant: Tenant,
    userId: string,
    diff: { inserted: readonly MembershipPeriod[]; deleted: readonly MembershipPeriod[]; updated: readonly MembershipPeriod[] },
  ): Promise<void> {
    for (const p of diff.deleted) {
      await this.db
        .deleteFrom('team_memberships')
        .where('community_id', '=', tenant.communityId)
        .where('user_id', '=', userId)
        .where('team_id', '=', p.teamId)
        .where('from_at', '=', p.from)
        .execute();
    }
    for (const p of diff.updated) {
      await this.db
        .updateTable('team_memberships')
        .set({ until_at: p.until })
        .where('community_id', '=', tenant.communityId)
        .where('user_id', '=', userId)
        .where('team_id', '=', p.teamId)
        .where('from_at', '=', p.from)
        .execute();
    }
    if (diff.inserted.length > 0) {
      await this.db
        .insertInto('team_memberships')
        .values(
          diff.inserted.map((p) => ({
            org_id: tenant.orgId,
            community_id: tenant.communityId,
            user_id: userId,
            team_id: p.teamId,
            from_at: p.from,
            until_at: p.until,
          })),
        )
        .execute();
    }
  }

  /** Ends every running membership of a team at `at` (the team is archived); returns how many ended. */
  async closeTeam(tenant: Tenant, teamId: string, at: number): Promise<number> {
    // A membership that started at `at` itself would become empty: it goes instead.
    await this.db
      .deleteFrom('team_memberships')
      .where('community_id', '=', tenant.communityId)
      .where('team_id', '=', teamId)
      .where('until_at', 'is', null)
      .where('from_at', '>=', at)
      .execute();
    const result = await this.db
      .updateTable('team_memberships')
      .set({ until_at: at })
      .where('community_id', '=', tenant.communityId)
      .where('team_id', '=', teamId)
      .where('until_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

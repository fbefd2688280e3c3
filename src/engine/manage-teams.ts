/**
 * Teams for admins (create, list, read, edit, archive) and users' dated membership of them:
 * the change every path shares (users API, events, admin corrections) and the admin's reads.
 */
import type { TeamView, UserTeamsView } from '../api/schemas/team-view.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import {
  checkParent,
  latestChange,
  type MembershipPeriod,
  membershipDiff,
  membershipFrom,
  resolveTeamKeys,
  type Team,
  teamPath,
} from '../domain/team.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { iso } from './presenters.js';

export interface TeamInput {
  name?: string;
  parent?: string | null;
  status?: 'active' | 'archived';
}

function teamView(team: Team, byId: ReadonlyMap<string, Team>, counts: ReadonlyMap<string, number>): TeamView {
  return {
    key: team.key,
    name: team.name,
    parent: team.parentId ? (byId.get(team.parentId)?.key ?? null) : null,
    path: teamPath(team, byId),
    memberCount: counts.get(team.id) ?? 0,
    status: team.status,
    created: iso(team.createdAt),
    updated: iso(team.updatedAt),
  };
}

async function viewOf(repos: Repositories, tenant: Tenant, key: string): Promise<TeamView> {
  const [teams, counts] = await Promise.all([repos.teams.list(tenant), repos.teamMemberships.currentCounts(tenant)]);
  const byId = new Map(teams.map((t) => [t.id, t]));
  const team = teams.find((t) => t.key === key);
  if (!team) throw notFound('team_not_found', `There is no team "${key}"`, 'key');
  return teamView(team, byId, counts);
}

export async function listTeams(ctx: EngineContext, tenant: Tenant): Promise<TeamView[]> {
  const read = ctx.store.read;
  const [teams, counts] = await Promise.all([read.teams.list(tenant), read.teamMemberships.currentCounts(tenant)]);
  const byId = new Map(teams.map((t) => [t.id, t]));
  return teams.map((t) => teamView(t, byId, counts));
}

export async function getTeam(ctx: EngineContext, tenant: Tenant, key: string): Promise<TeamView> {
  return viewOf(ctx.store.read, tenant, key);
}

export async function createTeam(ctx: EngineContext, tenant: Tenant, input: { key: string; name: string; parent?: string | null }) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const teams = await tx.teams.list(tenant);
    if (teams.some((t) => t.key === input.key)) throw conflict('duplicate_key', `A team with key "${input.key}" already exists`, 'key');
    const id = randomId();
    const parent = checkParent({ id }, input.parent ?? null, teams);
    const team: Team = {
      id,
      key: input.key,
      name: input.name,
      parentId: parent?.id ?? null,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    await tx.teams.insert(tenant, team);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return viewOf(tx, tenant, team.key);
  });
}

/**
 * Edits a team. Archiving ends its running memberships now (its history stays) and is refused
 * while it has active sub-teams; restoring needs an active parent.
 */
export async function updateTeam(ctx: EngineContext, tenant: Tenant, key: string, patch: TeamInput) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const teams = await tx.teams.list(tenant);
    const team = teams.find((t) => t.key === key);
    if (!team) throw notFound('team_not_found', `There is no team "${key}"`, 'key');
    const status = patch.status ?? team.status;
    let parentId = team.parentId;
    if (patch.parent !== undefined || (status === 'active' && team.status === 'archived')) {
      const parentKey = patch.parent !== undefined ? patch.parent : (teams.find((t) => t.id === team.parentId)?.key ?? null);
      parentId = checkParent(team, parentKey, teams)?.id ?? null;
    }
    if (status === 'archived' && team.status === 'active') {
      const child = teams.find((t) => t.parentId === team.id && t.status === 'active');
      if (child)
        throw conflict('team_has_sub_teams', `Team "${key}" has active sub-teams (e.g. "${child.key}"): archive or move them first`, 'key');
      await tx.teamMemberships.closeTeam(tenant, team.id, now);
    }
    const updated: Team = { ...team, name: patch.name ?? team.name, parentId, status, updatedAt: now };
    await tx.teams.update(tenant, updated);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return viewOf(tx, tenant, key);
  });
}

/**
 * Sets a user's teams from `at` on, inside the caller's transaction (which holds the user's lock).
 * `keys` are resolved against `teamsByKey`; a bad key names `${field}[i]`. `atLeast`: the change
 * never lands before the user's latest membership change (an old event cannot rewrite history);
 * without it (an admin's correction) what was recorded from `at` on is replaced.
 */
export async function changeTeams(
  tx: Repositories,
  tenant: Tenant,
  teamsByKey: ReadonlyMap<string, Team>,
  userId: string,
  keys: readonly string[],
  at: number,
  options: { field: string; atLeast: boolean },
): Promise<MembershipPeriod[]> {
  const ids = resolveTeamKeys(keys, teamsByKey, options.field);
  const before = (await tx.teamMemberships.periodsOf(tenant, [userId])).get(userId) ?? [];
  const latest = latestChange(before);
  const when = options.atLeast && latest !== null ? Math.max(at, latest) : at;
  const after = membershipFrom(before, ids, when);
  await tx.teamMemberships.write(tenant, userId, membershipDiff(before, after));
  return after;
}

/** The keys of the teams running in `periods`, sorted. */
export function currentKeys(periods: readonly MembershipPeriod[], teamsById: ReadonlyMap<string, Team>): string[] {
  return periods
    .filter((p) => p.until === null)
    .map((p) => teamsById.get(p.teamId)?.key ?? p.teamId)
    .sort();
}

function userTeamsView(userId: string, periods: readonly MembershipPeriod[], teams: readonly Team[], history: boolean): UserTeamsView {
  const byId = new Map(teams.map((t) => [t.id, t]));
  return {
    id: userId,
    teams: currentKeys(periods, byId),
    ...(history
      ? {
          periods: periods
            .map((p) => ({ team: byId.get(p.teamId)?.key ?? p.teamId, from: p.from, until: p.until }))
            // By start, then key: ids are random, so the store's order says nothing to a reader.
            .sort((a, b) => a.from - b.from || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0))
            .map((p) => ({ team: p.team, from: iso(p.from), until: p.until === null ? null : iso(p.until) })),
        }
      : {}),
  };
}

/** A user's current team keys (the users API shows them with the user). */
export async function userTeamKeys(repos: Repositories, tenant: Tenant, userId: string): Promise<string[]> {
  const [periods, teams] = await Promise.all([repos.teamMemberships.periodsOf(tenant, [userId]), repos.teams.list(tenant)]);
  return currentKeys(periods.get(userId) ?? [], new Map(teams.map((t) => [t.id, t])));
}

export async function getUserTeams(ctx: EngineContext, tenant: Tenant, userId: string, history: boolean): Promise<UserTeamsView> {
  const read = ctx.store.read;
  const user = await read.users.get(tenant, userId);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const [periods, teams] = await Promise.all([read.teamMemberships.periodsOf(tenant, [userId]), read.teams.list(tenant)]);
  return userTeamsView(userId, periods.get(userId) ?? [], teams, history);
}

/**
 * An admin's correction: from `at` (default now, never in the future) the user is in exactly these
 * teams; periods recorded from `at` on are replaced. Answers with the whole history.
 */
export async function setUserTeams(ctx: EngineContext, tenant: Tenant, userId: string, input: { teams: string[]; at?: string }) {
  const now = ctx.clock.now();
  let at = now;
  if (input.at !== undefined) {
    at = Date.parse(input.at);
    if (Number.isNaN(at)) throw invalid('invalid_timestamp', `at "${input.at}" is not an ISO 8601 date-time`, 'at');
    if (at > now) throw invalid('at_in_future', `at ${input.at} is in the future`, 'at');
  }
  return ctx.store.transaction(async (tx) => {
    await tx.ingest.lockUsers(tenant, [userId]);
    if (!(await tx.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
    const config = await ctx.config.get(tx, tenant);
    const periods = await changeTeams(tx, tenant, config.teamsByKey, userId, input.teams, at, { field: 'teams', atLeast: false });
    return userTeamsView(userId, periods, [...config.teamsByKey.values()], true);
  });
}

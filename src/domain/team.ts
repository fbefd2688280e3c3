/**
 * Teams of a community (a company → region → team tree) and users' dated membership of them.
 * Pure rules: the tree's checks, and how a new set of teams rewrites a user's membership periods.
 */
import { invalid } from './errors.js';

export interface Team {
  id: string;
  key: string;
  name: string;
  /** The parent team's id; null for a root. */
  parentId: string | null;
  status: 'active' | 'archived';
  createdAt: number;
  updatedAt: number;
}

/** The deepest a team tree may be, in levels (a root is level 1). */
export const MAX_TEAM_DEPTH = 8;

/** The most teams one user may be in at once. */
export const MAX_TEAMS_PER_USER = 100;

/** One period of membership: the user was in the team from `from` (inclusive) until `until` (exclusive; null: still). */
export interface MembershipPeriod {
  teamId: string;
  from: number;
  until: number | null;
}

/** Keys from the root down to the team itself. */
export function teamPath(team: Team, byId: ReadonlyMap<string, Team>): string[] {
  const path: string[] = [];
  const seen = new Set<string>();
  for (let t: Team | undefined = team; t && !seen.has(t.id); t = t.parentId ? byId.get(t.parentId) : undefined) {
    seen.add(t.id);
    path.unshift(t.key);
  }
  return path;
}

/**
 * Refuses a parent that does not exist, is archived, would put the team under itself, or would make
 * the tree deeper than MAX_TEAM_DEPTH (counting the team's own sub-teams, which move with it).
 */
export function checkParent(team: { id: string }, parentKey: string | null, teams: readonly Team[]): Team | null {
  if (parentKey === null) return checkDepth(team, null, teams);
  const parent = teams.find((t) => t.key === parentKey);
  if (!parent) throw invalid('parent_not_found', `There is no team "${parentKey}"`, 'parent');
  if (parent.status !== 'active') throw invalid('parent_archived', `Team "${parentKey}" is archived: it takes no sub-teams`, 'parent');
  const byId = new Map(teams.map((t) => [t.id, t]));
  for (let t: Team | undefined = parent; t; t = t.parentId ? byId.get(t.parentId) : undefined) {
    if (t.id === team.id)
      throw invalid('team_cycle', `Team "${parentKey}" is inside this team: a team cannot be its own ancestor`, 'parent');
  }
  checkDepth(team, parent, teams);
  return parent;
}

function checkDepth(team: { id: string }, parent: Team | null, teams: readonly Team[]): null {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const above = parent ? teamPath(parent, byId).length : 0;
  const depth = above + subtreeHeight(team.id, teams);
  if (depth > MAX_TEAM_DEPTH) {
    throw invalid('team_tree_too_deep', `A team tree is at most ${MAX_TEAM_DEPTH} levels deep (this would make ${depth})`, 'parent');
  }
  return null;
}

/** Levels from this team down to its deepest sub-team (1 for a team without sub-teams). */
function subtreeHeight(id: string, teams: readonly Team[]): number {
  const children = new Map<string, string[]>();
  for (const t of teams) if (t.parentId) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t.id]);
  const height = (at: string, seen: Set<string>): number => {
    if (seen.has(at)) return 0;
    seen.add(at);
    return 1 + Math.max(0, ...(children.get(at) ?? []).map((c) => height(c, seen)));
  };
  return height(id, new Set());
}

/**
 * Team keys as a request sent them, resolved to active teams; `at` is where the list sits
 * ("user.teams"). Duplicates count once. An unknown or archived key names its place ("user.teams[1]").
 */
export function resolveTeamKeys(keys: readonly string[], byKey: ReadonlyMap<string, Team>, at: string): string[] {
  const ids: string[] = [];
  keys.forEach((key, i) => {
    const team = byKey.get(key);
    if (team?.status !== 'active') {
      throw invalid('team_not_found', `There is no active team "${key}"`, `${at}[${i}]`);
    }
    if (!ids.includes(team.id)) ids.push(team.id);
  });
  return ids;
}

/** When the user's membership last changed (a period opened or closed); null if never. */
export function latestChange(periods: readonly MembershipPeriod[]): number | null {
  let latest: number | null = null;
  for (const p of periods) latest = Math.max(latest ?? p.from, p.from, p.until ?? p.from);
  return latest;
}

/**
 * The periods after "from `at` on, the user is in exactly `teamIds`". History before `at` stays;
 * what was recorded from `at` on is replaced: periods starting at or after `at` go, periods running
 * across `at` end there (or run on, for a team still in the set), and teams not yet running open at `at`.
 * With `at` at or after the latest change, this only closes and opens periods.
 */
export function membershipFrom(periods: readonly MembershipPeriod[], teamIds: readonly string[], at: number): MembershipPeriod[] {
  const wanted = new Set(teamIds);
  const next: MembershipPeriod[] = [];
  const running = new Set<string>();
  for (const p of periods) {
    if (p.from >= at) continue;
    if (p.until !== null && p.until <= at) {
      next.push(p);
    } else if (wanted.has(p.teamId)) {
      next.push({ ...p, until: null });
      running.add(p.teamId);
    } else {
      next.push({ ...p, until: at });
    }
  }
  for (const id of wanted) if (!running.has(id)) next.push({ teamId: id, from: at, until: null });
  return next;
}

/** What turns `before` into `after`: periods (by team and start) to insert, to delete, and whose end changes. */
export function membershipDiff(
  before: readonly MembershipPeriod[],
  after: readonly MembershipPeriod[],
): { inserted: MembershipPeriod[]; deleted: MembershipPeriod[]; updated: MembershipPeriod[] } {
  const id = (p: MembershipPeriod) => `${p.teamId}\u0000${p.from}`;
  const old = new Map(before.map((p) => [id(p), p]));
  const now = new Map(after.map((p) => [id(p), p]));
  return {
    inserted: after.filter((p) => !old.has(id(p))),
    deleted: before.filter((p) => !now.has(id(p))),
    updated: after.filter((p) => old.has(id(p)) && old.get(id(p))?.until !== p.until),
  };
}

/** The teams a user is in at time `t`. */
export function teamsAt(periods: readonly MembershipPeriod[], t: number): string[] {
  return periods.filter((p) => p.from <= t && (p.until === null || p.until > t)).map((p) => p.teamId);
}

/**
 * Loads the working state of a batch's users: only what the touched achievements and streaks need
 * (balances are asked for separately, by those that pay).
 */
import type { Achievement } from '../domain/achievement.js';
import { NO_TIER } from '../domain/achievement.js';
import type { HeldAwards, UserWorkingState } from '../domain/evaluate.js';
import type { User } from '../domain/user.js';
import type { LoadedState, StateQuery } from '../store/ingest/ingest-store.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';

/** What to load, and the achievements (to read held awards' tiers by). */
export interface StateNeeds extends Omit<StateQuery, 'users' | 'points'> {
  achievementsById: ReadonlyMap<string, Achievement>;
}

/** The same ids for every user. */
export function forEach(userIds: readonly string[], ids: readonly string[]): ReadonlyMap<string, readonly string[]> {
  return new Map(ids.length === 0 ? [] : userIds.map((u) => [u, ids]));
}

export async function loadUserStates(
  repos: Repositories,
  tenant: Tenant,
  users: ReadonlyMap<string, User>,
  needs: StateNeeds,
): Promise<Map<string, UserWorkingState>> {
  return workingStates(await repos.userState.loadState(tenant, { ...needs, users: false, points: false }), users, needs);
}

/** Each user's working state from what was loaded for them. */
export function workingStates(loaded: LoadedState, users: ReadonlyMap<string, User>, needs: StateNeeds): Map<string, UserWorkingState> {
  const { totals, counters, held, days, streaks, targets } = loaded;
  const states = new Map<string, UserWorkingState>();
  for (const userId of needs.userIds) {
    const user = users.get(userId);
    states.set(userId, {
      attributes: user?.attributes ?? {},
      tz: user?.tz ?? null,
      createdAt: user?.createdAt ?? 0,
      totals: totals.get(userId) ?? new Map(),
      counters: counters.get(userId) ?? new Map(),
      days: days.get(userId) ?? new Map(),
      held: new Map(),
      targets: targets.get(userId) ?? new Map(),
      streaks: streaks.get(userId) ?? new Map(),
    });
  }
  for (const row of held) {
    const state = states.get(row.userId);
    const achievement = needs.achievementsById.get(row.achievementId);
    if (!state || !achievement) continue;
    let h: HeldAwards | undefined = state.held.get(row.achievementId);
    if (!h) {
      h = { tiers: new Set(), completions: 0, periods: new Map() };
      state.held.set(row.achievementId, h);
    }
    h.completions += 1;
    const index = row.tierKey === NO_TIER ? 0 : achievement.tiers.findIndex((t) => t.key === row.tierKey);
    if (index < 0) continue;
    h.tiers.add(index);
    let inPeriod = h.periods.get(row.periodKey);
    if (!inPeriod) h.periods.set(row.periodKey, (inPeriod = new Set()));
    inPeriod.add(index);
  }
  return states;
}

/** Loads the working state of a batch's users: only what the touched achievements need. */
import type { Achievement } from '../domain/achievement.js';
import { NO_TIER } from '../domain/achievement.js';
import type { HeldAwards, UserWorkingState } from '../domain/evaluate.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';

export interface LoadedStates {
  states: Map<string, UserWorkingState>;
  points: Map<string, Map<string, number>>;
}

export interface StateNeeds {
  userIds: string[];
  metricIds: string[];
  counterIds: string[];
  heldIds: string[];
  achievementsById: ReadonlyMap<string, Achievement>;
}

export async function loadUserStates(repos: Repositories, tenant: Tenant, needs: StateNeeds): Promise<LoadedStates> {
  const [totals, counters, held, points] = await Promise.all([
    repos.ingest.loadTotals(tenant, needs.userIds, needs.metricIds),
    repos.ingest.loadCounters(tenant, needs.userIds, needs.counterIds),
    repos.ingest.loadHeld(tenant, needs.userIds, needs.heldIds),
    repos.ingest.loadPoints(tenant, needs.userIds),
  ]);
  const states = new Map<string, UserWorkingState>();
  for (const userId of needs.userIds) {
    states.set(userId, {
      attributes: {},
      totals: totals.get(userId) ?? new Map(),
      counters: counters.get(userId) ?? new Map(),
      held: new Map(),
    });
  }
  for (const row of held) {
    const state = states.get(row.user_id);
    const achievement = needs.achievementsById.get(row.achievement_id);
    if (!state || !achievement) continue;
    let h: HeldAwards | undefined = state.held.get(row.achievement_id);
    if (!h) {
      h = { tiers: new Set(), completions: 0 };
      state.held.set(row.achievement_id, h);
    }
    h.completions += 1;
    const index = row.tier_key === NO_TIER ? 0 : achievement.tiers.findIndex((t) => t.key === row.tier_key);
    if (index >= 0) h.tiers.add(index);
  }
  return { states, points };
}

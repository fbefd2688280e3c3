/**
 * Applying one event (or one API completion) to one user's state: which totals and counters move,
 * which achievements and tiers unlock, which composites follow. Pure: the state is a working copy
 * the engine loaded for the batch, updated in place as events apply in order.
 */
import type { Achievement, Reward } from './achievement.js';
import { NO_TIER, ONCE } from './achievement.js';
import { matchesAttributes } from './attribute-filter.js';
import type { RuleSet } from './rules.js';
import { decideUnlocks } from './thresholds.js';
import { addValues } from './values.js';

export interface Tally {
  total: number;
  count: number;
}

/** What a user holds of one achievement: tier indices (once) and the number of completions. */
export interface HeldAwards {
  tiers: Set<number>;
  completions: number;
}

export interface UserWorkingState {
  attributes: Record<string, string>;
  /** By metric id. */
  totals: Map<string, Tally>;
  /** By achievement id, for achievements that keep their own counter. */
  counters: Map<string, Tally>;
  /** By achievement id. */
  held: Map<string, HeldAwards>;
}

export interface UnlockDecision {
  achievement: Achievement;
  tierIndex: number | null;
  tierKey: string;
  periodKey: string;
  /** How many completions (tiers or repeats) the user has of this achievement after this one. */
  completionCount: number;
  /** True when the user held nothing of this achievement before. */
  firstForUser: boolean;
  rewards: Reward[];
  source: 'event' | 'composite' | 'api';
}

export interface EventInputForRules {
  metricId: string;
  value: number;
  attributes: Record<string, string> | null;
  occurredAt: number;
}

export interface EventEffect {
  tally: Tally;
  /** Value added to each achievement counter this event moved (their count moves by one). */
  counterDeltas: Array<{ achievementId: string; value: number }>;
  unlocks: UnlockDecision[];
}

export function isHeld(state: UserWorkingState, achievementId: string): boolean {
  const held = state.held.get(achievementId);
  return held !== undefined && (held.completions > 0 || held.tiers.size > 0);
}

export function applyEvent(rules: RuleSet, state: UserWorkingState, event: EventInputForRules): EventEffect {
  const before = state.totals.get(event.metricId) ?? { total: 0, count: 0 };
  const tally = { total: addValues(before.total, event.value), count: before.count + 1 };
  state.totals.set(event.metricId, tally);
  const counterDeltas: EventEffect['counterDeltas'] = [];
  const unlocks: UnlockDecision[] = [];

  for (const rule of rules.metricRules.get(event.metricId) ?? []) {
    if (rule.eventFilter && !matchesAttributes(rule.eventFilter, event.attributes)) continue;
    if (rule.countsFrom !== null && event.occurredAt < rule.countsFrom) continue;
    let from: Tally;
    let to: Tally;
    if (rule.source === 'total') {
      from = before;
      to = tally;
    } else {
      from = state.counters.get(rule.achievement.id) ?? { total: 0, count: 0 };
      to = { total: addValues(from.total, event.value), count: from.count + 1 };
      state.counters.set(rule.achievement.id, to);
      counterDeltas.push({ achievementId: rule.achievement.id, value: event.value });
    }
    if (rule.userFilter && !matchesAttributes(rule.userFilter, state.attributes)) continue;
    const measure = rule.measure === 'count' ? 'count' : 'total';
    const held = heldOf(state, rule.achievement.id);
    for (const step of decideUnlocks(rule.threshold, from[measure], to[measure], held)) {
      const tiered = rule.achievement.tiers.length > 0;
      unlocks.push(
        recordUnlock(state, rule.achievement, tiered ? step.tierIndex : null, step.completion, 'event'),
      );
    }
  }
  chainComposites(rules, state, unlocks);
  return { tally, counterDeltas, unlocks };
}

/**
 * An API completion: unlocks once (or again, when repeatable). Returns nothing when the user
 * already holds a once-only achievement.
 */
export function applyCompletion(rules: RuleSet, state: UserWorkingState, achievement: Achievement): UnlockDecision[] {
  const held = heldOf(state, achievement.id);
  const repeatable = achievement.policies.repeat === 'unlimited';
  if (!repeatable && held.completions > 0) return [];
  const unlocks = [recordUnlock(state, achievement, null, repeatable ? held.completions + 1 : 0, 'api')];
  chainComposites(rules, state, unlocks);
  return unlocks;
}

function chainComposites(rules: RuleSet, state: UserWorkingState, unlocks: UnlockDecision[]): void {
  for (let i = 0; i < unlocks.length; i++) {
    const unlocked = (unlocks[i] as UnlockDecision).achievement.id;
    for (const rule of rules.compositesByRequirement.get(unlocked) ?? []) {
      if (isHeld(state, rule.achievement.id)) continue;
      if (rule.userFilter && !matchesAttributes(rule.userFilter, state.attributes)) continue;
      let have = 0;
      for (const id of rule.requiredIds) if (isHeld(state, id)) have++;
      if (have >= rule.min) unlocks.push(recordUnlock(state, rule.achievement, null, 0, 'composite'));
    }
  }
}

function heldOf(state: UserWorkingState, achievementId: string): HeldAwards {
  let held = state.held.get(achievementId);
  if (!held) {
    held = { tiers: new Set(), completions: 0 };
    state.held.set(achievementId, held);
  }
  return held;
}

function recordUnlock(
  state: UserWorkingState,
  achievement: Achievement,
  tierIndex: number | null,
  completion: number,
  source: UnlockDecision['source'],
): UnlockDecision {
  const held = heldOf(state, achievement.id);
  const firstForUser = held.completions === 0 && held.tiers.size === 0;
  held.completions += 1;
  if (tierIndex !== null) held.tiers.add(tierIndex);
  else held.tiers.add(0);
  const tier = tierIndex === null ? undefined : achievement.tiers[tierIndex];
  return {
    achievement,
    tierIndex,
    tierKey: tier?.key ?? NO_TIER,
    periodKey: completion > 0 ? String(completion) : ONCE,
    completionCount: held.completions,
    firstForUser,
    rewards: tier ? tier.rewards : achievement.rewards,
    source,
  };
}

import type { AchievementDefinition, Criterion, Reward, Tier } from './achievement.js';
import { invalid } from './errors.js';

/** What validation needs to know about the rest of the community. */
export interface ValidationContext {
  pointsSystems: ReadonlySet<string>;
  /** Other achievements by key, with what they require (for composite cycles). */
  achievements: ReadonlyMap<string, { requires: readonly string[] }>;
}

/** Checks the rules a JSON schema cannot express. Throws the first problem, naming its field. */
export function validateAchievement(def: AchievementDefinition, ctx: ValidationContext): void {
  validateCriteria(def);
  validateTiers(def);
  validateRewards(def.rewards, 'rewards', ctx);
  def.tiers.forEach((tier, i) => validateRewards(tier.rewards, `tiers[${i}].rewards`, ctx));
  validateComposite(def, ctx);
}

function validateCriteria(def: AchievementDefinition): void {
  const c = def.criteria;
  if (c.type !== 'metric' && def.tiers.length > 0) {
    throw invalid('tiers_not_supported', `Tiers apply to metric criteria, not to ${c.type}`, 'tiers');
  }
  if (c.type !== 'metric' && Object.keys(def.filters.event).length > 0) {
    throw invalid(
      'event_filter_not_supported',
      'Event attribute filters apply to metric criteria only',
      'filters.event',
    );
  }
  if (c.type !== 'metric') return;
  const hasTiers = def.tiers.length > 0;
  if (hasTiers && c.threshold !== undefined) {
    throw invalid('threshold_and_tiers', 'Give either criteria.threshold or tiers, not both', 'criteria.threshold');
  }
  if (!hasTiers && c.threshold === undefined) {
    throw invalid('threshold_required', 'A metric criterion needs a threshold (or tiers)', 'criteria.threshold');
  }
  if (c.threshold !== undefined) validateThreshold(c, c.threshold, 'criteria.threshold');
  if (hasTiers && def.policies.repeat === 'unlimited') {
    throw invalid(
      'tiers_not_repeatable',
      'A tiered achievement cannot repeat without limit; use repeat "once"',
      'policies.repeat',
    );
  }
}

function validateThreshold(c: Criterion & { type: 'metric' }, threshold: number, field: string): void {
  if (!Number.isFinite(threshold) || threshold <= 0) {
    throw invalid('invalid_threshold', `The threshold must be a number greater than 0 (got ${threshold})`, field);
  }
  if (c.measure === 'count' && !Number.isInteger(threshold)) {
    throw invalid('invalid_threshold', `A count threshold must be a whole number (got ${threshold})`, field);
  }
}

function validateTiers(def: AchievementDefinition): void {
  if (def.tiers.length === 0 || def.criteria.type !== 'metric') return;
  if (def.rewards.length > 0) {
    throw invalid('rewards_on_tiers', 'A tiered achievement pays rewards per tier: move them into tiers[].rewards', 'rewards');
  }
  const seen = new Set<string>();
  let previous: Tier | undefined;
  def.tiers.forEach((tier, i) => {
    if (seen.has(tier.key)) throw invalid('duplicate_tier_key', `Tier key "${tier.key}" is used twice`, `tiers[${i}].key`);
    seen.add(tier.key);
    validateThreshold(def.criteria as Criterion & { type: 'metric' }, tier.threshold, `tiers[${i}].threshold`);
    if (previous && tier.threshold <= previous.threshold) {
      throw invalid(
        'tiers_out_of_order',
        `Tier "${tier.key}" (${tier.threshold}) must have a higher threshold than "${previous.key}" (${previous.threshold})`,
        `tiers[${i}].threshold`,
      );
    }
    previous = tier;
  });
}

function validateRewards(rewards: Reward[], field: string, ctx: ValidationContext): void {
  rewards.forEach((reward, i) => {
    if (reward.type !== 'points') return;
    if (!ctx.pointsSystems.has(reward.system)) {
      throw invalid('unknown_points_system', `There is no points system "${reward.system}"`, `${field}[${i}].system`);
    }
    if (!Number.isInteger(reward.amount) || reward.amount <= 0) {
      throw invalid('invalid_points', `Points must be a whole number greater than 0 (got ${reward.amount})`, `${field}[${i}].amount`);
    }
  });
}

function validateComposite(def: AchievementDefinition, ctx: ValidationContext): void {
  const c = def.criteria;
  if (c.type !== 'composite') return;
  if (new Set(c.requires).size !== c.requires.length) {
    throw invalid('duplicate_requirement', 'criteria.requires lists an achievement twice', 'criteria.requires');
  }
  c.requires.forEach((key, i) => {
    if (key === def.key) throw invalid('self_requirement', 'An achievement cannot require itself', `criteria.requires[${i}]`);
    if (!ctx.achievements.has(key)) {
      throw invalid('unknown_achievement', `There is no achievement "${key}"`, `criteria.requires[${i}]`);
    }
  });
  const min = c.min ?? c.requires.length;
  if (!Number.isInteger(min) || min < 1 || min > c.requires.length) {
    throw invalid('invalid_min', `criteria.min must be between 1 and ${c.requires.length}`, 'criteria.min');
  }
  const cycle = findCycle(def.key, c.requires, ctx.achievements);
  if (cycle) {
    throw invalid('requirement_cycle', `Requirements form a cycle: ${cycle.join(' → ')}`, 'criteria.requires');
  }
}

function findCycle(
  start: string,
  requires: readonly string[],
  all: ReadonlyMap<string, { requires: readonly string[] }>,
): string[] | null {
  const visit = (key: string, path: string[]): string[] | null => {
    if (key === start) return [...path, key];
    if (path.includes(key)) return null;
    for (const next of all.get(key)?.requires ?? []) {
      const found = visit(next, [...path, key]);
      if (found) return found;
    }
    return null;
  };
  for (const key of requires) {
    const found = visit(key, [start]);
    if (found) return found;
  }
  return null;
}

import { DateTime } from 'luxon';
import type { AchievementDefinition, Criterion, MetricCriterion, Reward, Tier } from './achievement.js';
import { isFixedWindow } from './achievement.js';
import { dayNumber } from './calendar.js';
import { invalid, LaurelError } from './errors.js';

/** What validation needs to know about the rest of the community. */
export interface ValidationContext {
  pointsSystems: ReadonlySet<string>;
  streaks: ReadonlySet<string>;
  primaryStreak: string | null;
  /** Other achievements by key, with what they require (for composite cycles). */
  achievements: ReadonlyMap<string, { requires: readonly string[] }>;
}

/** Checks the rules a JSON schema cannot express. Throws the first problem, naming its field. */
export function validateAchievement(def: AchievementDefinition, ctx: ValidationContext): void {
  validateCriteria(def);
  validateTime(def);
  validateStreak(def, ctx);
  validateTiers(def);
  validateRewards(def.rewards, 'rewards', ctx);
  def.tiers.forEach((tier, i) => {
    validateRewards(tier.rewards, `tiers[${i}].rewards`, ctx);
  });
  validateComposite(def, ctx);
}

function validateCriteria(def: AchievementDefinition): void {
  const c = def.criteria;
  if (c.type !== 'metric' && c.type !== 'streak' && def.tiers.length > 0) {
    throw invalid('tiers_not_supported', `Tiers apply to metric and streak criteria, not to ${c.type}`, 'tiers');
  }
  if (c.type === 'anniversary' && (!Number.isInteger(c.years) || c.years < 1)) {
    throw invalid('invalid_years', 'An anniversary is a whole number of years, at least 1', 'criteria.years');
  }
  if ((c.type === 'composite' || c.type === 'anniversary') && def.policies.repeat !== 'once') {
    throw invalid('repeat_not_supported', `A ${c.type} achievement unlocks once`, 'policies.repeat');
  }
  if (c.type !== 'metric' && Object.keys(def.filters.event).length > 0) {
    throw invalid('event_filter_not_supported', 'Event attribute filters apply to metric criteria only', 'filters.event');
  }
  if (c.type !== 'metric') return;
  const hasTiers = def.tiers.length > 0;
  const goals = [c.threshold !== undefined, c.targetPercent !== undefined, c.beatPrevious !== undefined].filter(Boolean).length;
  if (hasTiers && goals > 0) {
    throw invalid(
      'threshold_and_tiers',
      'Give either a goal (threshold, targetPercent or beatPrevious) or tiers, not both',
      'criteria.threshold',
    );
  }
  if (!hasTiers && goals === 0) {
    throw invalid(
      'threshold_required',
      'A metric criterion needs a goal: threshold, targetPercent or beatPrevious (or tiers)',
      'criteria.threshold',
    );
  }
  if (goals > 1) {
    throw invalid('one_goal', 'Give exactly one of threshold, targetPercent and beatPrevious', 'criteria');
  }
  if (c.threshold !== undefined) validateThreshold(c, c.threshold, 'criteria.threshold');
  if (c.targetPercent !== undefined && !(c.targetPercent > 0)) {
    throw invalid('invalid_target_percent', 'targetPercent must be greater than 0', 'criteria.targetPercent');
  }
  if (c.beatPrevious === false) {
    throw invalid('invalid_beat_previous', 'beatPrevious is either true or left out', 'criteria.beatPrevious');
  }
  if ((c.targetPercent !== undefined || c.beatPrevious) && !c.period) {
    throw invalid('period_required', 'targetPercent and beatPrevious compare within a period: add criteria.period', 'criteria.period');
  }
  if (hasTiers && def.policies.repeat === 'unlimited') {
    throw invalid('tiers_not_repeatable', 'A tiered achievement cannot repeat without limit; use repeat "once"', 'policies.repeat');
  }
}

/** Windows, periods and the policies that depend on them. */
function validateTime(def: AchievementDefinition): void {
  const c = def.criteria;
  const timed = c.type === 'metric' && (c.window !== undefined || c.period !== undefined);
  if (def.policies.repeat === 'per_period' && !(c.type === 'metric' && c.period)) {
    throw invalid('period_required', 'repeat "per_period" needs criteria.period', 'policies.repeat');
  }
  if (c.type === 'streak' && def.policies.repeat !== 'once') {
    throw invalid('repeat_not_supported', 'A streak achievement unlocks once', 'policies.repeat');
  }
  if (!timed || c.type !== 'metric') return;
  if (c.window && c.period) throw invalid('window_and_period', 'Give either a window or a period, not both', 'criteria.window');
  if (def.policies.match === 'exact') {
    throw invalid(
      'exact_not_supported',
      'match "exact" applies to lifetime totals and streaks, not to windows or periods',
      'policies.match',
    );
  }
  if (def.policies.repeat === 'unlimited') {
    throw invalid('repeat_not_supported', 'Windows and periods repeat with "per_period" (periods) or not at all', 'policies.repeat');
  }
  if (c.window) validateWindow(c);
  if (c.period) validatePeriod(c);
}

function validateWindow(c: MetricCriterion): void {
  const w = c.window;
  if (!w) return;
  if (!isFixedWindow(w)) {
    if (!Number.isInteger(w.days) || w.days < 1 || w.days > 3660) {
      throw invalid('invalid_window', 'window.days is a whole number of days from 1 to 3660', 'criteria.window.days');
    }
    return;
  }
  const start = DateTime.fromISO(w.start, { zone: 'utc' });
  const end = DateTime.fromISO(w.end, { zone: 'utc' });
  if (!start.isValid) throw invalid('invalid_window', `window.start "${w.start}" is not an ISO 8601 date-time`, 'criteria.window.start');
  if (!end.isValid) throw invalid('invalid_window', `window.end "${w.end}" is not an ISO 8601 date-time`, 'criteria.window.end');
  if (end <= start) throw invalid('invalid_window', 'window.end must come after window.start', 'criteria.window.end');
}

function validatePeriod(c: MetricCriterion): void {
  const p = c.period;
  if (!p) return;
  if (p.unit !== 'custom') {
    if (p.start !== undefined || p.end !== undefined || p.repeat !== undefined) {
      throw invalid('invalid_period', 'start, end and repeat belong to custom periods only', 'criteria.period');
    }
    return;
  }
  if (p.start === undefined || p.end === undefined) {
    throw invalid('invalid_period', 'A custom period needs start and end dates (YYYY-MM-DD)', 'criteria.period.start');
  }
  const day = (value: string, field: string) => {
    try {
      return dayNumber(value);
    } catch (error) {
      throw error instanceof LaurelError ? invalid('invalid_period', error.message, field) : error;
    }
  };
  if (day(p.end, 'criteria.period.end') < day(p.start, 'criteria.period.start')) {
    throw invalid('invalid_period', 'period.end must not come before period.start', 'criteria.period.end');
  }
}

function validateStreak(def: AchievementDefinition, ctx: ValidationContext): void {
  const c = def.criteria;
  if (c.type !== 'streak') return;
  if (c.streak !== undefined && !ctx.streaks.has(c.streak)) {
    throw invalid('unknown_streak', `There is no streak "${c.streak}"`, 'criteria.streak');
  }
  if (c.streak === undefined && ctx.primaryStreak === null) {
    throw invalid('no_primary_streak', 'Name a streak: this community has no primary streak', 'criteria.streak');
  }
  const hasTiers = def.tiers.length > 0;
  if (hasTiers === (c.length !== undefined)) {
    throw invalid('length_required', 'A streak criterion needs either a length or tiers of lengths', 'criteria.length');
  }
  const lengths = hasTiers
    ? def.tiers.map((t, i) => [t.threshold, `tiers[${i}].threshold`] as const)
    : [[c.length as number, 'criteria.length'] as const];
  for (const [length, field] of lengths) {
    if (!Number.isInteger(length) || length < 1) throw invalid('invalid_length', 'A streak length is a whole number, at least 1', field);
  }
}

function validateThreshold(c: Criterion & { type: 'metric' | 'streak' }, threshold: number, field: string): void {
  if (!Number.isFinite(threshold) || threshold <= 0) {
    throw invalid('invalid_threshold', `The threshold must be a number greater than 0 (got ${threshold})`, field);
  }
  if (c.type === 'metric' && c.measure === 'count' && !Number.isInteger(threshold)) {
    throw invalid('invalid_threshold', `A count threshold must be a whole number (got ${threshold})`, field);
  }
}

function validateTiers(def: AchievementDefinition): void {
  if (def.tiers.length === 0 || (def.criteria.type !== 'metric' && def.criteria.type !== 'streak')) return;
  if (def.rewards.length > 0) {
    throw invalid('rewards_on_tiers', 'A tiered achievement pays rewards per tier: move them into tiers[].rewards', 'rewards');
  }
  const seen = new Set<string>();
  let previous: Tier | undefined;
  def.tiers.forEach((tier, i) => {
    if (seen.has(tier.key)) throw invalid('duplicate_tier_key', `Tier key "${tier.key}" is used twice`, `tiers[${i}].key`);
    seen.add(tier.key);
    validateThreshold(def.criteria as Criterion & { type: 'metric' | 'streak' }, tier.threshold, `tiers[${i}].threshold`);
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

function findCycle(start: string, requires: readonly string[], all: ReadonlyMap<string, { requires: readonly string[] }>): string[] | null {
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

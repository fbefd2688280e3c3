/**
 * Applying one event (or one API completion) to one user's state: which totals, counters and day
 * totals move, which streaks extend, which achievements and tiers unlock, which composites follow.
 * Pure: the state is a working copy the engine loaded for the batch, updated in place as events
 * apply in order. An event with a past timestamp lands on its own day, window, period and streak
 * period, and is judged as if it had arrived in time order.
 */
import type { Achievement, AwardSource, Measure, Reward } from './achievement.js';
import { NO_TIER, ONCE } from './achievement.js';
import { matchesAttributes } from './attribute-filter.js';
import { anniversaryDay, type DayNumber, localDay, type Period, periodKey, periodOf } from './calendar.js';
import { proratedTarget, type Target } from './goals.js';
import { metricFirings, type PointsTrigger } from './points-triggers.js';
import type { MetricRule, RuleSet } from './rules.js';
import { requalify, type StreakDefinition, type StreakPoint, streakPeriod } from './streaks.js';
import { decideUnlocks } from './thresholds.js';
import { addValues } from './values.js';

export interface Tally {
  total: number;
  count: number;
}

export interface DayTally extends Tally {
  /** The earliest event of the day. */
  firstAt: number;
}

/** What a user holds of one achievement. */
export interface HeldAwards {
  /** Tier indices held in any period (an untiered achievement is tier 0). */
  tiers: Set<number>;
  completions: number;
  /** Tier indices held per period key, for per-period achievements. */
  periods: Map<string, Set<number>>;
}

export interface UserWorkingState {
  attributes: Record<string, string>;
  tz: string | null;
  createdAt: number;
  /** By metric id. */
  totals: Map<string, Tally>;
  /** By achievement id, for achievements that keep their own counter. */
  counters: Map<string, Tally>;
  /** By series (metric or achievement id), then day: the days loaded for this batch. */
  days: Map<string, Map<DayNumber, DayTally>>;
  /** By achievement id. */
  held: Map<string, HeldAwards>;
  /** By metric id. */
  targets: Map<string, Target>;
  /** By streak id: the points loaded for this batch, in period order. */
  streaks: Map<string, StreakPoint[]>;
}

export interface EvaluationContext {
  now: number;
  weekStart: number;
}

export interface UnlockDecision {
  achievement: Achievement;
  tierIndex: number | null;
  tierKey: string;
  periodKey: string;
  /** How many completions (tiers, periods or repeats) the user has of this achievement after this one. */
  completionCount: number;
  /** True when the user held nothing of this achievement before. */
  firstForUser: boolean;
  rewards: Reward[];
  source: AwardSource;
  /** When it was achieved (for late events, as if events had arrived in time order). */
  at: number;
}

export interface EventInputForRules {
  metricId: string;
  value: number;
  attributes: Record<string, string> | null;
  occurredAt: number;
  /** The event's day in the user's calendar. */
  day: DayNumber;
}

export interface StreakChange {
  streakId: string;
  /** Points from this period on are replaced by `points`. */
  from: DayNumber;
  points: StreakPoint[];
}

/** A points trigger that fires `times` times. */
export interface TriggerFiring {
  trigger: PointsTrigger;
  times: number;
  at: number;
}

export interface EventEffect {
  tally: Tally;
  /** Value added to each achievement counter this event moved (their count moves by one). */
  counterDeltas: Array<{ achievementId: string; value: number }>;
  /** Value added to each day series this event moved (their count moves by one). */
  dayDeltas: Array<{ seriesId: string; day: DayNumber; value: number }>;
  streakChanges: StreakChange[];
  unlocks: UnlockDecision[];
  firings: TriggerFiring[];
}

const EMPTY_DAYS: ReadonlyMap<DayNumber, DayTally> = new Map();

export function isHeld(state: UserWorkingState, achievementId: string): boolean {
  const held = state.held.get(achievementId);
  return held !== undefined && (held.completions > 0 || held.tiers.size > 0);
}

export function applyEvent(rules: RuleSet, ctx: EvaluationContext, state: UserWorkingState, event: EventInputForRules): EventEffect {
  // An event may run a few seconds ahead of the server's clock, into the user's tomorrow.
  const today = Math.max(localDay(ctx.now, state.tz), event.day);
  const before = state.totals.get(event.metricId) ?? { total: 0, count: 0 };
  const tally = { total: addValues(before.total, event.value), count: before.count + 1 };
  state.totals.set(event.metricId, tally);
  const effect: EventEffect = { tally, counterDeltas: [], dayDeltas: [], streakChanges: [], unlocks: [], firings: [] };
  addToDay(state, effect, event.metricId, event);
  for (const trigger of rules.triggers.byMetric.get(event.metricId) ?? []) {
    if (!matchesAttributes(trigger.eventFilter, event.attributes) || !matchesAttributes(trigger.userFilter, state.attributes)) continue;
    const times = metricFirings(trigger.metricThreshold ?? 0, before.total, tally.total);
    if (times > 0) effect.firings.push({ trigger, times, at: event.occurredAt });
  }

  for (const rule of rules.metricRules.get(event.metricId) ?? []) {
    if (rule.eventFilter && !matchesAttributes(rule.eventFilter, event.attributes)) continue;
    if (rule.countsFrom !== null && event.occurredAt < rule.countsFrom) continue;
    if (rule.countsUntil !== null && event.occurredAt >= rule.countsUntil) continue;
    let from = before;
    let to = tally;
    if (rule.source === 'counter') {
      from = state.counters.get(rule.achievement.id) ?? { total: 0, count: 0 };
      to = { total: addValues(from.total, event.value), count: from.count + 1 };
      state.counters.set(rule.achievement.id, to);
      effect.counterDeltas.push({ achievementId: rule.achievement.id, value: event.value });
    } else if (rule.source === 'own_days') {
      addToDay(state, effect, rule.achievement.id, event);
    }
    // A late event dated inside a fixed window that has since closed still unlocks, dated at the
    // event: results are as if events had arrived in timestamp order.
    if (rule.userFilter && !matchesAttributes(rule.userFilter, state.attributes)) continue;
    switch (rule.time.kind) {
      case 'lifetime':
      case 'fixed': {
        const m = measureOf(rule.measure);
        for (const step of decideUnlocks(rule.threshold, from[m], to[m], peekHeld(state, rule.achievement.id))) {
          effect.unlocks.push(
            recordUnlock(
              state,
              rule.achievement,
              step.tierIndex,
              step.completion > 0 ? String(step.completion) : ONCE,
              'event',
              event.occurredAt,
            ),
          );
        }
        break;
      }
      case 'rolling':
        rollingUnlocks(rule, rule.time.days, state, event, today, effect);
        break;
      case 'period':
        periodUnlocks(rule, ctx, state, event, effect);
        break;
    }
  }
  updateStreaks(rules, ctx, state, event, today, effect);
  checkAnniversaries(rules, state, today, event.occurredAt, effect.unlocks);
  chainComposites(rules, state, effect.unlocks);
  effect.firings.push(...achievementFirings(rules, state, effect.unlocks));
  return effect;
}

/** Points triggers on completing achievements, for the unlocks given. */
export function achievementFirings(rules: RuleSet, state: UserWorkingState, unlocks: readonly UnlockDecision[]): TriggerFiring[] {
  const firings: TriggerFiring[] = [];
  for (const unlock of unlocks) {
    for (const trigger of rules.triggers.byAchievement.get(unlock.achievement.id) ?? []) {
      if (matchesAttributes(trigger.userFilter, state.attributes)) firings.push({ trigger, times: 1, at: unlock.at });
    }
  }
  return firings;
}

/** Points triggers on a user joining. */
export function userCreationFirings(rules: RuleSet, attributes: Record<string, string>, at: number): TriggerFiring[] {
  return rules.triggers.userCreation
    .filter((t) => matchesAttributes(t.userFilter, attributes))
    .map((trigger) => ({ trigger, times: 1, at }));
}

/**
 * An API completion: unlocks once (or again, when repeatable). Returns nothing when the user
 * already holds a once-only achievement. Seeing the user also checks their anniversaries.
 */
export function applyCompletion(
  rules: RuleSet,
  ctx: EvaluationContext,
  state: UserWorkingState,
  achievement: Achievement,
): UnlockDecision[] {
  const held = heldOf(state, achievement.id);
  const repeatable = achievement.policies.repeat === 'unlimited';
  if (!repeatable && held.completions > 0) return [];
  const unlocks = [recordUnlock(state, achievement, 0, repeatable ? String(held.completions + 1) : ONCE, 'api', ctx.now)];
  checkAnniversaries(rules, state, localDay(ctx.now, state.tz), ctx.now, unlocks);
  chainComposites(rules, state, unlocks);
  return unlocks;
}

function measureOf(measure: Measure): 'total' | 'count' {
  return measure === 'count' ? 'count' : 'total';
}

function addToDay(state: UserWorkingState, effect: EventEffect, seriesId: string, event: EventInputForRules): void {
  let series = state.days.get(seriesId);
  if (!series) state.days.set(seriesId, (series = new Map()));
  const day = series.get(event.day);
  if (day) {
    day.total = addValues(day.total, event.value);
    day.count += 1;
    day.firstAt = Math.min(day.firstAt, event.occurredAt);
  } else {
    series.set(event.day, { total: event.value, count: 1, firstAt: event.occurredAt });
  }
  effect.dayDeltas.push({ seriesId, day: event.day, value: event.value });
}

/** Sum of a series over the days from `first` to `last`, both included. */
export function sumDays(series: ReadonlyMap<DayNumber, DayTally> | undefined, first: DayNumber, last: DayNumber): Tally {
  let total = 0;
  let count = 0;
  for (const [day, tally] of series ?? EMPTY_DAYS) {
    if (day < first || day > last) continue;
    total = addValues(total, tally.total);
    count += tally.count;
  }
  return { total, count };
}

/**
 * "N within the last D days", judged at every day with activity that the event's day is part of:
 * for an event arriving on time that is just today; a late one may complete a window it fell into.
 */
function rollingUnlocks(
  rule: MetricRule,
  days: number,
  state: UserWorkingState,
  event: EventInputForRules,
  today: DayNumber,
  effect: EventEffect,
): void {
  const series = state.days.get(rule.seriesId);
  const m = measureOf(rule.measure);
  const thresholds = rule.threshold.thresholds;
  for (let day = event.day; day <= Math.min(event.day + days - 1, today); day++) {
    const activity = series?.get(day);
    if (!activity) continue;
    const held = peekHeld(state, rule.achievement.id);
    const value = sumDays(series, day - days + 1, day)[m];
    const at = day === event.day ? event.occurredAt : activity.firstAt;
    thresholds.forEach((threshold, i) => {
      if (!held.tiers.has(i) && value >= threshold) effect.unlocks.push(recordUnlock(state, rule.achievement, i, ONCE, 'event', at));
    });
    if (peekHeld(state, rule.achievement.id).tiers.size === thresholds.length) return;
  }
}

/** A goal within the period the event's day falls in: a fixed value, a share of a target, or beating the period before. */
function periodUnlocks(
  rule: MetricRule,
  ctx: EvaluationContext,
  state: UserWorkingState,
  event: EventInputForRules,
  effect: EventEffect,
): void {
  if (rule.time.kind !== 'period') return;
  const { spec, goal } = rule.time;
  const period = periodOf(event.day, spec, ctx.weekStart);
  if (!period) return;
  const series = state.days.get(rule.seriesId);
  const m = measureOf(rule.measure);
  const value = sumDays(series, period.start, period.end)[m];
  const key = rule.threshold.repeat === 'per_period' ? periodKey(period) : ONCE;
  const held = peekHeld(state, rule.achievement.id);
  const heldHere = key === ONCE ? held.tiers : (held.periods.get(key) ?? new Set<number>());
  const unlock = (i: number) => effect.unlocks.push(recordUnlock(state, rule.achievement, i, key, 'event', event.occurredAt));
  if (goal === 'threshold') {
    rule.threshold.thresholds.forEach((threshold, i) => {
      if (!heldHere.has(i) && value >= threshold) unlock(i);
    });
    return;
  }
  if (heldHere.has(0)) return;
  if (goal === 'targetPercent') {
    const target = state.targets.get(rule.metricId);
    const percent = rule.threshold.thresholds[0] ?? 0;
    if (target && target.value > 0 && value >= (percent / 100) * proratedTarget(target, period)) unlock(0);
    return;
  }
  const previous = periodOf(period.start - 1, spec, ctx.weekStart);
  const beaten = previous ? sumDays(series, previous.start, previous.end)[m] : 0;
  if (value > 0 && value > beaten) unlock(0);
}

/** Whether a period qualifies for a streak: per metric, enough in the period (or any event, without a minimum). */
export function streakQualifies(
  def: StreakDefinition,
  days: ReadonlyMap<string, ReadonlyMap<DayNumber, DayTally>>,
  period: Period,
): boolean {
  const passes = def.metrics.map((m) => {
    const sum = sumDays(days.get(m.metricId), period.start, period.end);
    return m.min === null ? sum.count > 0 : sum.count > 0 && sum.total >= m.min;
  });
  return def.mode === 'all' ? passes.every(Boolean) : passes.some(Boolean);
}

function updateStreaks(
  rules: RuleSet,
  ctx: EvaluationContext,
  state: UserWorkingState,
  event: EventInputForRules,
  today: DayNumber,
  effect: EventEffect,
): void {
  for (const def of rules.streaksByMetric.get(event.metricId) ?? []) {
    const period = streakPeriod(def.frequency, event.day, ctx.weekStart);
    const points = state.streaks.get(def.id) ?? [];
    if (points.some((p) => p.period === period.start)) continue;
    if (!streakQualifies(def, state.days, period)) continue;
    const earlier = points.filter((p) => p.period < period.start);
    const later = points.filter((p) => p.period > period.start);
    const fresh = requalify(def, earlier.at(-1) ?? null, later, period.start, event.occurredAt, today, ctx.weekStart);
    state.streaks.set(def.id, [...earlier, ...fresh]);
    effect.streakChanges.push({ streakId: def.id, from: period.start, points: fresh });

    const unchanged = new Map(later.map((p) => [p.period, p.length]));
    if (def.id === rules.primaryStreak?.id) {
      for (const point of fresh) {
        if (unchanged.get(point.period) === point.length) continue;
        for (const trigger of rules.triggers.streak) {
          const n = trigger.streakLength ?? 0;
          if (point.length - 1 < n && n <= point.length && matchesAttributes(trigger.userFilter, state.attributes)) {
            effect.firings.push({ trigger, times: 1, at: point.extendedAt });
          }
        }
      }
    }
    for (const rule of rules.streakRules.get(def.id) ?? []) {
      if (rule.userFilter && !matchesAttributes(rule.userFilter, state.attributes)) continue;
      for (const point of fresh) {
        if (unchanged.get(point.period) === point.length) continue;
        if (rule.countsFrom !== null && point.extendedAt < rule.countsFrom) continue;
        const tiered = rule.achievement.tiers.length > 0;
        for (const step of decideUnlocks(rule.threshold, point.length - 1, point.length, peekHeld(state, rule.achievement.id))) {
          effect.unlocks.push(recordUnlock(state, rule.achievement, tiered ? step.tierIndex : 0, ONCE, 'event', point.extendedAt));
        }
      }
    }
  }
}

/** Anniversaries are checked whenever the user is seen (and by a daily sweep). */
function checkAnniversaries(rules: RuleSet, state: UserWorkingState, today: DayNumber, at: number, unlocks: UnlockDecision[]): void {
  for (const rule of rules.anniversaryRules) {
    if (isHeld(state, rule.achievement.id)) continue;
    if (rule.userFilter && !matchesAttributes(rule.userFilter, state.attributes)) continue;
    if (today < anniversaryDay(state.createdAt, state.tz, rule.years)) continue;
    unlocks.push(recordUnlock(state, rule.achievement, 0, ONCE, 'event', at));
  }
}

function chainComposites(rules: RuleSet, state: UserWorkingState, unlocks: UnlockDecision[]): void {
  for (let i = 0; i < unlocks.length; i++) {
    const unlock = unlocks[i] as UnlockDecision;
    for (const rule of rules.compositesByRequirement.get(unlock.achievement.id) ?? []) {
      if (isHeld(state, rule.achievement.id)) continue;
      if (rule.userFilter && !matchesAttributes(rule.userFilter, state.attributes)) continue;
      let have = 0;
      for (const id of rule.requiredIds) if (isHeld(state, id)) have++;
      if (have >= rule.min) unlocks.push(recordUnlock(state, rule.achievement, 0, ONCE, 'composite', unlock.at));
    }
  }
}

const NOTHING_HELD: HeldAwards = Object.freeze({ tiers: new Set<number>(), completions: 0, periods: new Map<string, Set<number>>() });

/**
 * What the user holds, for reading: no record is made for the many rules an event evaluates
 * without unlocking anything (recording an unlock makes one). The returned record is live, so
 * unlocks recorded while iterating show up in it.
 */
function peekHeld(state: UserWorkingState, achievementId: string): HeldAwards {
  return state.held.get(achievementId) ?? NOTHING_HELD;
}

function heldOf(state: UserWorkingState, achievementId: string): HeldAwards {
  let held = state.held.get(achievementId);
  if (!held) {
    held = { tiers: new Set(), completions: 0, periods: new Map() };
    state.held.set(achievementId, held);
  }
  return held;
}

/** Records an unlock in the state; `tierIndex` is 0 for an untiered achievement. */
function recordUnlock(
  state: UserWorkingState,
  achievement: Achievement,
  tierIndex: number,
  periodKey: string,
  source: AwardSource,
  at: number,
): UnlockDecision {
  const held = heldOf(state, achievement.id);
  const firstForUser = held.completions === 0 && held.tiers.size === 0;
  held.completions += 1;
  held.tiers.add(tierIndex);
  let inPeriod = held.periods.get(periodKey);
  if (!inPeriod) held.periods.set(periodKey, (inPeriod = new Set()));
  inPeriod.add(tierIndex);
  const tier = achievement.tiers[tierIndex];
  return {
    achievement,
    tierIndex: tier ? tierIndex : null,
    tierKey: tier?.key ?? NO_TIER,
    periodKey,
    completionCount: held.completions,
    firstForUser,
    rewards: tier ? tier.rewards : achievement.rewards,
    source,
    at,
  };
}

/**
 * The compiled form of a community's achievements: for each metric, the rules an event on it must
 * evaluate and the state they need; for each achievement, the composites that depend on it. Built
 * once per configuration change, so an event only ever touches the achievements on its own metric.
 */
import type { Achievement, Measure } from './achievement.js';
import { isFixedWindow, thresholdsOf } from './achievement.js';
import { isEmptyFilter } from './attribute-filter.js';
import { dayNumber, type PeriodSpec } from './calendar.js';
import type { Metric } from './metric.js';
import { NO_TRIGGERS, type TriggerSet } from './points-triggers.js';
import type { StreakDefinition } from './streaks.js';
import type { ThresholdRule } from './thresholds.js';

/** Over what time a metric criterion is measured. */
export type TimeScope =
  | { kind: 'lifetime' }
  | { kind: 'fixed'; from: number; until: number }
  | { kind: 'rolling'; days: number }
  | { kind: 'period'; spec: PeriodSpec; goal: 'threshold' | 'targetPercent' | 'beatPrevious' };

/**
 * Where a metric criterion's measure comes from: the user's running total of the metric, the
 * achievement's own counter, the metric's per-day totals, or the achievement's own per-day totals.
 * An achievement keeps its own when only filtered events, or only events since activation, count.
 */
export type MeasureSource = 'total' | 'counter' | 'metric_days' | 'own_days';

export interface MetricRule {
  achievement: Achievement;
  metricId: string;
  source: MeasureSource;
  measure: Measure;
  threshold: ThresholdRule;
  time: TimeScope;
  /** The day series read by windowed and period rules. */
  seriesId: string;
  eventFilter: Record<string, string> | null;
  userFilter: Record<string, string> | null;
  /** Events before this time do not count (from_activation, fixed windows). */
  countsFrom: number | null;
  /** Events from this time on do not count, and it can no longer be earned (fixed windows). */
  countsUntil: number | null;
}

export interface CompositeRule {
  achievement: Achievement;
  requiredIds: string[];
  min: number;
  userFilter: Record<string, string> | null;
}

export interface StreakRule {
  achievement: Achievement;
  streakId: string;
  threshold: ThresholdRule;
  userFilter: Record<string, string> | null;
  countsFrom: number | null;
}

export interface AnniversaryRule {
  achievement: Achievement;
  years: number;
  userFilter: Record<string, string> | null;
}

export interface HealthIssue {
  code: 'metric_archived' | 'metric_missing' | 'requirement_archived' | 'requirement_missing' | 'streak_missing';
  message: string;
  field: string;
}

/** The state an event on one metric reads and writes, besides the metric's own total. */
export interface Footprint {
  /** Achievements whose own counter the event may move. */
  counterIds: string[];
  /** Achievements whose held awards decide what unlocks (theirs and every composite they lead to). */
  heldIds: string[];
  /** Day series read, with how many days before an event's day they look. */
  series: Map<string, number>;
  streakIds: string[];
  /** Whether a rule measures against the user's own target (so targets must be loaded). */
  targets: boolean;
}

export interface RuleSet {
  metricRules: ReadonlyMap<string, readonly MetricRule[]>;
  footprints: ReadonlyMap<string, Footprint>;
  /** What an event on a metric without rules still needs (anniversaries are checked on every event). */
  baseFootprint: Footprint;
  compositesByRequirement: ReadonlyMap<string, readonly CompositeRule[]>;
  streakRules: ReadonlyMap<string, readonly StreakRule[]>;
  streaksByMetric: ReadonlyMap<string, readonly StreakDefinition[]>;
  streaksById: ReadonlyMap<string, StreakDefinition>;
  streaksByKey: ReadonlyMap<string, StreakDefinition>;
  primaryStreak: StreakDefinition | null;
  anniversaryRules: readonly AnniversaryRule[];
  triggers: TriggerSet;
  /** Problems per achievement id; an achievement with problems is not evaluated. */
  health: ReadonlyMap<string, readonly HealthIssue[]>;
  achievementsById: ReadonlyMap<string, Achievement>;
  achievementsByKey: ReadonlyMap<string, Achievement>;
  metricsByKey: ReadonlyMap<string, Metric>;
  metricsById: ReadonlyMap<string, Metric>;
}

export function timeScopeOf(achievement: Achievement): TimeScope {
  const c = achievement.criteria;
  if (c.type !== 'metric') return { kind: 'lifetime' };
  if (c.period) {
    const { unit, start, end, repeat } = c.period;
    const spec: PeriodSpec =
      unit === 'custom' ? { unit, start: dayNumber(start as string), end: dayNumber(end as string), repeat: repeat ?? false } : { unit };
    const goal = c.beatPrevious ? 'beatPrevious' : c.targetPercent !== undefined ? 'targetPercent' : 'threshold';
    return { kind: 'period', spec, goal };
  }
  if (isFixedWindow(c.window)) return { kind: 'fixed', from: Date.parse(c.window.start), until: Date.parse(c.window.end) };
  if (c.window) return { kind: 'rolling', days: c.window.days };
  return { kind: 'lifetime' };
}

/** Where an achievement's measure lives; backfill and reads use the same answer as the engine. */
export function measureSource(achievement: Achievement): MeasureSource {
  const own = !isEmptyFilter(achievement.filters.event) || achievement.policies.onActivation === 'from_activation';
  const time = timeScopeOf(achievement);
  if (time.kind === 'fixed') return 'counter';
  if (time.kind === 'lifetime') return own ? 'counter' : 'total';
  return own ? 'own_days' : 'metric_days';
}

/** How many days before an event's day a rule reads. */
export function lookback(time: TimeScope): number {
  switch (time.kind) {
    case 'rolling':
      return time.days - 1;
    case 'period':
      // The period and, for beatPrevious, the one before.
      if (time.spec.unit === 'custom') return 2 * ((time.spec.end as number) - (time.spec.start as number) + 1);
      return { day: 1, week: 13, month: 62 }[time.spec.unit];
    default:
      return 0;
  }
}

/** A fixed-window achievement whose window has closed: it shows as a historic result. */
export function isHistoric(achievement: Achievement, now: number): boolean {
  const time = timeScopeOf(achievement);
  return time.kind === 'fixed' && now >= time.until;
}

export function healthOf(
  achievement: Achievement,
  metricsByKey: ReadonlyMap<string, Metric>,
  achievementsByKey: ReadonlyMap<string, Achievement>,
  streaksByKey: ReadonlyMap<string, StreakDefinition> = new Map(),
  primaryStreak: StreakDefinition | null = null,
): HealthIssue[] {
  const c = achievement.criteria;
  const issues: HealthIssue[] = [];
  if (c.type === 'metric') {
    const metric = metricsByKey.get(c.metric);
    if (!metric) {
      issues.push({ code: 'metric_missing', message: `Metric "${c.metric}" does not exist`, field: 'criteria.metric' });
    } else if (metric.status === 'archived') {
      issues.push({ code: 'metric_archived', message: `Metric "${c.metric}" was deleted`, field: 'criteria.metric' });
    }
  }
  if (c.type === 'composite') {
    c.requires.forEach((key, i) => {
      const required = achievementsByKey.get(key);
      const field = `criteria.requires[${i}]`;
      if (!required) {
        issues.push({ code: 'requirement_missing', message: `Required achievement "${key}" does not exist`, field });
      } else if (required.status === 'archived') {
        issues.push({ code: 'requirement_archived', message: `Required achievement "${key}" is archived`, field });
      }
    });
  }
  if (c.type === 'streak' && !(c.streak === undefined ? primaryStreak : streaksByKey.get(c.streak))) {
    const message = c.streak === undefined ? 'The community has no primary streak' : `Streak "${c.streak}" does not exist or was archived`;
    issues.push({ code: 'streak_missing', message, field: 'criteria.streak' });
  }
  return issues;
}

export function compileRules(
  achievements: readonly Achievement[],
  metrics: readonly Metric[],
  streaks: readonly StreakDefinition[] = [],
  triggers: TriggerSet = NO_TRIGGERS,
): RuleSet {
  const metricsByKey = new Map(metrics.map((m) => [m.key, m]));
  const metricsById = new Map(metrics.map((m) => [m.id, m]));
  const achievementsByKey = new Map(achievements.map((a) => [a.key, a]));
  const achievementsById = new Map(achievements.map((a) => [a.id, a]));
  const streaksById = new Map(streaks.map((s) => [s.id, s]));
  const streaksByKey = new Map(streaks.map((s) => [s.key, s]));
  const primaryStreak = streaks.find((s) => s.primary) ?? null;
  const streaksByMetric = new Map<string, StreakDefinition[]>();
  for (const streak of streaks) for (const m of streak.metrics) push(streaksByMetric, m.metricId, streak);

  const metricRules = new Map<string, MetricRule[]>();
  const compositesByRequirement = new Map<string, CompositeRule[]>();
  const streakRules = new Map<string, StreakRule[]>();
  const anniversaryRules: AnniversaryRule[] = [];
  const health = new Map<string, HealthIssue[]>();

  for (const achievement of achievements) {
    if (achievement.status === 'archived') continue;
    const issues = healthOf(achievement, metricsByKey, achievementsByKey, streaksByKey, primaryStreak);
    if (issues.length > 0) {
      health.set(achievement.id, issues);
      continue;
    }
    if (achievement.status !== 'active') continue;
    const userFilter = isEmptyFilter(achievement.filters.user) ? null : achievement.filters.user;
    const fromActivation = achievement.policies.onActivation === 'from_activation' ? achievement.activatedAt : null;
    const threshold: ThresholdRule = {
      thresholds: thresholdsOf(achievement),
      match: achievement.policies.match,
      repeat: achievement.policies.repeat,
    };
    const c = achievement.criteria;
    switch (c.type) {
      case 'metric': {
        const metric = metricsByKey.get(c.metric) as Metric;
        const time = timeScopeOf(achievement);
        const source = measureSource(achievement);
        push(metricRules, metric.id, {
          achievement,
          metricId: metric.id,
          source,
          measure: c.measure,
          threshold,
          time,
          seriesId: source === 'own_days' ? achievement.id : metric.id,
          eventFilter: isEmptyFilter(achievement.filters.event) ? null : achievement.filters.event,
          userFilter,
          countsFrom: time.kind === 'fixed' ? Math.max(time.from, fromActivation ?? time.from) : fromActivation,
          countsUntil: time.kind === 'fixed' ? time.until : null,
        });
        break;
      }
      case 'composite': {
        const requiredIds = c.requires.map((key) => (achievementsByKey.get(key) as Achievement).id);
        const rule: CompositeRule = { achievement, requiredIds, min: c.min ?? requiredIds.length, userFilter };
        for (const id of requiredIds) push(compositesByRequirement, id, rule);
        break;
      }
      case 'streak': {
        const streak = (c.streak === undefined ? primaryStreak : streaksByKey.get(c.streak)) as StreakDefinition;
        push(streakRules, streak.id, { achievement, streakId: streak.id, threshold, userFilter, countsFrom: fromActivation });
        break;
      }
      case 'anniversary':
        anniversaryRules.push({ achievement, years: c.years, userFilter });
        break;
      case 'api':
        break;
    }
  }

  const anniversaryIds = anniversaryRules.map((r) => r.achievement.id);
  const footprintOf = (metricId: string): Footprint => {
    const rules = metricRules.get(metricId) ?? [];
    const series = new Map<string, number>();
    const widen = (id: string, days: number) => series.set(id, Math.max(days, series.get(id) ?? 0));
    for (const r of rules) if (r.time.kind === 'rolling' || r.time.kind === 'period') widen(r.seriesId, lookback(r.time));
    const streakIds: string[] = [];
    const leading = [...rules.map((r) => r.achievement.id), ...anniversaryIds];
    for (const streak of streaksByMetric.get(metricId) ?? []) {
      streakIds.push(streak.id);
      const span = { daily: 0, weekly: 6, monthly: 30 }[streak.frequency];
      for (const m of streak.metrics) widen(m.metricId, span);
      for (const r of streakRules.get(streak.id) ?? []) leading.push(r.achievement.id);
    }
    return {
      counterIds: rules.filter((r) => r.source === 'counter').map((r) => r.achievement.id),
      heldIds: [...heldClosure(compositesByRequirement, leading)],
      series,
      streakIds,
      targets: rules.some((r) => r.time.kind === 'period' && r.time.goal === 'targetPercent'),
    };
  };
  const footprints = new Map<string, Footprint>();
  for (const metric of metrics) footprints.set(metric.id, footprintOf(metric.id));

  return {
    metricRules,
    footprints,
    baseFootprint: footprintOf(''),
    compositesByRequirement,
    streakRules,
    streaksByMetric,
    streaksById,
    streaksByKey,
    primaryStreak,
    anniversaryRules,
    triggers,
    health,
    achievementsById,
    achievementsByKey,
    metricsByKey,
    metricsById,
  };
}

/** The achievements given, every composite they can lead to, and everything those composites require. */
export function heldClosure(
  compositesByRequirement: ReadonlyMap<string, readonly CompositeRule[]>,
  achievementIds: readonly string[],
): Set<string> {
  const out = new Set(achievementIds);
  const queue = [...achievementIds];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const rule of compositesByRequirement.get(id) ?? []) {
      for (const required of rule.requiredIds) out.add(required);
      if (!out.has(rule.achievement.id)) {
        out.add(rule.achievement.id);
        queue.push(rule.achievement.id);
      }
    }
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

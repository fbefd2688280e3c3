/**
 * The compiled form of a community's achievements: for each metric, the rules an event on it
 * must evaluate; for each achievement, the composites that depend on it. Built once per
 * configuration change, so an event only ever touches the achievements on its own metric.
 */
import type { Achievement, Measure } from './achievement.js';
import { thresholdsOf } from './achievement.js';
import { isEmptyFilter } from './attribute-filter.js';
import type { Metric } from './metric.js';
import type { ThresholdRule } from './thresholds.js';

export interface MetricRule {
  achievement: Achievement;
  metricId: string;
  /**
   * Where the measure comes from: the user's running total of the metric, or a counter of this
   * achievement's own (when only filtered events, or only events since activation, count).
   */
  source: 'total' | 'counter';
  measure: Measure;
  threshold: ThresholdRule;
  eventFilter: Record<string, string> | null;
  userFilter: Record<string, string> | null;
  /** Events before this time do not count (from_activation). */
  countsFrom: number | null;
}

export interface CompositeRule {
  achievement: Achievement;
  requiredIds: string[];
  min: number;
  userFilter: Record<string, string> | null;
}

export interface HealthIssue {
  code: 'metric_archived' | 'metric_missing' | 'requirement_archived' | 'requirement_missing';
  message: string;
  field: string;
}

/** The state an event on one metric reads and writes, besides the metric's own total. */
export interface Footprint {
  /** Achievements whose own counter the event may move. */
  counterIds: string[];
  /** Achievements whose held awards decide what unlocks (its own and every composite it can lead to). */
  heldIds: string[];
}

export interface RuleSet {
  metricRules: ReadonlyMap<string, readonly MetricRule[]>;
  footprints: ReadonlyMap<string, Footprint>;
  compositesByRequirement: ReadonlyMap<string, readonly CompositeRule[]>;
  /** Problems per achievement id; an achievement with problems is not evaluated. */
  health: ReadonlyMap<string, readonly HealthIssue[]>;
  achievementsById: ReadonlyMap<string, Achievement>;
  achievementsByKey: ReadonlyMap<string, Achievement>;
  metricsByKey: ReadonlyMap<string, Metric>;
  metricsById: ReadonlyMap<string, Metric>;
}

/** Where an achievement's measure lives; backfill and reads use the same answer as the engine. */
export function measureSource(achievement: Achievement): 'total' | 'counter' {
  return isEmptyFilter(achievement.filters.event) && achievement.policies.onActivation === 'backfill'
    ? 'total'
    : 'counter';
}

export function healthOf(
  achievement: Achievement,
  metricsByKey: ReadonlyMap<string, Metric>,
  achievementsByKey: ReadonlyMap<string, Achievement>,
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
  return issues;
}

export function compileRules(achievements: readonly Achievement[], metrics: readonly Metric[]): RuleSet {
  const metricsByKey = new Map(metrics.map((m) => [m.key, m]));
  const metricsById = new Map(metrics.map((m) => [m.id, m]));
  const achievementsByKey = new Map(achievements.map((a) => [a.key, a]));
  const achievementsById = new Map(achievements.map((a) => [a.id, a]));
  const metricRules = new Map<string, MetricRule[]>();
  const compositesByRequirement = new Map<string, CompositeRule[]>();
  const health = new Map<string, HealthIssue[]>();

  for (const achievement of achievements) {
    if (achievement.status === 'archived') continue;
    const issues = healthOf(achievement, metricsByKey, achievementsByKey);
    if (issues.length > 0) {
      health.set(achievement.id, issues);
      continue;
    }
    if (achievement.status !== 'active') continue;
    const userFilter = isEmptyFilter(achievement.filters.user) ? null : achievement.filters.user;
    const c = achievement.criteria;
    if (c.type === 'metric') {
      const metric = metricsByKey.get(c.metric) as Metric;
      const rule: MetricRule = {
        achievement,
        metricId: metric.id,
        source: measureSource(achievement),
        measure: c.measure,
        threshold: {
          thresholds: thresholdsOf(achievement),
          match: achievement.policies.match,
          repeat: achievement.policies.repeat,
        },
        eventFilter: isEmptyFilter(achievement.filters.event) ? null : achievement.filters.event,
        userFilter,
        countsFrom: achievement.policies.onActivation === 'from_activation' ? achievement.activatedAt : null,
      };
      push(metricRules, metric.id, rule);
    } else if (c.type === 'composite') {
      const requiredIds = c.requires.map((key) => (achievementsByKey.get(key) as Achievement).id);
      const rule: CompositeRule = { achievement, requiredIds, min: c.min ?? requiredIds.length, userFilter };
      for (const id of requiredIds) push(compositesByRequirement, id, rule);
    }
  }
  const footprints = new Map<string, Footprint>();
  for (const [metricId, rules] of metricRules) {
    footprints.set(metricId, {
      counterIds: rules.filter((r) => r.source === 'counter').map((r) => r.achievement.id),
      heldIds: [...heldClosure(compositesByRequirement, rules.map((r) => r.achievement.id))],
    });
  }
  return {
    metricRules,
    footprints,
    compositesByRequirement,
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

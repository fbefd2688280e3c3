import type { Achievement } from './achievement.js';
import { thresholdsOf } from './achievement.js';
import { anniversaryDay, localDay, periodKey, periodOf } from './calendar.js';
import { sumDays, type UserWorkingState } from './evaluate.js';
import { proratedTarget } from './goals.js';
import { measureSource, type RuleSet, timeScopeOf } from './rules.js';
import { streakStatus } from './streaks.js';
import { percentOf } from './values.js';

export interface Progress {
  current: number;
  target: number;
  percent: number;
  /** Index of the tier being worked towards; null once every tier is held. */
  targetTier: number | null;
}

/** Progress of a measure towards the first step the user does not hold yet. */
export function thresholdProgress(thresholds: readonly number[], current: number, held: ReadonlySet<number>): Progress {
  const next = thresholds.findIndex((_, i) => !held.has(i));
  if (next === -1) {
    const target = thresholds[thresholds.length - 1] ?? 0;
    return { current, target, percent: 100, targetTier: null };
  }
  const target = thresholds[next] as number;
  return { current, target, percent: percentOf(current, target), targetTier: next };
}

/** Progress of a composite: how many of its prerequisites are held, out of how many it needs. */
export function countProgress(held: number, needed: number): Progress {
  return { current: Math.min(held, needed), target: needed, percent: percentOf(held, needed), targetTier: null };
}

/** What progress needs besides the achievement: the user's state, and the community's rules and calendar. */
export interface ProgressContext {
  rules: RuleSet;
  state: UserWorkingState;
  now: number;
  weekStart: number;
  /** Achievement ids the user holds (for composites). */
  heldIds: ReadonlySet<string>;
  /** Tier indices held, and how many completions. */
  heldTiers: ReadonlySet<number>;
  completions: number;
  /** Tier indices held in the current period, for per-period achievements. */
  heldInPeriod: (periodKey: string) => ReadonlySet<number>;
}

/** Where a user stands on one achievement right now. */
export function achievementProgress(a: Achievement, p: ProgressContext): Progress | null {
  const c = a.criteria;
  const today = localDay(p.now, p.state.tz);
  switch (c.type) {
    case 'metric': {
      const metric = p.rules.metricsByKey.get(c.metric);
      if (!metric) return null;
      const m = c.measure === 'count' ? 'count' : 'total';
      const time = timeScopeOf(a);
      const source = measureSource(a);
      const seriesId = source === 'own_days' ? a.id : metric.id;
      if (time.kind === 'rolling') {
        return thresholdProgress(thresholdsOf(a), sumDays(p.state.days.get(seriesId), today - time.days + 1, today)[m], p.heldTiers);
      }
      if (time.kind === 'period') {
        const period = periodOf(today, time.spec, p.weekStart);
        if (!period) return null;
        const current = sumDays(p.state.days.get(seriesId), period.start, period.end)[m];
        const held = a.policies.repeat === 'per_period' ? p.heldInPeriod(periodKey(period)) : p.heldTiers;
        if (time.goal === 'threshold') return thresholdProgress(thresholdsOf(a), current, held);
        if (time.goal === 'targetPercent') {
          const target = p.state.targets.get(metric.id);
          if (!target) return null;
          const goal = Math.round(((thresholdsOf(a)[0] ?? 0) / 100) * proratedTarget(target, period) * 1e6) / 1e6;
          return thresholdProgress([goal], current, held);
        }
        const previous = periodOf(period.start - 1, time.spec, p.weekStart);
        const beat = previous ? sumDays(p.state.days.get(seriesId), previous.start, previous.end)[m] : 0;
        return {
          ...thresholdProgress([beat], current, held),
          percent: held.has(0) ? 100 : current > beat ? 100 : percentOf(current, beat),
        };
      }
      const tally = source === 'total' ? p.state.totals.get(metric.id) : p.state.counters.get(a.id);
      const current = tally ? tally[m] : 0;
      if (a.policies.repeat === 'unlimited') {
        // A repeatable achievement works towards its next completion.
        return thresholdProgress([(thresholdsOf(a)[0] ?? 0) * (p.completions + 1)], current, new Set());
      }
      return thresholdProgress(thresholdsOf(a), current, p.heldTiers);
    }
    case 'streak': {
      const def = c.streak === undefined ? p.rules.primaryStreak : p.rules.streaksByKey.get(c.streak);
      if (!def) return null;
      const status = streakStatus(def, p.state.streaks.get(def.id)?.at(-1) ?? null, today, p.weekStart);
      return thresholdProgress(thresholdsOf(a), status.length, p.heldTiers);
    }
    case 'anniversary': {
      let years = 0;
      while (years < c.years && today >= anniversaryDay(p.state.createdAt, p.state.tz, years + 1)) years++;
      return { current: years, target: c.years, percent: percentOf(years, c.years), targetTier: null };
    }
    case 'composite': {
      const have = c.requires.filter((key) => {
        const required = p.rules.achievementsByKey.get(key);
        return required !== undefined && p.heldIds.has(required.id);
      }).length;
      return countProgress(have, c.min ?? c.requires.length);
    }
    case 'api':
      return countProgress(p.heldIds.has(a.id) ? 1 : 0, 1);
  }
}

/**
 * Points triggers: points paid for activity itself rather than as an achievement's reward. Every
 * N units of a metric, on completing an achievement, on a streak reaching a length, on joining.
 */
import { roundValue } from './values.js';

export type TriggerType = 'metric' | 'achievement' | 'streak' | 'user_creation';

export interface PointsTrigger {
  id: string;
  systemId: string;
  type: TriggerType;
  points: number;
  metricId: string | null;
  /** Metric triggers pay once per this many units of the metric's total. */
  metricThreshold: number | null;
  achievementId: string | null;
  streakLength: number | null;
  eventFilter: Record<string, string>;
  userFilter: Record<string, string>;
  status: 'active' | 'inactive' | 'archived';
  createdAt: number;
  updatedAt: number;
}

/** How many times a metric trigger pays when a total moves from `before` to `after`: once per multiple crossed upward. */
export function metricFirings(threshold: number, before: number, after: number): number {
  if (!(threshold > 0) || after <= before) return 0;
  const crossed = Math.floor(roundValue(after / threshold)) - Math.floor(roundValue(before / threshold));
  return Math.max(0, crossed);
}

/** Triggers grouped for evaluation; only active ones. */
export interface TriggerSet {
  byMetric: ReadonlyMap<string, readonly PointsTrigger[]>;
  byAchievement: ReadonlyMap<string, readonly PointsTrigger[]>;
  /** On the primary streak's length. */
  streak: readonly PointsTrigger[];
  userCreation: readonly PointsTrigger[];
}

export function compileTriggers(triggers: readonly PointsTrigger[], activeSystems: ReadonlySet<string>): TriggerSet {
  const byMetric = new Map<string, PointsTrigger[]>();
  const byAchievement = new Map<string, PointsTrigger[]>();
  const streak: PointsTrigger[] = [];
  const userCreation: PointsTrigger[] = [];
  for (const t of triggers) {
    if (t.status !== 'active' || !activeSystems.has(t.systemId)) continue;
    if (t.type === 'metric' && t.metricId) byMetric.set(t.metricId, [...(byMetric.get(t.metricId) ?? []), t]);
    if (t.type === 'achievement' && t.achievementId) byAchievement.set(t.achievementId, [...(byAchievement.get(t.achievementId) ?? []), t]);
    if (t.type === 'streak') streak.push(t);
    if (t.type === 'user_creation') userCreation.push(t);
  }
  return { byMetric, byAchievement, streak, userCreation };
}

export const NO_TRIGGERS: TriggerSet = { byMetric: new Map(), byAchievement: new Map(), streak: [], userCreation: [] };

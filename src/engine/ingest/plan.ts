/**
 * Which state a batch needs, decided from the rules before anything is read: the totals, counters,
 * awards, day series and streaks its events' metrics can touch, and from which day back. Day series
 * and streaks are planned per user, for the metrics that user's events are on.
 */

import type { RuleSet } from '../../domain/rules.js';
import { type StreakDefinition, streakPeriod } from '../../domain/streaks.js';
import type { StateNeeds } from '../user-states.js';

const MS_PER_DAY = 86_400_000;

/** An event as planning sees it: whose, on which metric, when. */
export interface PlannedEvent {
  userId: string;
  metricId: string;
  occurredAt: number;
}

/**
 * `counted`: the built-in metrics something counts. What an event raises is known only once it
 * applies, so each user's state includes what those can touch, at the event's time (and at `now`,
 * when a member joins).
 */
export function planBatch(
  rules: RuleSet,
  weekStart: number,
  requested: readonly PlannedEvent[],
  counted: readonly string[],
  now: number,
): StateNeeds {
  const events =
    counted.length === 0
      ? requested
      : [
          ...requested,
          ...requested.flatMap((e) =>
            counted.flatMap((metricId) => [
              { ...e, metricId },
              { userId: e.userId, metricId, occurredAt: now },
            ]),
          ),
        ];
  const userIds = [...new Set(events.map((e) => e.userId))];
  const metricIds = [...new Set(events.map((e) => e.metricId))];
  const footprintOf = (metricId: string) => rules.footprints.get(metricId) ?? rules.baseFootprint;
  const counterIds = new Set<string>();
  const heldIds = new Set<string>();
  const lookbackDays = new Map<string, number>();
  const allStreakIds = new Set<string>();
  let targets = false;
  for (const id of metricIds) {
    const footprint = footprintOf(id);
    for (const a of footprint.counterIds) counterIds.add(a);
    for (const a of footprint.heldIds) heldIds.add(a);
    for (const a of footprint.streakIds) allStreakIds.add(a);
    for (const [seriesId, days] of footprint.series) lookbackDays.set(seriesId, Math.max(days, lookbackDays.get(seriesId) ?? 0));
    targets ||= footprint.targets;
  }
  // Every answer reports the primary streak, whatever metric the event is on.
  const primary = rules.primaryStreak;
  if (primary) allStreakIds.add(primary.id);
  const seriesByUser = new Map<string, Set<string>>();
  const streaksByUser = new Map<string, Set<string>>();
  for (const e of events) {
    const footprint = footprintOf(e.metricId);
    const series = setIn(seriesByUser, e.userId);
    for (const seriesId of footprint.series.keys()) series.add(seriesId);
    const streaks = setIn(streaksByUser, e.userId);
    for (const streakId of footprint.streakIds) streaks.add(streakId);
    if (primary) streaks.add(primary.id);
  }
  const earliestDay = Math.floor(Math.min(...events.map((e) => e.occurredAt)) / MS_PER_DAY) - 1;
  const fromPeriod = Math.min(
    earliestDay,
    ...[...allStreakIds].map((id) => streakPeriod((rules.streaksById.get(id) as StreakDefinition).frequency, earliestDay, weekStart).start),
  );
  return {
    userIds,
    metricIds,
    counterIds: [...counterIds],
    heldIds: [...heldIds],
    series: listed(seriesByUser),
    fromDay: earliestDay - Math.max(0, ...lookbackDays.values()),
    streaks: listed(streaksByUser),
    fromPeriod,
    targets,
    achievementsById: rules.achievementsById,
  };
}

function setIn(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function listed(map: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, set] of map) if (set.size > 0) out.set(key, [...set]);
  return out;
}

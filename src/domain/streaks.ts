/**
 * Streaks: consecutive periods (days, weeks or months in the user's calendar) in which the user did
 * enough. A missed period is covered by a freeze when one is left (and the freeze is used up), or
 * ends the streak. A frozen period keeps the streak alive without lengthening it.
 *
 * State is kept per qualifying period ("points"); everything else (the current status, history,
 * what a late event changes) is derived by walking the periods between points, so the walk costs
 * the number of periods looked at, never the length of the history.
 */
import { type DayNumber, type Period, type PeriodSpec, periodOf, startOfLocalDay } from './calendar.js';

export type StreakFrequency = 'daily' | 'weekly' | 'monthly';

/** The most freezes a policy may give or let a user hold (and the longest auto-earn interval, in days). */
export const MAX_FREEZES = 1000;

export interface FreezePolicy {
  /** Freezes a user gets when their first streak starts. */
  initial: number;
  /** A freeze is earned every this many days (0: never). */
  autoEarnEveryDays: number;
  /** No more than this many are held at once. */
  max: number;
}

export interface StreakDefinition {
  id: string;
  key: string;
  name: string;
  frequency: StreakFrequency;
  /** A period counts when, per metric, the period's sum reaches `min` (or any event, without min). */
  metrics: { metricId: string; min: number | null }[];
  mode: 'all' | 'any';
  primary: boolean;
  freezes: FreezePolicy | null;
}

/**
 * The streak's state at a period that qualified. Freezes earned during that period are added when
 * the walk moves past it, so a point never depends on the day it was written.
 */
export interface StreakPoint {
  /** First day of the qualifying period. */
  period: DayNumber;
  length: number;
  /** First day of the streak's first period. */
  started: DayNumber;
  freezes: number;
  /** Freezes are earned counting days from here. */
  earnAnchor: DayNumber;
  /** When the period qualified (the time of the event that completed it, as it arrived). */
  extendedAt: number;
}

export function periodSpec(frequency: StreakFrequency): PeriodSpec {
  return { unit: frequency === 'daily' ? 'day' : frequency === 'weekly' ? 'week' : 'month' };
}

export function streakPeriod(frequency: StreakFrequency, day: DayNumber, weekStart: number): Period {
  return periodOf(day, periodSpec(frequency), weekStart) as Period;
}

function nextPeriod(frequency: StreakFrequency, period: Period, weekStart: number): Period {
  return streakPeriod(frequency, period.end + 1, weekStart);
}

/** Adds the freezes earned by the end of `throughDay`: one per `autoEarnEveryDays` whole days since the anchor. */
function earn(policy: FreezePolicy | null, freezes: number, anchor: DayNumber, throughDay: DayNumber) {
  if (!policy || policy.autoEarnEveryDays <= 0 || throughDay < anchor) return { freezes, anchor };
  const earned = Math.floor((throughDay - anchor + 1) / policy.autoEarnEveryDays);
  return { freezes: Math.min(policy.max, freezes + earned), anchor: anchor + earned * policy.autoEarnEveryDays };
}

export interface PeriodState {
  period: Period;
  qualified: boolean;
  /** A missed period covered by a freeze. */
  frozen: boolean;
  /** Streak length as of this period (0 once broken). */
  length: number;
  freezes: number;
}

/**
 * Walks the periods after `from` (a point, or the first qualifying period when there is none) up to
 * the one containing `today`, given which periods qualified and when. Returns the state of each
 * period walked and the points it produced. The current period is not over, so not having
 * qualified in it yet neither uses a freeze nor breaks anything.
 */
export function walk(
  def: StreakDefinition,
  from: StreakPoint | null,
  qualifying: ReadonlyMap<DayNumber, number>,
  today: DayNumber,
  weekStart: number,
): { periods: PeriodState[]; points: StreakPoint[] } {
  const periods: PeriodState[] = [];
  const points: StreakPoint[] = [];
  const current = streakPeriod(def.frequency, today, weekStart);
  if (!from && qualifying.size === 0) return { periods, points };
  let length = from?.length ?? 0;
  let started = from?.started ?? 0;
  let freezes = from?.freezes ?? def.freezes?.initial ?? 0;
  let anchor = from?.earnAnchor ?? Math.min(...qualifying.keys());
  let period: Period;
  if (from) {
    const own = streakPeriod(def.frequency, from.period, weekStart);
    if (own.start < current.start) ({ freezes, anchor } = earn(def.freezes, freezes, anchor, own.end));
    period = nextPeriod(def.frequency, own, weekStart);
  } else {
    period = streakPeriod(def.frequency, anchor, weekStart);
  }

  for (; period.start <= current.start; period = nextPeriod(def.frequency, period, weekStart)) {
    const isCurrent = period.start === current.start;
    const at = qualifying.get(period.start);
    if (at !== undefined) {
      if (length === 0) started = period.start;
      length += 1;
      points.push({ period: period.start, length, started, freezes, earnAnchor: anchor, extendedAt: at });
      periods.push({ period, qualified: true, frozen: false, length, freezes });
      if (!isCurrent) ({ freezes, anchor } = earn(def.freezes, freezes, anchor, period.end));
      continue;
    }
    if (isCurrent) {
      periods.push({ period, qualified: false, frozen: false, length, freezes });
      continue;
    }
    ({ freezes, anchor } = earn(def.freezes, freezes, anchor, period.end));
    const frozen = length > 0 && freezes > 0;
    if (frozen) freezes -= 1;
    else length = 0;
    periods.push({ period, qualified: false, frozen, length, freezes });
  }
  return { periods, points };
}

export interface StreakStatus {
  length: number;
  started: DayNumber | null;
  period: Period;
  /** The last day the streak can be kept alive, or null when there is none. */
  expires: DayNumber | null;
  freezes: number;
  /** When the streak last grew, or null when it is not active. */
  extendedAt: number | null;
}

/** The streak as it stands on `today`, from the latest point. */
export function streakStatus(def: StreakDefinition, last: StreakPoint | null, today: DayNumber, weekStart: number): StreakStatus {
  const period = streakPeriod(def.frequency, today, weekStart);
  // The policy's initial freezes come with a user's first qualifying period: until then they hold none.
  if (!last) return { length: 0, started: null, period, expires: null, freezes: 0, extendedAt: null };
  const now = walk(def, last, new Map(), today, weekStart).periods.at(-1);
  const length = now ? now.length : last.length;
  const freezes = now ? now.freezes : last.freezes;
  if (length === 0) return { length: 0, started: null, period, expires: null, freezes, extendedAt: null };
  // Acting in the current period (or, once it has qualified, the next) keeps it; each freeze adds a period.
  let deadline = last.period === period.start ? nextPeriod(def.frequency, period, weekStart) : period;
  for (let i = 0; i < freezes; i++) deadline = nextPeriod(def.frequency, deadline, weekStart);
  return { length, started: last.started, period, expires: deadline.end, freezes, extendedAt: last.extendedAt };
}

/** How far ahead `lostOn` looks: a streak freezes keep alive longer than this is treated as never lost. */
const LOSS_HORIZON_DAYS = 3653;

/**
 * The day a streak is seen lost if nothing extends it after `last`: the day after the first missed
 * period no freeze covers (freezes earned on the way counted as the walk counts them). Null when
 * freezes keep it alive indefinitely: a freeze earned every period at least, or beyond ten years.
 */
export function lostOn(def: StreakDefinition, last: StreakPoint, weekStart: number): DayNumber | null {
  const policy = def.freezes;
  const minDays = def.frequency === 'daily' ? 1 : def.frequency === 'weekly' ? 7 : 28;
  if (policy && policy.max > 0 && policy.autoEarnEveryDays > 0 && policy.autoEarnEveryDays <= minDays) {
    return null;
  }
  let period = streakPeriod(def.frequency, last.period, weekStart);
  let { freezes, anchor } = earn(policy, last.freezes, last.earnAnchor, period.end);
  while (period.start - last.period <= LOSS_HORIZON_DAYS) {
    period = nextPeriod(def.frequency, period, weekStart);
    ({ freezes, anchor } = earn(policy, freezes, anchor, period.end));
    if (freezes === 0) return period.end + 1;
    freezes -= 1;
  }
  return null;
}

/**
 * When the streak after `last` is lost for a user in `tz`: the start of `lostOn` in their calendar.
 * Null when it is never lost, or already was by `now` (a rewrite of the past announces no loss).
 */
export function lostAt(def: StreakDefinition, last: StreakPoint, tz: string | null, weekStart: number, now: number): number | null {
  const day = lostOn(def, last, weekStart);
  const at = day === null ? null : startOfLocalDay(day, tz);
  return at !== null && at > now ? at : null;
}

/**
 * The points from `period` on once `period` qualifies: `base` is the latest point before it and
 * `later` the points after it (late events can land before existing points). Later periods keep
 * qualifying, so only lengths, starts and freezes move.
 */
export function requalify(
  def: StreakDefinition,
  base: StreakPoint | null,
  later: readonly StreakPoint[],
  period: DayNumber,
  at: number,
  today: DayNumber,
  weekStart: number,
): StreakPoint[] {
  const qualifying = new Map<DayNumber, number>(later.map((p) => [p.period, p.extendedAt]));
  qualifying.set(period, at);
  return walk(def, base, qualifying, today, weekStart).points;
}

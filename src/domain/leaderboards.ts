/**
 * Leaderboards rank users by a metric's total, points earned or streak length, within runs: one
 * perpetual run, or runs repeating every N days, months or years from the start date. Runs are
 * counted in each user's own calendar days, like everything else.
 */
import { DateTime } from 'luxon';
import { type DayNumber, isoDay } from './calendar.js';

export type RankBy = 'metric' | 'points' | 'streak';
export type RunUnit = 'day' | 'month' | 'year';

export interface Leaderboard {
  id: string;
  key: string;
  name: string;
  description: string | null;
  status: 'inactive' | 'active' | 'archived';
  rankBy: RankBy;
  metricId: string | null;
  pointsSystemId: string | null;
  /** Streak leaderboards: which streak (null: the primary one). */
  streakId: string | null;
  maxParticipants: number;
  /** Rankings are kept per value of this user attribute. */
  breakdownAttribute: string | null;
  startDay: DayNumber;
  endDay: DayNumber | null;
  runUnit: RunUnit | null;
  runInterval: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Run {
  start: DayNumber;
  end: DayNumber | null;
}

function utc(day: DayNumber): DateTime {
  return DateTime.fromMillis(day * 86_400_000, { zone: 'utc' });
}

function dayOf(dt: DateTime): DayNumber {
  return Math.round(dt.toMillis() / 86_400_000);
}

/** The run a day belongs to, or null before the start or after the end. */
export function runOf(lb: Pick<Leaderboard, 'startDay' | 'endDay' | 'runUnit' | 'runInterval'>, day: DayNumber): Run | null {
  if (day < lb.startDay || (lb.endDay !== null && day > lb.endDay)) return null;
  if (!lb.runUnit) return { start: lb.startDay, end: lb.endDay };
  const interval = Math.max(1, lb.runInterval ?? 1);
  const start = utc(lb.startDay);
  const at = utc(day);
  let elapsed: number;
  if (lb.runUnit === 'day') elapsed = day - lb.startDay;
  else {
    const months = (at.year - start.year) * 12 + (at.month - start.month) - (at.day < start.day ? 1 : 0);
    elapsed = lb.runUnit === 'month' ? months : Math.floor(months / 12);
  }
  const index = Math.floor(elapsed / interval);
  const step = (n: number) =>
    lb.runUnit === 'day' ? lb.startDay + n : dayOf(start.plus({ [lb.runUnit === 'month' ? 'months' : 'years']: n }));
  const runStart = step(index * interval);
  const runEnd = step((index + 1) * interval) - 1;
  return { start: runStart, end: lb.endDay === null ? runEnd : Math.min(runEnd, lb.endDay) };
}

/** As apps see it: not started yet, running, or over. */
export function displayStatus(lb: Pick<Leaderboard, 'startDay' | 'endDay'>, today: DayNumber): 'scheduled' | 'active' | 'finished' {
  if (today < lb.startDay) return 'scheduled';
  if (lb.endDay !== null && today > lb.endDay) return 'finished';
  return 'active';
}

export function runKey(run: Run): string {
  return isoDay(run.start);
}

/**
 * A run is announced finished at 13:00 UTC the day after its last day, as Trophy does: runs are
 * counted in each user's calendar, and by then the last time zone (UTC−12) has left that day.
 */
export const FINISHED_AT_UTC_HOUR = 13;

/** The last day of the runs that are finished at `now`. */
export function lastFinishedDay(now: number): DayNumber {
  return Math.floor((now - FINISHED_AT_UTC_HOUR * 3_600_000) / 86_400_000) - 1;
}

/** The runs whose last day is from `since` to `until`, oldest first. */
export function runsEnded(lb: Leaderboard, since: DayNumber, until: DayNumber): Run[] {
  // Streak leaderboards rank over their whole span, whatever their runs say.
  if (lb.rankBy === 'streak' || !lb.runUnit) {
    return lb.endDay !== null && lb.endDay >= since && lb.endDay <= until ? [{ start: lb.startDay, end: lb.endDay }] : [];
  }
  const out: Run[] = [];
  for (let day = lb.endDay === null ? until : Math.min(until, lb.endDay); day >= lb.startDay; ) {
    const run = runOf(lb, day);
    if (!run || run.end === null || run.end < since) break;
    if (run.end <= until) out.push(run);
    day = run.start - 1;
  }
  return out.reverse();
}

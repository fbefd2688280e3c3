/**
 * What is announced when something happens to a user: the outbox records of Trophy's webhook
 * events (type, user, and the object it is about, as the request's answer showed it). Written in
 * the transaction of the change; delivered after it commits (webhooks, and later email and
 * celebrations). Backfilled unlocks are not announced.
 */
import { STREAK_MILESTONES } from '../domain/built-in-events.js';
import { type DayNumber, isoDay } from '../domain/calendar.js';
import { levelFor } from '../domain/points.js';
import { type StreakDefinition, type StreakPoint, streakPeriod } from '../domain/streaks.js';
import type { User } from '../domain/user.js';
import type { OutboxRecord } from '../store/ingest/ingest-store.js';
import type { CommunityConfig } from './community-config.js';
import { timeOrderedId } from './ids.js';
import { levelView, type StreakView, userView } from './presenters.js';
import type { PointsChangeView, UnlockView } from './unlock-recorder.js';

/** What one request did to one user, as its answer shows it. */
export interface Happening {
  user: User;
  achievements: readonly UnlockView[];
  points: Readonly<Record<string, PointsChangeView>>;
  /** The user's streak, when the request extended it. */
  extendedStreak: StreakView | null;
}

/** One outbox record: the event's type, its user (none for a leaderboard's), and what it is about. */
function record(type: string, user: User | null, about: Record<string, unknown>, now: number): OutboxRecord {
  return {
    id: timeOrderedId(now),
    type,
    userId: user?.id ?? null,
    payload: { type, ...(user ? { user: userView(user) } : {}), ...about },
    backfilled: false,
    createdAt: now,
  };
}

export function announcements(config: CommunityConfig, happenings: readonly Happening[], now: number): OutboxRecord[] {
  const out: OutboxRecord[] = [];
  const announce = (user: User, type: string, about: Record<string, unknown>) => out.push(record(type, user, about, now));
  for (const h of happenings) {
    for (const achievement of h.achievements) announce(h.user, 'achievement.completed', { achievement });
    for (const [key, points] of Object.entries(h.points)) {
      const { level, awards: _awards, added: _added, ...system } = points;
      announce(h.user, 'points.changed', { points });
      if (level === undefined) continue;
      const levels = config.pointsSystemsByKey.get(key)?.levels ?? [];
      const previousLevel = levelView(levelFor(levels, points.total - points.added));
      announce(h.user, 'points.level_changed', { points: system, previousLevel, newLevel: level });
    }
    if (h.extendedStreak) {
      announce(h.user, 'streak.extended', { streak: h.extendedStreak });
      if (STREAK_MILESTONES.includes(h.extendedStreak.length)) announce(h.user, 'streak.milestone', { streak: h.extendedStreak });
    }
  }
  return out;
}

/**
 * A user's streak ended (the hourly sweep): Trophy's `streak.lost` carries the length lost; Laurel
 * adds the streak as it ended, in Trophy's streak shape: its last period extended, and `expires`,
 * the last day it could have been kept, which the user's calendar has passed.
 */
export function streakLost(
  user: User,
  def: StreakDefinition,
  last: StreakPoint,
  lostDay: DayNumber,
  weekStart: number,
  now: number,
): OutboxRecord {
  const period = streakPeriod(def.frequency, last.period, weekStart);
  const streak: StreakView = {
    key: def.key,
    name: def.name,
    length: last.length,
    frequency: def.frequency,
    started: isoDay(last.started),
    periodStart: isoDay(period.start),
    periodEnd: isoDay(period.end),
    expires: isoDay(lostDay - 1),
  };
  return record('streak.lost', user, { length: last.length, streak }, now);
}

/** A leaderboard run ended (the hourly sweep): Trophy's `leaderboard.finished`, with the run's final top rankings. */
export function leaderboardFinished(leaderboard: Record<string, unknown>, now: number): OutboxRecord {
  return record('leaderboard.finished', null, { leaderboard }, now);
}

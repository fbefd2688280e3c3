/**
 * What is announced when something happens to a user: the outbox records of Trophy's webhook
 * events (type, user, and the object it is about, as the request's answer showed it). Written in
 * the transaction of the change; delivered after it commits (webhooks, and later email and
 * celebrations). Backfilled unlocks are not announced.
 */
import { STREAK_MILESTONES } from '../domain/built-in-events.js';
import { levelFor } from '../domain/points.js';
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

export function announcements(config: CommunityConfig, happenings: readonly Happening[], now: number): OutboxRecord[] {
  const out: OutboxRecord[] = [];
  const announce = (user: User, type: string, about: Record<string, unknown>) =>
    out.push({
      id: timeOrderedId(now),
      type,
      userId: user.id,
      payload: { type, user: userView(user), ...about },
      backfilled: false,
      createdAt: now,
    });
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

/**
 * Built-in events: what Laurel itself raises when something happens to a member (joining, an
 * unlock, a reward, a level, a streak milestone), recorded as events on reserved metrics so that
 * criteria, points triggers, leaderboards and backfills count them like any other metric
 * ("unlock 5 achievements", "a welcome badge on joining").
 *
 * Invariants:
 * - A built-in event is raised in the transaction of its cause, at its cause's time, for the same user.
 * - Clients cannot send them: their keys are reserved.
 * - A chain of built-in events (an unlock raising `achievement_unlocked`, which unlocks another
 *   achievement, which raises another …) is at most `MAX_CHAIN` links long, and one event raises at
 *   most `MAX_RAISED` of them: whatever the rules, an event ends, in bounded work. Only repeatable
 *   achievements on built-in metrics can reach these bounds (the others unlock once each).
 */
import type { Achievement, Reward } from './achievement.js';
import type { MetricWording } from './condition-text.js';
import type { Level } from './points.js';

export const MEMBER_JOINED = 'member_joined';
export const ACHIEVEMENT_UNLOCKED = 'achievement_unlocked';
export const REWARD_EARNED = 'reward_earned';
export const LEVEL_REACHED = 'level_reached';
export const STREAK_MILESTONE = 'streak_milestone';

export type BuiltInMetricKey =
  | typeof MEMBER_JOINED
  | typeof ACHIEVEMENT_UNLOCKED
  | typeof REWARD_EARNED
  | typeof LEVEL_REACHED
  | typeof STREAK_MILESTONE;

/** How each built-in metric is named and counted (the wording condition texts use). */
export const BUILT_IN_METRICS: Readonly<Record<BuiltInMetricKey, Omit<MetricWording, 'key'> & { description: string }>> = {
  [MEMBER_JOINED]: {
    name: 'Member joined',
    description: 'Raised once when a member first appears (created, identified or sending a first event)',
    unit: 'times',
    unitSingular: 'time',
    verb: 'Join',
    translations: { de: { name: 'Mitglied beigetreten' }, fr: { name: 'Membre inscrit' } },
  },
  [ACHIEVEMENT_UNLOCKED]: {
    name: 'Achievements unlocked',
    description: 'Raised for every unlock (each tier and each repeat counts); attributes: achievement, tier, category',
    unit: 'achievements',
    unitSingular: 'achievement',
    verb: 'Unlock',
    translations: {
      de: { name: 'Freigeschaltete Erfolge', unit: 'Erfolge', unitSingular: 'Erfolg', verb: 'Freischalten' },
      fr: { name: 'Succès débloqués', unit: 'succès', unitSingular: 'succès', verb: 'Débloquer' },
    },
  },
  [REWARD_EARNED]: {
    name: 'Rewards earned',
    description: 'Raised for every reward an unlock pays, except the badge; attributes: type, achievement, system',
    unit: 'rewards',
    unitSingular: 'reward',
    verb: 'Earn',
    translations: {
      de: { name: 'Erhaltene Belohnungen', unit: 'Belohnungen', unitSingular: 'Belohnung', verb: 'Erhalten' },
      fr: { name: 'Récompenses obtenues', unit: 'récompenses', unitSingular: 'récompense', verb: 'Obtenir' },
    },
  },
  [LEVEL_REACHED]: {
    name: 'Levels reached',
    description: 'Raised for every points level a member reaches (each level passed counts); attributes: system, level',
    unit: 'levels',
    unitSingular: 'level',
    verb: 'Reach',
    translations: {
      de: { name: 'Erreichte Stufen', unit: 'Stufen', unitSingular: 'Stufe', verb: 'Erreichen' },
      fr: { name: 'Niveaux atteints', unit: 'niveaux', unitSingular: 'niveau', verb: 'Atteindre' },
    },
  },
  [STREAK_MILESTONE]: {
    name: 'Streak milestones',
    description: 'Raised when a streak reaches a milestone length (3, 7, 14, 30, 50, 100, 200, 365, 500, 1000); attributes: streak, length',
    unit: 'milestones',
    unitSingular: 'milestone',
    verb: 'Reach',
    translations: {
      de: { name: 'Serien-Meilensteine', unit: 'Meilensteine', unitSingular: 'Meilenstein', verb: 'Erreichen' },
      fr: { name: 'Étapes de série', unit: 'étapes', unitSingular: 'étape', verb: 'Atteindre' },
    },
  },
};

export const BUILT_IN_METRIC_KEYS = Object.keys(BUILT_IN_METRICS) as BuiltInMetricKey[];

export function isBuiltInMetric(key: string): key is BuiltInMetricKey {
  return Object.hasOwn(BUILT_IN_METRICS, key);
}

/** Streak lengths worth celebrating: `streak_milestone`, and the `streak.milestone` announcement. */
export const STREAK_MILESTONES: readonly number[] = [3, 7, 14, 30, 50, 100, 200, 365, 500, 1000];

/** The longest chain of built-in events one event can start. */
export const MAX_CHAIN = 8;

/** The most built-in events one event can raise, all links together. */
export const MAX_RAISED = 100;

/** A built-in event to apply right after its cause. */
export interface RaisedEvent {
  metric: BuiltInMetricKey;
  value: number;
  attributes: Record<string, string>;
  occurredAt: number;
}

/** What happened to one member as one event (or completion) was applied and paid. */
export interface Cause {
  /** The member appeared with this event; when they did. */
  joinedAt: number | null;
  unlocks: ReadonlyArray<{ achievement: Pick<Achievement, 'key' | 'category'>; tierKey: string; rewards: readonly Reward[]; at: number }>;
  /** Each points system the event paid, with the balance before and after. */
  points: ReadonlyArray<{ systemKey: string; levels: readonly Level[]; before: number; after: number; at: number }>;
  /** Each streak the event moved: its key, its length before and after. */
  streaks: ReadonlyArray<{ streakKey: string; before: number; after: number; at: number }>;
}

/** The built-in events a cause raises, in the order they happened. */
export function raisedBy(cause: Cause): RaisedEvent[] {
  const raised: RaisedEvent[] = [];
  const raise = (metric: BuiltInMetricKey, occurredAt: number, attributes: Record<string, string | null>) =>
    raised.push({ metric, value: 1, occurredAt, attributes: present(attributes) });
  if (cause.joinedAt !== null) raise(MEMBER_JOINED, cause.joinedAt, {});
  for (const s of cause.streaks) {
    for (const length of STREAK_MILESTONES) {
      if (length > s.before && length <= s.after) raise(STREAK_MILESTONE, s.at, { streak: s.streakKey, length: String(length) });
    }
  }
  for (const u of cause.unlocks) {
    raise(ACHIEVEMENT_UNLOCKED, u.at, { achievement: u.achievement.key, tier: u.tierKey || null, category: u.achievement.category });
    for (const r of u.rewards) {
      if (r.type === 'badge') continue;
      raise(REWARD_EARNED, u.at, { type: r.type, achievement: u.achievement.key, system: r.type === 'points' ? r.system : null });
    }
  }
  for (const p of cause.points) {
    for (const level of p.levels) {
      if (level.points > p.before && level.points <= p.after) raise(LEVEL_REACHED, p.at, { system: p.systemKey, level: level.key });
    }
  }
  return raised;
}

function present(attributes: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== null && v !== '') out[k] = v;
  return out;
}

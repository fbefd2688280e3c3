/**
 * The shapes use cases answer with. Every /v1 shape is Trophy's (same field names and meanings)
 * with Laurel's extra fields added, never renamed.
 */
import type { Static } from 'typebox';
import type { AchievementViewSchema, ProgressViewSchema, RewardViewSchema, TierViewSchema } from '../api/schemas/achievement-view.js';
import type { EventLeaderboardSchema, LeaderboardViewSchema } from '../api/schemas/leaderboard-view.js';
import type { LevelViewSchema, PointsAwardViewSchema, PointsSystemHeaderSchema } from '../api/schemas/points-view.js';
import type { StreakPeriodSchema, StreakViewSchema } from '../api/schemas/streak-view.js';
import type { UserViewSchema } from '../api/schemas/user-view.js';
import type { Achievement, Reward, Tier } from '../domain/achievement.js';
import { thresholdsOf, trophyTrigger } from '../domain/achievement.js';
import { type DayNumber, isoDay } from '../domain/calendar.js';
import { conditionText, tierConditionText } from '../domain/condition-text.js';
import { displayStatus, type Leaderboard } from '../domain/leaderboards.js';
import { type Locale, translated } from '../domain/locale.js';
import type { Level, PointsSystem } from '../domain/points.js';
import type { Progress } from '../domain/progress.js';
import { type StreakDefinition, type StreakPoint, streakPeriod, streakStatus, walk } from '../domain/streaks.js';
import type { User } from '../domain/user.js';
import type { CommunityConfig } from './community-config.js';

const iso = (ms: number) => new Date(ms).toISOString();

export type TierView = Static<typeof TierViewSchema>;
export type RewardView = Static<typeof RewardViewSchema>;
export type AchievementView = Static<typeof AchievementViewSchema>;

export function rewardViews(rewards: readonly Reward[], badgeUrl: string | null): RewardView[] {
  return rewards.map((r) => (r.type === 'badge' ? { type: 'badge', badgeUrl } : r));
}

function pairs(record: Record<string, string>) {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

const views = new WeakMap<CommunityConfig, WeakMap<Achievement, Map<Locale, AchievementView>>>();

/**
 * How an achievement is shown, in a locale. Rendered once per rules version (the condition text
 * alone formats a message per tier), then shared: callers copy it before adding their own fields.
 */
export function achievementView(a: Achievement, config: CommunityConfig, locale: Locale): AchievementView {
  let byAchievement = views.get(config);
  if (!byAchievement) views.set(config, (byAchievement = new WeakMap()));
  let byLocale = byAchievement.get(a);
  if (!byLocale) byAchievement.set(a, (byLocale = new Map()));
  let view = byLocale.get(locale);
  if (!view) byLocale.set(locale, (view = Object.freeze(renderAchievementView(a, config, locale))));
  return view;
}

function renderAchievementView(a: Achievement, config: CommunityConfig, locale: Locale): AchievementView {
  const view: AchievementView = {
    id: a.id,
    key: a.key,
    name: translated(a.name, a.translations, locale, 'name'),
    description: a.description === null ? null : translated(a.description, a.translations, locale, 'description'),
    badgeUrl: a.badgeUrl,
    trigger: trophyTrigger(a.criteria),
    condition: conditionText(a, locale, config.lookup),
    category: a.category,
    tags: a.tags,
    featured: a.featured,
    scope: a.scope,
    criteria: a.criteria,
    policies: a.policies,
    tiers: a.tiers.map((t, i) => tierView(a, t, i, config, locale)),
    rewards: rewardViews(a.rewards, a.badgeUrl),
    userAttributes: pairs(a.filters.user),
    unlockMessage: a.celebration.message === null ? null : translated(a.celebration.message, a.translations, locale, 'unlockMessage'),
  };
  const c = a.criteria;
  if (c.type === 'metric') {
    const metric = config.rules.metricsByKey.get(c.metric);
    const events = pairs(a.filters.event);
    view.eventAttributes = events;
    if (events[0]) view.eventAttribute = events[0];
    if (metric) {
      view.metricId = metric.id;
      view.metricName = translated(metric.name, metric.translations, locale, 'name');
    }
    const first = thresholdsOf(a)[0];
    if (first !== undefined) view.metricValue = first;
  }
  if (c.type === 'composite') {
    view.achievementIds = c.requires.map((key) => config.rules.achievementsByKey.get(key)?.id ?? key);
  }
  if (c.type === 'streak') {
    const first = thresholdsOf(a)[0];
    if (first !== undefined) view.streakLength = first;
  }
  return view;
}

function tierView(a: Achievement, t: Tier, index: number, config: CommunityConfig, locale: Locale): TierView {
  return {
    key: t.key,
    name: translated(t.name, t.translations, locale, 'name'),
    threshold: t.threshold,
    condition: tierConditionText(a, index, locale, config.lookup),
    badgeUrl: t.badgeUrl ?? a.badgeUrl,
    rewards: rewardViews(t.rewards, t.badgeUrl ?? a.badgeUrl),
  };
}

export type PointsAwardView = Static<typeof PointsAwardViewSchema>;

export interface PointsAwardRecordLike {
  id: string;
  amount: number;
  totalAfter: number;
  createdAt: number;
  /** reward: an achievement's own points reward (triggerId is the achievement); else a points trigger. */
  triggerType: 'reward' | 'metric' | 'achievement' | 'streak' | 'user_creation';
  triggerId: string | null;
}

/** Trophy's PointsAward: what was awarded, when, the total after, and the trigger that paid it. */
export function pointsAwardView(award: PointsAwardRecordLike, config: CommunityConfig, locale: Locale): PointsAwardView {
  const base = { id: award.id, awarded: award.amount, date: iso(award.createdAt), total: award.totalAfter };
  const achievementName = (id: string | null) => {
    const a = id ? config.rules.achievementsById.get(id) : undefined;
    return a ? { achievementId: a.id, achievementName: translated(a.name, a.translations, locale, 'name') } : {};
  };
  if (award.triggerType === 'reward') {
    return {
      ...base,
      trigger: { id: award.triggerId ?? award.id, type: 'achievement', points: award.amount, ...achievementName(award.triggerId) },
    };
  }
  const t = award.triggerId ? config.triggersById.get(award.triggerId) : undefined;
  const metric = t?.metricId ? config.rules.metricsById.get(t.metricId) : undefined;
  return {
    ...base,
    trigger: {
      id: award.triggerId ?? award.id,
      type: award.triggerType,
      points: t?.points ?? award.amount,
      ...(t?.type === 'achievement' ? achievementName(t.achievementId) : {}),
      ...(metric ? { metricId: metric.id, metricName: translated(metric.name, metric.translations, locale, 'name') } : {}),
      ...(t?.metricThreshold != null ? { metricThreshold: t.metricThreshold } : {}),
      ...(t?.streakLength != null ? { streakLengthThreshold: t.streakLength } : {}),
    },
  };
}

export type LevelView = Static<typeof LevelViewSchema>;

export function levelView(level: Level): LevelView;
export function levelView(level: Level | null): LevelView | null;
export function levelView(level: Level | null): LevelView | null {
  return level && { ...level, description: level.description ?? '' };
}

export type PointsSystemHeader = Static<typeof PointsSystemHeaderSchema>;

export function pointsSystemHeader(system: PointsSystem): PointsSystemHeader {
  return {
    id: system.id,
    key: system.key,
    name: system.name,
    description: system.description,
    badgeUrl: system.badgeUrl,
    maxPoints: system.maxPoints,
  };
}

export type ProgressView = Static<typeof ProgressViewSchema>;

export function progressView(a: Achievement, p: Progress, locale: Locale): ProgressView {
  const tier = p.targetTier === null ? undefined : a.tiers[p.targetTier];
  return {
    current: p.current,
    target: p.target,
    percent: p.percent,
    tier: tier ? { key: tier.key, name: translated(tier.name, tier.translations, locale, 'name') } : null,
  };
}

export type UserView = Static<typeof UserViewSchema>;

/** `teams`: the user's current team keys, where the caller read them (the users API). */
export function userView(u: User, teams?: readonly string[]): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    tz: u.tz,
    deviceTokens: u.deviceTokens,
    subscribeToEmails: u.subscribeToEmails,
    locale: u.locale,
    attributes: u.attributes,
    ...(teams ? { teams: [...teams] } : {}),
    control: false,
    created: iso(u.createdAt),
    updated: iso(u.updatedAt),
  };
}

export { iso };

/** Trophy's streak block: the streak as it stands on `today`. */
export type StreakView = Static<typeof StreakViewSchema>;

/** What Trophy answers when there is no streak to speak of. */
export const NO_STREAK: StreakView = {
  length: 0,
  frequency: 'daily',
  started: null,
  periodStart: null,
  periodEnd: null,
  expires: null,
};

export function streakView(def: StreakDefinition | null, last: StreakPoint | null, today: DayNumber, weekStart: number): StreakView {
  if (!def) return NO_STREAK;
  const status = streakStatus(def, last, today, weekStart);
  return {
    key: def.key,
    name: def.name,
    length: status.length,
    frequency: def.frequency,
    started: status.started === null ? null : isoDay(status.started),
    periodStart: isoDay(status.period.start),
    periodEnd: isoDay(status.period.end),
    expires: status.expires === null ? null : isoDay(status.expires),
    ...(def.freezes
      ? {
          freezes: status.freezes,
          maxFreezes: def.freezes.max,
          freezeAutoEarnInterval: def.freezes.autoEarnEveryDays,
          freezeAutoEarnAmount: def.freezes.autoEarnEveryDays > 0 ? 1 : 0,
        }
      : {}),
  };
}

/**
 * The last `count` periods up to today: each period's streak length, and whether a freeze covered
 * it. `base` is the latest point before `points` (null when `points` start at the user's first).
 */
export function streakHistory(
  def: StreakDefinition,
  base: StreakPoint | null,
  points: readonly StreakPoint[],
  today: DayNumber,
  weekStart: number,
  count: number,
): Static<typeof StreakPeriodSchema>[] {
  const qualifying = new Map(points.map((p) => [p.period, p.extendedAt]));
  const { periods } = walk(def, base, qualifying, today, weekStart);
  // Periods before the user's first streak are shown as streaks of 0.
  let earliest = periods[0]?.period ?? streakPeriod(def.frequency, today, weekStart);
  while (periods.length < count) {
    earliest = streakPeriod(def.frequency, earliest.start - 1, weekStart);
    periods.unshift({ period: earliest, qualified: false, frozen: false, length: 0, freezes: 0 });
  }
  return periods.slice(-count).map((p) => ({
    periodStart: isoDay(p.period.start),
    periodEnd: isoDay(p.period.end),
    length: p.length,
    usedFreeze: p.frozen,
    usedPause: false,
  }));
}

export type LeaderboardView = Static<typeof LeaderboardViewSchema>;

/** Trophy's LeaderboardResponse, for one run. */
export function leaderboardView(
  lb: Leaderboard,
  config: CommunityConfig,
  run: { start: DayNumber; end: DayNumber | null },
  today: DayNumber,
): LeaderboardView {
  const metric = lb.metricId ? config.rules.metricsById.get(lb.metricId) : undefined;
  const system = lb.pointsSystemId ? config.pointsSystemsById.get(lb.pointsSystemId) : undefined;
  return {
    id: lb.id,
    key: lb.key,
    name: lb.name,
    description: lb.description,
    rankBy: lb.rankBy,
    status: displayStatus(lb, today),
    runUnit: lb.runUnit,
    runInterval: lb.runInterval,
    maxParticipants: lb.maxParticipants,
    breakdownAttribute: lb.breakdownAttribute,
    ...(metric ? { metricKey: metric.key, metricName: metric.name } : {}),
    ...(system ? { pointsSystemKey: system.key, pointsSystemName: system.name } : {}),
    start: isoDay(run.start),
    end: run.end === null ? null : isoDay(run.end),
  };
}

export type EventLeaderboardView = Static<typeof EventLeaderboardSchema>;

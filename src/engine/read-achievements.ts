/** Reading achievements back: the community's catalogue with stats, and one user's standing. */
import type { Static } from 'typebox';
import type { AchievementWithStatsSchema, UserAchievementSchema } from '../api/schemas/achievement-view.js';
import type { Achievement } from '../domain/achievement.js';
import { NO_TIER } from '../domain/achievement.js';
import { isVisibleTo } from '../domain/achievement-status.js';
import { matchesAttributes } from '../domain/attribute-filter.js';
import { localDay } from '../domain/calendar.js';
import { notFound } from '../domain/errors.js';
import type { UserWorkingState } from '../domain/evaluate.js';
import { type Locale, translated } from '../domain/locale.js';
import { achievementProgress } from '../domain/progress.js';
import { isHistoric, lookback, measureSource, timeScopeOf } from '../domain/rules.js';
import { streakPeriod } from '../domain/streaks.js';
import type { User } from '../domain/user.js';
import type { AwardRecord } from '../store/repositories/awards.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { rarity } from './manage-achievements.js';
import { achievementView, iso, progressView } from './presenters.js';
import { forEach, loadUserStates } from './user-states.js';

export type AchievementWithStats = Static<typeof AchievementWithStatsSchema>;
export type UserAchievementView = Static<typeof UserAchievementSchema>;

/** Active achievements with completions and rarity; optionally only those open to given user attributes. */
export async function listCommunityAchievements(
  ctx: EngineContext,
  tenant: Tenant,
  locale: Locale,
  userAttributes?: Record<string, string>,
): Promise<AchievementWithStats[]> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const [stats, users] = await Promise.all([repos.achievements.stats(tenant), repos.users.count(tenant)]);
  const now = ctx.clock.now();
  return [...config.rules.achievementsById.values()]
    .filter((a) => a.status === 'active')
    .filter((a) => !userAttributes || matchesAttributes(a.filters.user, userAttributes))
    .map((a) => {
      const completions = stats.get(a.id)?.completions ?? 0;
      return { ...achievementView(a, config, locale), completions, rarity: rarity(completions, users), historic: isHistoric(a, now) };
    });
}

export async function userAchievements(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: { includeIncomplete: boolean; locale: Locale },
): Promise<UserAchievementView[]> {
  const repos = ctx.store.read;
  // Both first, side by side: on PostgreSQL each is a round trip.
  const [user, config] = await Promise.all([repos.users.get(tenant, userId), ctx.config.get(repos, tenant)]);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const now = ctx.clock.now();
  const weekStart = config.community.settings.weekStart;
  const achievements = [...config.rules.achievementsById.values()];
  const [awards, stats, users, loaded] = await Promise.all([
    repos.awards.forUser(tenant, userId),
    repos.achievements.stats(tenant),
    repos.users.count(tenant),
    options.includeIncomplete ? loadProgressState(repos, tenant, user, config, now) : Promise.resolve(null),
  ]);
  const byAchievement = new Map<string, AwardRecord[]>();
  for (const award of awards) {
    const list = byAchievement.get(award.achievementId);
    if (list) list.push(award);
    else byAchievement.set(award.achievementId, [award]);
  }
  const heldIds = new Set(byAchievement.keys());

  const out: UserAchievementView[] = [];
  for (const a of achievements) {
    const held = byAchievement.get(a.id) ?? [];
    if (!isVisibleTo(a.status, held.length > 0)) continue;
    if (held.length === 0 && (!options.includeIncomplete || !matchesAttributes(a.filters.user, user.attributes))) continue;
    const completions = stats.get(a.id)?.completions ?? 0;
    const heldTiers = tiersHeld(a, held);
    const progress = loaded
      ? achievementProgress(a, {
          rules: config.rules,
          state: loaded,
          now,
          weekStart,
          heldIds,
          heldTiers: new Set(heldTiers.keys()),
          completions: held.length,
          heldInPeriod: (key) => new Set(held.filter((h) => h.periodKey === key).map((h) => tierIndexOf(a, h.tierKey))),
        })
      : null;
    const top = [...heldTiers.entries()].sort((x, y) => y[0] - x[0])[0];
    const topTier = top && a.tiers[top[0]];
    out.push({
      ...achievementView(a, config, options.locale),
      completions,
      rarity: rarity(completions, users),
      achievedAt: held[0] ? iso(held[0].achievedAt) : null,
      tier:
        topTier && top
          ? {
              key: topTier.key,
              name: translated(topTier.name, topTier.translations, options.locale, 'name'),
              threshold: topTier.threshold,
              achievedAt: iso(top[1].achievedAt),
            }
          : null,
      tiersAchieved: [...heldTiers.entries()]
        .sort((x, y) => x[0] - y[0])
        .flatMap(([i, award]) => {
          const tier = a.tiers[i];
          return tier
            ? [{ key: tier.key, name: translated(tier.name, tier.translations, options.locale, 'name'), achievedAt: iso(award.achievedAt) }]
            : [];
        }),
      completionCount: held.length,
      backfilled: held.length > 0 && held.every((h) => h.backfilled),
      progress: progress && progressView(a, progress, options.locale),
      historic: isHistoric(a, now),
      status: a.status as 'active' | 'locked',
    });
  }
  return out;
}

function tierIndexOf(a: Achievement, tierKey: string): number {
  return tierKey === NO_TIER ? 0 : a.tiers.findIndex((t) => t.key === tierKey);
}

/** Tier index → the award that unlocked it (untiered achievements hold "tier" 0). */
function tiersHeld(a: Achievement, held: readonly AwardRecord[]): Map<number, AwardRecord> {
  const out = new Map<number, AwardRecord>();
  for (const award of held) {
    const index = tierIndexOf(a, award.tierKey);
    if (index >= 0 && !out.has(index)) out.set(index, award);
  }
  return out;
}

/** Everything progress can read for one user: totals, counters, recent days, streak points, targets. */
async function loadProgressState(repos: Repositories, tenant: Tenant, user: User, config: CommunityConfig, now: number) {
  const rules = config.rules;
  const achievements = [...rules.achievementsById.values()];
  const today = localDay(now, user.tz);
  const streaks = [...rules.streaksById.values()];
  const seriesIds = [...rules.metricsById.keys(), ...achievements.filter((a) => measureSource(a) === 'own_days').map((a) => a.id)];
  const furthest = Math.max(0, ...achievements.map((a) => lookback(timeScopeOf(a))));
  const loaded = await loadUserStates(repos, tenant, new Map([[user.id, user]]), {
    userIds: [user.id],
    metricIds: [...rules.metricsById.keys()],
    counterIds: achievements.filter((a) => measureSource(a) === 'counter').map((a) => a.id),
    heldIds: [],
    series: forEach([user.id], seriesIds),
    fromDay: today - furthest - 1,
    streaks: forEach(
      [user.id],
      streaks.map((s) => s.id),
    ),
    fromPeriod: Math.min(today, ...streaks.map((s) => streakPeriod(s.frequency, today, config.community.settings.weekStart).start)),
    targets: true,
    achievementsById: rules.achievementsById,
  });
  return loaded.get(user.id) as UserWorkingState;
}

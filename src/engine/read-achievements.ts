/** Reading achievements back: the community's catalogue with stats, and one user's standing. */
import type { Achievement } from '../domain/achievement.js';
import { NO_TIER, thresholdsOf } from '../domain/achievement.js';
import { isVisibleTo } from '../domain/achievement-status.js';
import { matchesAttributes } from '../domain/attribute-filter.js';
import { notFound } from '../domain/errors.js';
import type { Tally } from '../domain/evaluate.js';
import { translated, type Locale } from '../domain/locale.js';
import { countProgress, thresholdProgress, type Progress } from '../domain/progress.js';
import { measureSource } from '../domain/rules.js';
import type { AwardRecord } from '../store/repositories/awards.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { rarity } from './manage-achievements.js';
import { achievementView, iso, progressView, type AchievementView, type ProgressView } from './presenters.js';

export interface AchievementWithStats extends AchievementView {
  completions: number;
  rarity: number;
}

export interface UserAchievementView extends AchievementWithStats {
  achievedAt: string | null;
  /** The highest tier held, for tiered achievements. */
  tier: { key: string; name: string; threshold: number; achievedAt: string } | null;
  tiersAchieved: { key: string; name: string; achievedAt: string }[];
  completionCount: number;
  backfilled: boolean;
  progress: ProgressView | null;
  status: 'active' | 'locked';
}

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
  return [...config.rules.achievementsById.values()]
    .filter((a) => a.status === 'active')
    .filter((a) => !userAttributes || matchesAttributes(a.filters.user, userAttributes))
    .map((a) => {
      const completions = stats.get(a.id)?.completions ?? 0;
      return { ...achievementView(a, config, locale), completions, rarity: rarity(completions, users) };
    });
}

export async function userAchievements(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: { includeIncomplete: boolean; locale: Locale },
): Promise<UserAchievementView[]> {
  const repos = ctx.store.read;
  const user = await repos.users.get(tenant, userId);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const achievements = [...config.rules.achievementsById.values()];
  const [awards, stats, users, totals, counters] = await Promise.all([
    repos.awards.forUser(tenant, userId),
    repos.achievements.stats(tenant),
    repos.users.count(tenant),
    options.includeIncomplete
      ? repos.ingest.loadTotals(tenant, [userId], [...config.rules.metricsById.keys()])
      : Promise.resolve(new Map<string, Map<string, Tally>>()),
    options.includeIncomplete
      ? repos.ingest.loadCounters(tenant, [userId], achievements.map((a) => a.id))
      : Promise.resolve(new Map<string, Map<string, Tally>>()),
  ]);
  const byAchievement = new Map<string, AwardRecord[]>();
  for (const award of awards) {
    const list = byAchievement.get(award.achievementId);
    if (list) list.push(award);
    else byAchievement.set(award.achievementId, [award]);
  }
  const heldIds = new Set(byAchievement.keys());
  const userTotals = totals.get(userId) ?? new Map<string, Tally>();
  const userCounters = counters.get(userId) ?? new Map<string, Tally>();

  const out: UserAchievementView[] = [];
  for (const a of achievements) {
    const held = byAchievement.get(a.id) ?? [];
    if (!isVisibleTo(a.status, held.length > 0)) continue;
    if (held.length === 0 && (!options.includeIncomplete || !matchesAttributes(a.filters.user, user.attributes))) continue;
    const completions = stats.get(a.id)?.completions ?? 0;
    const heldTiers = tiersHeld(a, held);
    const progress = options.includeIncomplete
      ? progressOf(a, config, userTotals, userCounters, heldIds, heldTiers, held.length)
      : null;
    const top = [...heldTiers.entries()].sort((x, y) => y[0] - x[0])[0];
    const topTier = top && a.tiers[top[0]];
    out.push({
      ...achievementView(a, config, options.locale),
      completions,
      rarity: rarity(completions, users),
      achievedAt: held[0] ? iso(held[0].achievedAt) : null,
      tier: topTier && top
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
      status: a.status as 'active' | 'locked',
    });
  }
  return out;
}

/** Tier index → the award that unlocked it (untiered achievements hold "tier" 0). */
function tiersHeld(a: Achievement, held: readonly AwardRecord[]): Map<number, AwardRecord> {
  const out = new Map<number, AwardRecord>();
  for (const award of held) {
    const index = award.tierKey === NO_TIER ? 0 : a.tiers.findIndex((t) => t.key === award.tierKey);
    if (index >= 0 && !out.has(index)) out.set(index, award);
  }
  return out;
}

function progressOf(
  a: Achievement,
  config: CommunityConfig,
  totals: ReadonlyMap<string, Tally>,
  counters: ReadonlyMap<string, Tally>,
  heldIds: ReadonlySet<string>,
  heldTiers: ReadonlyMap<number, AwardRecord>,
  completionCount: number,
): Progress | null {
  const c = a.criteria;
  switch (c.type) {
    case 'metric': {
      const metric = config.rules.metricsByKey.get(c.metric);
      const tally = measureSource(a) === 'total' ? (metric && totals.get(metric.id)) : counters.get(a.id);
      const current = tally ? (c.measure === 'count' ? tally.count : tally.total) : 0;
      if (a.policies.repeat === 'unlimited') {
        // A repeatable achievement works towards its next completion.
        const step = thresholdsOf(a)[0] ?? 0;
        return thresholdProgress([step * (completionCount + 1)], current, new Set());
      }
      return thresholdProgress(thresholdsOf(a), current, new Set(heldTiers.keys()));
    }
    case 'composite': {
      const have = c.requires.filter((key) => {
        const required = config.rules.achievementsByKey.get(key);
        return required !== undefined && heldIds.has(required.id);
      }).length;
      return countProgress(have, c.min ?? c.requires.length);
    }
    case 'api':
      return countProgress(heldIds.has(a.id) ? 1 : 0, 1);
  }
}

/**
 * Backfill: when a backfill-policy achievement becomes active (or its criteria change while
 * active), every user who already qualifies receives it silently, marked backfilled. All of it is
 * set-based SQL inside the caller's transaction; composites that depend on it follow, and so do
 * achievements counting unlocks (the grant's unlocks are recorded as `achievement_unlocked` events).
 */

import { DateTime } from 'luxon';
import type { Achievement } from '../domain/achievement.js';
import { thresholdsOf, tierKeyAt } from '../domain/achievement.js';
import { isEmptyFilter } from '../domain/attribute-filter.js';
import { ACHIEVEMENT_UNLOCKED } from '../domain/built-in-events.js';
import { localDay, periodKey, periodOf } from '../domain/calendar.js';
import type { Metric } from '../domain/metric.js';
import type { PointsSystem } from '../domain/points.js';
import { pointsBySystem } from '../domain/points.js';
import { healthOf, measureSource, timeScopeOf } from '../domain/rules.js';
import type { StreakDefinition } from '../domain/streaks.js';
import type { GrantTarget, MeasureSource } from '../store/repositories/backfill.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { Logger } from './context.js';
import { idPrefix, randomId } from './ids.js';
import { rewardViews } from './presenters.js';

/** The community as the backfill sees it: already including the change being made. */
export interface BackfillCatalogue {
  achievements: readonly Achievement[];
  metricsByKey: ReadonlyMap<string, Metric>;
  pointsSystemsByKey: ReadonlyMap<string, PointsSystem>;
  streaksByKey: ReadonlyMap<string, StreakDefinition>;
  primaryStreak: StreakDefinition | null;
  weekStart: number;
}

export function catalogueOf(config: CommunityConfig): BackfillCatalogue {
  return {
    achievements: [...config.rules.achievementsById.values()],
    metricsByKey: config.rules.metricsByKey,
    pointsSystemsByKey: config.pointsSystemsByKey,
    streaksByKey: config.rules.streaksByKey,
    primaryStreak: config.rules.primaryStreak,
    weekStart: config.community.settings.weekStart,
  };
}

/** Repeatable achievements backfill at most this many completions per user. */
const MAX_BACKFILLED_REPEATS = 10_000;

/** Backfills one achievement and, after it, every composite that can now follow. Returns awards written. */
export async function backfillAchievement(
  tx: Repositories,
  tenant: Tenant,
  achievement: Achievement,
  catalogue: BackfillCatalogue,
  now: number,
  log: Logger,
): Promise<number> {
  const byKey = new Map(catalogue.achievements.map((a) => [a.key, a]));
  const done = new Set<string>();
  const queue: Achievement[] = [achievement];
  let granted = 0;
  while (queue.length > 0) {
    const next = queue.shift() as Achievement;
    if (done.has(next.id)) continue;
    done.add(next.id);
    const issues = healthOf(next, catalogue.metricsByKey, byKey, catalogue.streaksByKey, catalogue.primaryStreak);
    if (issues.length > 0) {
      log.warn({ achievement: next.key, issues: issues.map((i) => i.message) }, 'Backfill skipped: dangling reference');
      continue;
    }
    const runId = randomId();
    await grant(tx, tenant, next, catalogue, byKey, runId, now);
    await payRewardsOfRun(tx, tenant, next, catalogue, runId, now);
    await tx.backfill.refreshStats(next.id);
    const ran = await tx.backfill.countRun(runId);
    granted += ran;
    if (ran > 0) await countUnlocksOfRun(tx, tenant, next, catalogue, runId, now);
    for (const dependent of catalogue.achievements) {
      const c = dependent.criteria;
      if (dependent.status !== 'active' || dependent.policies.onActivation !== 'backfill') continue;
      // Composites requiring it, and (when it granted anything) achievements counting unlocks.
      if (c.type === 'composite' && c.requires.includes(next.key)) queue.push(dependent);
      if (ran > 0 && c.type === 'metric' && c.metric === ACHIEVEMENT_UNLOCKED) queue.push(dependent);
    }
  }
  return granted;
}

async function grant(
  tx: Repositories,
  tenant: Tenant,
  a: Achievement,
  catalogue: BackfillCatalogue,
  byKey: ReadonlyMap<string, Achievement>,
  runId: string,
  now: number,
): Promise<void> {
  const userFilter = isEmptyFilter(a.filters.user) ? null : a.filters.user;
  const target = (tierIndex: number, periodKey?: string): GrantTarget => ({
    achievementId: a.id,
    tierKey: tierKeyAt(a, tierIndex),
    rewardsJson: rewardsJson(a, tierIndex),
    runId,
    now,
    idPrefix: idPrefix(now),
    ...(periodKey === undefined ? {} : { periodKey }),
  });
  const thresholds = thresholdsOf(a);
  const c = a.criteria;
  switch (c.type) {
    case 'composite': {
      const requiredIds = c.requires.map((key) => (byKey.get(key) as Achievement).id);
      await tx.backfill.grantComposite(tenant, target(0), requiredIds, c.min ?? requiredIds.length, userFilter);
      return;
    }
    case 'streak': {
      const streak = c.streak === undefined ? catalogue.primaryStreak : catalogue.streaksByKey.get(c.streak);
      if (!streak) return;
      for (const [i, length] of thresholds.entries()) {
        await tx.backfill.grantStreak(tenant, target(i), { streakId: streak.id, length, exact: a.policies.match === 'exact', userFilter });
      }
      return;
    }
    case 'anniversary': {
      const joinedBy = DateTime.fromMillis(now, { zone: 'utc' }).minus({ years: c.years }).toMillis();
      await tx.backfill.grantAnniversary(tenant, target(0), joinedBy, userFilter);
      return;
    }
    case 'api':
      return;
    case 'metric':
      break;
  }
  const metric = catalogue.metricsByKey.get(c.metric) as Metric;
  const measure = c.measure === 'count' ? 'count' : 'total';
  const eventFilter = isEmptyFilter(a.filters.event) ? null : a.filters.event;
  const time = timeScopeOf(a);
  const source = measureSource(a);

  if (time.kind === 'rolling' || time.kind === 'period') {
    if (source === 'own_days') await tx.backfill.rebuildDaySeries(tenant, a.id, metric.id, eventFilter, null);
    const seriesId = source === 'own_days' ? a.id : metric.id;
    if (time.kind === 'rolling') {
      for (const [i, threshold] of thresholds.entries()) {
        await tx.backfill.grantRolling(tenant, target(i), { seriesId, measure, days: time.days, threshold, userFilter });
      }
      return;
    }
    // A period goal is judged for the period running now (by UTC's calendar); a target share is not backfilled.
    const period = periodOf(localDay(now, null), time.spec, catalogue.weekStart);
    if (!period || time.goal === 'targetPercent') return;
    const periodKeyNow = a.policies.repeat === 'per_period' ? periodKey(period) : undefined;
    if (time.goal === 'beatPrevious') {
      const previous = periodOf(period.start - 1, time.spec, catalogue.weekStart);
      const goal = { kind: 'beat' as const, start: previous?.start ?? period.start, end: previous?.end ?? period.start - 1 };
      await tx.backfill.grantPeriod(tenant, target(0, periodKeyNow), {
        seriesId,
        measure,
        start: period.start,
        end: period.end,
        goal,
        userFilter,
      });
      return;
    }
    for (const [i, threshold] of thresholds.entries()) {
      await tx.backfill.grantPeriod(tenant, target(i, periodKeyNow), {
        seriesId,
        measure,
        start: period.start,
        end: period.end,
        goal: { kind: 'threshold', value: threshold },
        userFilter,
      });
    }
    return;
  }

  if (time.kind === 'fixed' && now >= time.until) return;
  let from: MeasureSource;
  if (source === 'total') {
    from = { kind: 'total', metricId: metric.id };
  } else {
    const window = time.kind === 'fixed' ? time : null;
    await tx.backfill.rebuildCounters(tenant, a.id, metric.id, eventFilter, window?.from ?? null, window?.until ?? null);
    from = { kind: 'counter', achievementId: a.id };
  }
  const comparison = a.policies.match === 'exact' ? '=' : '>=';
  if (a.policies.repeat === 'unlimited') {
    const threshold = thresholds[0] as number;
    if (comparison === '=') {
      // Exactly at the threshold now is one completion; earlier passes through it are not known.
      await tx.backfill.grantByMeasure(tenant, target(0), { source: from, measure, comparison, threshold, userFilter });
      return;
    }
    await tx.backfill.grantRepeats(tenant, target(0), { source: from, measure, comparison, threshold, userFilter }, MAX_BACKFILLED_REPEATS);
    return;
  }
  for (const [i, threshold] of thresholds.entries()) {
    await tx.backfill.grantByMeasure(tenant, target(i), { source: from, measure, comparison, threshold, userFilter });
  }
}

/** Pays the points rewards of every award one run wrote. */
export async function payRewardsOfRun(
  tx: Repositories,
  tenant: Tenant,
  a: Achievement,
  catalogue: BackfillCatalogue,
  runId: string,
  now: number,
): Promise<void> {
  const steps =
    a.tiers.length > 0 ? a.tiers.map((t) => ({ key: t.key, rewards: t.rewards })) : [{ key: tierKeyAt(a, 0), rewards: a.rewards }];
  for (const step of steps) {
    for (const [systemKey, amount] of pointsBySystem(step.rewards)) {
      const system = catalogue.pointsSystemsByKey.get(systemKey);
      if (system?.status !== 'active') continue;
      await tx.backfill.payPoints(tenant, runId, step.key, system, amount, now, idPrefix(now));
    }
  }
}

/**
 * The unlocks a grant made, as `achievement_unlocked` events (one per award, at its time), so
 * achievements counting unlocks count them too. Silent like the grant: no built-in event of it is
 * evaluated on the spot; achievements on unlocks with the backfill policy follow in the same run.
 */
export async function countUnlocksOfRun(
  tx: Repositories,
  tenant: Tenant,
  a: Achievement,
  catalogue: BackfillCatalogue,
  runId: string,
  now: number,
): Promise<void> {
  const metric = catalogue.metricsByKey.get(ACHIEVEMENT_UNLOCKED);
  if (metric?.status !== 'active') return;
  // As on the event path, the events are stored only when an achievement counts them; totals always.
  const counted = catalogue.achievements.some(
    (other) => other.status === 'active' && other.criteria.type === 'metric' && other.criteria.metric === ACHIEVEMENT_UNLOCKED,
  );
  const tiers = a.tiers.length > 0 ? a.tiers.map((t) => t.key) : [tierKeyAt(a, 0)];
  for (const tierKey of tiers) {
    const attributes = { achievement: a.key, ...(tierKey ? { tier: tierKey } : {}), ...(a.category ? { category: a.category } : {}) };
    await tx.backfill.recordUnlocksOfRun(tenant, runId, tierKey, metric.id, JSON.stringify(attributes), now, idPrefix(now), counted);
  }
}

function rewardsJson(a: Achievement, tierIndex: number): string {
  const tier = a.tiers[tierIndex];
  const rewards = tier ? tier.rewards : a.rewards;
  return JSON.stringify(rewardViews(rewards, tier?.badgeUrl ?? a.badgeUrl));
}

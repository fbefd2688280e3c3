/**
 * Backfill: when a backfill-policy achievement becomes active (or its criteria change while
 * active), every user who already qualifies receives it silently, marked backfilled. All of it is
 * set-based SQL inside the caller's transaction; composites that depend on it follow.
 */
import type { Achievement } from '../domain/achievement.js';
import { thresholdsOf, tierKeyAt } from '../domain/achievement.js';
import { isEmptyFilter } from '../domain/attribute-filter.js';
import type { Metric } from '../domain/metric.js';
import type { PointsSystem } from '../domain/points.js';
import { pointsBySystem } from '../domain/points.js';
import { healthOf, measureSource } from '../domain/rules.js';
import type { MeasureSource } from '../store/repositories/backfill.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { Logger } from './context.js';
import { randomId } from './ids.js';
import { rewardViews } from './presenters.js';

/** The community as the backfill sees it: already including the change being made. */
export interface BackfillCatalogue {
  achievements: readonly Achievement[];
  metricsByKey: ReadonlyMap<string, Metric>;
  pointsSystemsByKey: ReadonlyMap<string, PointsSystem>;
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
    const issues = healthOf(next, catalogue.metricsByKey, byKey);
    if (issues.length > 0) {
      log.warn({ achievement: next.key, issues: issues.map((i) => i.message) }, 'Backfill skipped: dangling reference');
      continue;
    }
    const runId = randomId();
    await grant(tx, tenant, next, catalogue, byKey, runId, now);
    await payRewards(tx, tenant, next, catalogue, runId, now);
    await tx.backfill.refreshStats(next.id);
    granted += await tx.backfill.countRun(runId);
    for (const dependent of catalogue.achievements) {
      const c = dependent.criteria;
      if (
        c.type === 'composite' &&
        dependent.status === 'active' &&
        dependent.policies.onActivation === 'backfill' &&
        c.requires.includes(next.key)
      ) {
        queue.push(dependent);
      }
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
  const c = a.criteria;
  if (c.type === 'composite') {
    const requiredIds = c.requires.map((key) => (byKey.get(key) as Achievement).id);
    await tx.backfill.grantComposite(
      tenant,
      { achievementId: a.id, tierKey: tierKeyAt(a, 0), rewardsJson: rewardsJson(a, 0), runId, now },
      requiredIds,
      c.min ?? requiredIds.length,
      userFilter,
    );
    return;
  }
  if (c.type !== 'metric') return;
  const metric = catalogue.metricsByKey.get(c.metric) as Metric;
  let source: MeasureSource;
  if (measureSource(a) === 'total') {
    source = { kind: 'total', metricId: metric.id };
  } else {
    await tx.backfill.rebuildCounters(tenant, a.id, metric.id, isEmptyFilter(a.filters.event) ? null : a.filters.event, null);
    source = { kind: 'counter', achievementId: a.id };
  }
  const measure = c.measure === 'count' ? 'count' : 'total';
  const comparison = a.policies.match === 'exact' ? '=' : '>=';
  const thresholds = thresholdsOf(a);
  if (a.policies.repeat === 'unlimited') {
    const threshold = thresholds[0] as number;
    const target = { achievementId: a.id, tierKey: tierKeyAt(a, 0), rewardsJson: rewardsJson(a, 0), runId, now };
    if (comparison === '=') {
      // Exactly at the threshold now is one completion; earlier passes through it are not known.
      await tx.backfill.grantByMeasure(tenant, { ...target }, { source, measure, comparison, threshold, userFilter });
      return;
    }
    await tx.backfill.grantRepeats(tenant, target, { source, measure, comparison, threshold, userFilter }, MAX_BACKFILLED_REPEATS);
    return;
  }
  for (const [i, threshold] of thresholds.entries()) {
    await tx.backfill.grantByMeasure(
      tenant,
      { achievementId: a.id, tierKey: tierKeyAt(a, i), rewardsJson: rewardsJson(a, i), runId, now },
      { source, measure, comparison, threshold, userFilter },
    );
  }
}

async function payRewards(
  tx: Repositories,
  tenant: Tenant,
  a: Achievement,
  catalogue: BackfillCatalogue,
  runId: string,
  now: number,
): Promise<void> {
  const steps = a.tiers.length > 0 ? a.tiers.map((t) => ({ key: t.key, rewards: t.rewards })) : [{ key: tierKeyAt(a, 0), rewards: a.rewards }];
  for (const step of steps) {
    for (const [systemKey, amount] of pointsBySystem(step.rewards)) {
      const system = catalogue.pointsSystemsByKey.get(systemKey);
      if (!system || system.status !== 'active') continue;
      await tx.backfill.payPoints(tenant, runId, step.key, system, amount, now);
    }
  }
}

function rewardsJson(a: Achievement, tierIndex: number): string {
  const tier = a.tiers[tierIndex];
  const rewards = tier ? tier.rewards : a.rewards;
  return JSON.stringify(rewardViews(rewards, tier?.badgeUrl ?? a.badgeUrl));
}

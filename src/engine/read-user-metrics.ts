/** A user's metrics: totals with the metric's achievements, and summaries over time. */
import type { Static } from 'typebox';
import type { UserMetricSchema } from '../api/schemas/metric-view.js';
import { isVisibleTo } from '../domain/achievement-status.js';
import { isBuiltInMetric } from '../domain/built-in-events.js';
import { localDay } from '../domain/calendar.js';
import { notFound } from '../domain/errors.js';
import type { Locale } from '../domain/locale.js';
import { type Aggregation, summarize, summaryRange } from '../domain/summaries.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { achievementView, iso } from './presenters.js';

async function userOrThrow(ctx: EngineContext, tenant: Tenant, userId: string) {
  const user = await ctx.store.read.users.get(tenant, userId);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  return user;
}

/**
 * Trophy's MetricResponse for every active metric (or one): the user's total and the metric's
 * achievements. A built-in metric is listed only when a visible achievement counts it: apps did not
 * send those events, and Trophy's clients list what they configured.
 */
export async function userMetrics(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  locale: Locale,
  metricKey?: string,
): Promise<Static<typeof UserMetricSchema>[]> {
  await userOrThrow(ctx, tenant, userId);
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const counted = new Set(
    [...config.rules.achievementsById.values()].flatMap((a) =>
      a.criteria.type === 'metric' && (a.status === 'active' || a.status === 'locked') ? [a.criteria.metric] : [],
    ),
  );
  const metrics = [...config.rules.metricsById.values()].filter((m) =>
    metricKey === undefined ? m.status === 'active' && (!isBuiltInMetric(m.key) || counted.has(m.key)) : m.key === metricKey,
  );
  if (metricKey !== undefined && metrics.length === 0) throw notFound('metric_not_found', `There is no metric "${metricKey}"`, 'key');
  const [totals, awards] = await Promise.all([
    repos.userState.loadTotals(
      tenant,
      [userId],
      metrics.map((m) => m.id),
    ),
    repos.awards.forUser(tenant, userId),
  ]);
  const firstAward = new Map<string, number>();
  for (const a of awards) firstAward.set(a.achievementId, Math.min(a.achievedAt, firstAward.get(a.achievementId) ?? Infinity));
  return metrics.map((m) => ({
    id: m.id,
    key: m.key,
    name: m.name,
    status: m.status,
    current: totals.get(userId)?.get(m.id)?.total ?? 0,
    achievements: [...config.rules.achievementsById.values()]
      .filter((a) => a.criteria.type === 'metric' && a.criteria.metric === m.key && isVisibleTo(a.status, firstAward.has(a.id)))
      .map((a) => {
        const at = firstAward.get(a.id);
        return { ...achievementView(a, config, locale), achievedAt: at === undefined ? null : iso(at) };
      }),
  }));
}

export interface SummaryQuery {
  aggregation: Aggregation;
  startDate: string;
  endDate: string;
}

/** A metric's totals over time for one user, per day, week or month of their calendar. */
export async function metricEventSummary(ctx: EngineContext, tenant: Tenant, userId: string, metricKey: string, query: SummaryQuery) {
  const range = summaryRange(query.startDate, query.endDate);
  await userOrThrow(ctx, tenant, userId);
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const metric = config.rules.metricsByKey.get(metricKey);
  if (!metric) throw notFound('metric_not_found', `There is no metric "${metricKey}"`, 'key');
  const [days, totals] = await Promise.all([
    repos.userState.loadDays(tenant, new Map([[userId, [metric.id]]]), range.start),
    repos.userState.loadTotals(tenant, [userId], [metric.id]),
  ]);
  const changes = new Map([...(days.get(userId)?.get(metric.id) ?? new Map()).entries()].map(([d, t]) => [d, t.total]));
  return summarize(changes, totals.get(userId)?.get(metric.id)?.total ?? 0, range, query.aggregation, config.community.settings.weekStart);
}

/** A points system's totals over time for one user. */
export async function pointsEventSummary(ctx: EngineContext, tenant: Tenant, userId: string, systemKey: string, query: SummaryQuery) {
  const range = summaryRange(query.startDate, query.endDate);
  const user = await userOrThrow(ctx, tenant, userId);
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const system = config.pointsSystemsByKey.get(systemKey);
  if (!system) throw notFound('points_system_not_found', `There is no points system "${systemKey}"`, 'key');
  // Awards from a day before the range (time zones reach at most a day back) to now.
  const [awards, totals] = await Promise.all([
    repos.points.awardsSince(tenant, userId, system.id, (range.start - 1) * 86_400_000),
    repos.points.totals(tenant, userId),
  ]);
  const changes = new Map<number, number>();
  for (const a of awards) {
    const day = localDay(a.createdAt, user.tz);
    changes.set(day, (changes.get(day) ?? 0) + a.amount);
  }
  return summarize(changes, totals.get(system.id) ?? 0, range, query.aggregation, config.community.settings.weekStart);
}

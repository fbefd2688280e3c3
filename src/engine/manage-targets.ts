/** Users' own targets per metric, against which "X % of target" goals are measured. */
import type { Static } from 'typebox';
import type { TargetViewSchema } from '../api/schemas/user-view.js';
import { invalid, notFound } from '../domain/errors.js';
import type { Target } from '../domain/goals.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { iso } from './presenters.js';
import { resolveMetrics } from './resolve-metrics.js';

type TargetView = Static<typeof TargetViewSchema>;

export async function setTarget(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  metricKey: string,
  target: Target,
): Promise<TargetView> {
  if (!(target.value > 0)) throw invalid('invalid_target', 'A target must be greater than 0', 'value');
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    await tx.ingest.lockUsers(tenant, [userId]);
    if (!(await tx.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
    const config = await ctx.config.get(tx, tenant);
    const metric = (await resolveMetrics(tx, tenant, config, [{ key: metricKey, field: 'metric' }], now)).get(metricKey) as { id: string };
    await tx.targets.save(tenant, userId, metric.id, target, now);
    return { metric: metricKey, value: target.value, per: target.per, updated: iso(now) };
  });
}

export async function listTargets(ctx: EngineContext, tenant: Tenant, userId: string): Promise<TargetView[]> {
  const repos = ctx.store.read;
  if (!(await repos.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const rows = await repos.targets.forUser(tenant, userId);
  return rows.map((r) => ({
    metric: config.rules.metricsById.get(r.metricId)?.key ?? r.metricId,
    value: r.value,
    per: r.per,
    updated: iso(r.updatedAt),
  }));
}

export async function deleteTarget(ctx: EngineContext, tenant: Tenant, userId: string, metricKey: string): Promise<void> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const metric = config.rules.metricsByKey.get(metricKey);
  const removed = metric ? await repos.targets.remove(tenant, userId, metric.id) : 0;
  if (removed === 0) throw notFound('target_not_found', `User "${userId}" has no target for "${metricKey}"`, 'metric');
}

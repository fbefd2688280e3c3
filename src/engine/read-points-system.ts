/** A points system as apps see it: its active triggers and levels, and how users are spread over it. */
import type { Static } from 'typebox';
import type { PointsRangeSchema, PointsSystemViewSchema } from '../api/schemas/points-view.js';
import { notFound } from '../domain/errors.js';
import type { Locale } from '../domain/locale.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { triggerView } from './manage-points-triggers.js';
import { levelView, pointsSystemHeader } from './presenters.js';

export async function publicPointsSystem(
  ctx: EngineContext,
  tenant: Tenant,
  key: string,
  locale: Locale,
): Promise<Static<typeof PointsSystemViewSchema>> {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const system = config.pointsSystemsByKey.get(key);
  if (system?.status !== 'active') throw notFound('points_system_not_found', `There is no points system "${key}"`, 'key');
  return {
    ...pointsSystemHeader(system),
    triggers: [...config.triggersById.values()]
      .filter((t) => t.systemId === system.id && t.status === 'active')
      .map((t) => triggerView(t, config, locale)),
    levels: system.levels.map((l) => levelView(l)),
  };
}

/** Users per range of points: ten ranges of equal, round width from 0 to the highest total. */
export async function pointsSummary(
  ctx: EngineContext,
  tenant: Tenant,
  key: string,
  userAttributes: Record<string, string> | undefined,
): Promise<Static<typeof PointsRangeSchema>[]> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const system = config.pointsSystemsByKey.get(key);
  if (!system) throw notFound('points_system_not_found', `There is no points system "${key}"`, 'key');
  const highest = await repos.points.highestTotal(tenant, system.id, userAttributes ?? {});
  const width = roundWidth(Math.max(1, Math.ceil((highest + 1) / 10)));
  const counts = await repos.points.countByRange(tenant, system.id, width, userAttributes ?? {});
  const buckets = Math.max(1, Math.ceil((highest + 1) / width));
  return Array.from({ length: buckets }, (_, i) => ({ from: i * width, to: (i + 1) * width - 1, users: counts.get(i) ?? 0 }));
}

/** 1, 2, 5, 10, 20, 50, … at or above n. */
function roundWidth(n: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const step of [1, 2, 5]) if (step * magnitude >= n) return step * magnitude;
  }
}

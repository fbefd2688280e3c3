/** A user's standing in one points system: total, level and recent awards (Trophy's shape). */
import type { Static } from 'typebox';
import type { UserPointsSchema } from '../api/schemas/points-view.js';
import { notFound } from '../domain/errors.js';
import type { Locale } from '../domain/locale.js';
import { levelFor } from '../domain/points.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { levelView, pointsAwardView, pointsSystemHeader } from './presenters.js';

export async function userPoints(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  systemKey: string,
  options: { awards: number; locale: Locale },
): Promise<Static<typeof UserPointsSchema>> {
  const repos = ctx.store.read;
  if (!(await repos.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const system = config.pointsSystemsByKey.get(systemKey);
  if (!system) throw notFound('points_system_not_found', `There is no points system "${systemKey}"`, 'key');
  const [totals, awards] = await Promise.all([
    repos.points.totals(tenant, userId),
    repos.points.recentAwards(tenant, userId, system.id, options.awards),
  ]);
  const total = totals.get(system.id) ?? 0;
  return {
    ...pointsSystemHeader(system),
    total,
    level: levelView(levelFor(system.levels, total)),
    awards: awards.map((a) => pointsAwardView(a, config, options.locale)),
  };
}

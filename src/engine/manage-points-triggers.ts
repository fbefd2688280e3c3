/** Points triggers of a points system, for admins; and their Trophy-shaped view. */
import type { PointsTriggerView } from '../api/schemas/points-view.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { type Locale, translated } from '../domain/locale.js';
import type { PointsTrigger, TriggerType } from '../domain/points-triggers.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { iso } from './presenters.js';
import { resolveMetrics } from './resolve-metrics.js';

export interface TriggerInput {
  type?: TriggerType;
  points?: number;
  metric?: string;
  metricThreshold?: number;
  achievement?: string;
  streakLength?: number;
  eventAttributes?: Record<string, string>;
  userAttributes?: Record<string, string>;
  status?: 'active' | 'inactive' | 'archived';
}

const pairs = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }));

/** Trophy's PointsTriggerResponse. */
export function triggerView(t: PointsTrigger, config: CommunityConfig, locale: Locale): PointsTriggerView {
  const metric = t.metricId ? config.rules.metricsById.get(t.metricId) : undefined;
  const achievement = t.achievementId ? config.rules.achievementsById.get(t.achievementId) : undefined;
  const events = pairs(t.eventFilter);
  return {
    id: t.id,
    type: t.type,
    points: t.points,
    status: t.status,
    ...(metric
      ? { metricId: metric.id, metricKey: metric.key, metricName: translated(metric.name, metric.translations, locale, 'name') }
      : {}),
    ...(t.metricThreshold !== null ? { metricThreshold: t.metricThreshold } : {}),
    ...(achievement
      ? {
          achievementId: achievement.id,
          achievementKey: achievement.key,
          achievementName: translated(achievement.name, achievement.translations, locale, 'name'),
        }
      : {}),
    ...(t.streakLength !== null ? { streakLengthThreshold: t.streakLength } : {}),
    userAttributes: pairs(t.userFilter),
    ...(t.type === 'metric' ? { eventAttributes: events, ...(events[0] ? { eventAttribute: events[0] } : {}) } : {}),
    created: iso(t.createdAt),
    updated: iso(t.updatedAt),
  };
}

export async function createTrigger(
  ctx: EngineContext,
  tenant: Tenant,
  systemKey: string,
  input: TriggerInput & { type: TriggerType; points: number },
) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const system = config.pointsSystemsByKey.get(systemKey);
    if (!system) throw notFound('points_system_not_found', `There is no points system "${systemKey}"`, 'key');
    const trigger: PointsTrigger = {
      id: randomId(),
      systemId: system.id,
      type: input.type,
      points: input.points,
      metricId: null,
      metricThreshold: input.metricThreshold ?? null,
      achievementId: null,
      streakLength: input.streakLength ?? null,
      eventFilter: input.eventAttributes ?? {},
      userFilter: input.userAttributes ?? {},
      status: input.status ?? 'active',
      createdAt: now,
      updatedAt: now,
    };
    await resolveReferences(tx, tenant, config, trigger, input, now);
    validate(trigger);
    await tx.pointsTriggers.insert(tenant, trigger);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return triggerView(trigger, await ctx.config.get(tx, tenant), 'en');
  });
}

export async function listTriggers(ctx: EngineContext, tenant: Tenant, systemKey: string, locale: Locale) {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const system = config.pointsSystemsByKey.get(systemKey);
  if (!system) throw notFound('points_system_not_found', `There is no points system "${systemKey}"`, 'key');
  return [...config.triggersById.values()].filter((t) => t.systemId === system.id).map((t) => triggerView(t, config, locale));
}

export async function updateTrigger(ctx: EngineContext, tenant: Tenant, systemKey: string, id: string, patch: TriggerInput) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const system = config.pointsSystemsByKey.get(systemKey);
    const existing = config.triggersById.get(id);
    if (!system || !existing || existing.systemId !== system.id) {
      throw notFound('points_trigger_not_found', `Points system "${systemKey}" has no trigger "${id}"`, 'id');
    }
    if (patch.type !== undefined && patch.type !== existing.type) {
      throw conflict('trigger_type_immutable', 'A trigger keeps its type: create another trigger instead', 'type');
    }
    const trigger: PointsTrigger = {
      ...existing,
      points: patch.points ?? existing.points,
      metricThreshold: patch.metricThreshold ?? existing.metricThreshold,
      streakLength: patch.streakLength ?? existing.streakLength,
      eventFilter: patch.eventAttributes ?? existing.eventFilter,
      userFilter: patch.userAttributes ?? existing.userFilter,
      status: patch.status ?? existing.status,
      updatedAt: now,
    };
    await resolveReferences(tx, tenant, config, trigger, patch, now);
    validate(trigger);
    await tx.pointsTriggers.update(tenant, trigger);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return triggerView(trigger, await ctx.config.get(tx, tenant), 'en');
  });
}

async function resolveReferences(
  tx: Parameters<typeof resolveMetrics>[0],
  tenant: Tenant,
  config: CommunityConfig,
  trigger: PointsTrigger,
  input: TriggerInput,
  now: number,
): Promise<void> {
  if (input.metric !== undefined) {
    trigger.metricId = (
      (await resolveMetrics(tx, tenant, config, [{ key: input.metric, field: 'metric' }], now)).get(input.metric) as { id: string }
    ).id;
  }
  if (input.achievement !== undefined) {
    const achievement = config.rules.achievementsByKey.get(input.achievement);
    if (!achievement) throw invalid('unknown_achievement', `There is no achievement "${input.achievement}"`, 'achievement');
    trigger.achievementId = achievement.id;
  }
}

function validate(t: PointsTrigger): void {
  if (!Number.isInteger(t.points) || t.points <= 0)
    throw invalid('invalid_points', 'points must be a whole number greater than 0', 'points');
  if (t.type === 'metric') {
    if (!t.metricId) throw invalid('metric_required', 'A metric trigger needs a metric', 'metric');
    if (!(t.metricThreshold !== null && t.metricThreshold > 0)) {
      throw invalid('invalid_threshold', 'metricThreshold (pay once per this many units) must be greater than 0', 'metricThreshold');
    }
  }
  if (t.type === 'achievement' && !t.achievementId)
    throw invalid('achievement_required', 'An achievement trigger needs an achievement', 'achievement');
  if (t.type === 'streak' && !(t.streakLength !== null && Number.isInteger(t.streakLength) && t.streakLength >= 1)) {
    throw invalid('invalid_length', 'streakLength must be a whole number, at least 1', 'streakLength');
  }
}

/** Streak definitions, for admins: which metrics count, how often, and freezes. */
import type { StreakDefinitionView } from '../api/schemas/streak-definition.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import { type FreezePolicy, MAX_FREEZES, type StreakFrequency } from '../domain/streaks.js';
import type { StoredStreak } from '../store/mappers.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { iso } from './presenters.js';
import { resolveMetrics } from './resolve-metrics.js';

export interface StreakInput {
  key?: string;
  name?: string;
  frequency?: StreakFrequency;
  metrics?: { metric: string; min?: number }[];
  mode?: 'all' | 'any';
  primary?: boolean;
  freezes?: FreezePolicy | null;
  status?: 'active' | 'archived';
}

export function streakDefinitionView(s: StoredStreak, config: CommunityConfig): StreakDefinitionView {
  return {
    id: s.id,
    key: s.key,
    name: s.name,
    frequency: s.frequency,
    metrics: s.metrics.map((m) => ({ metric: config.rules.metricsById.get(m.metricId)?.key ?? m.metricId, min: m.min })),
    mode: s.mode,
    primary: s.primary,
    freezes: s.freezes,
    status: s.status,
    created: iso(s.createdAt),
    updated: iso(s.updatedAt),
  };
}

export async function createStreak(
  ctx: EngineContext,
  tenant: Tenant,
  input: StreakInput & { key: string; name: string; frequency: StreakFrequency; metrics: { metric: string; min?: number }[] },
) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    if (config.streaks.some((s) => s.key === input.key)) {
      throw conflict('duplicate_key', `A streak with key "${input.key}" already exists`, 'key');
    }
    const streak: StoredStreak = {
      id: randomId(),
      key: input.key,
      name: input.name,
      frequency: input.frequency,
      metrics: [],
      mode: input.mode ?? 'all',
      // The first streak of a community is its primary one ("the" streak of Trophy's API).
      primary: input.primary ?? !config.streaks.some((s) => s.primary && s.status === 'active'),
      freezes: input.freezes ?? null,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    streak.metrics = await metricsOf(tx, tenant, config, input.metrics, now);
    validate(streak);
    await tx.streaks.insert(tenant, streak);
    if (streak.primary) await tx.streaks.makePrimary(tenant, streak.id);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return streakDefinitionView(streak, await ctx.config.get(tx, tenant));
  });
}

export async function listStreaks(ctx: EngineContext, tenant: Tenant) {
  const config = await ctx.config.get(ctx.store.read, tenant);
  return config.streaks.map((s) => streakDefinitionView(s, config));
}

export async function getStreak(ctx: EngineContext, tenant: Tenant, key: string) {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const streak = config.streaks.find((s) => s.key === key);
  if (!streak) throw notFound('streak_not_found', `There is no streak "${key}"`, 'key');
  return streakDefinitionView(streak, config);
}

export async function updateStreak(ctx: EngineContext, tenant: Tenant, key: string, patch: StreakInput) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const existing = config.streaks.find((s) => s.key === key);
    if (!existing) throw notFound('streak_not_found', `There is no streak "${key}"`, 'key');
    if (patch.key !== undefined && patch.key !== key) throw invalid('key_immutable', 'A streak keeps its key for life', 'key');
    if (patch.frequency !== undefined && patch.frequency !== existing.frequency) {
      throw conflict(
        'frequency_immutable',
        `Streak "${key}" counts ${existing.frequency} periods and users' streaks are kept in them: create a new streak instead`,
        'frequency',
      );
    }
    const updated: StoredStreak = {
      ...existing,
      name: patch.name ?? existing.name,
      mode: patch.mode ?? existing.mode,
      primary: patch.primary ?? existing.primary,
      freezes: patch.freezes === undefined ? existing.freezes : patch.freezes,
      status: patch.status ?? existing.status,
      metrics: patch.metrics ? await metricsOf(tx, tenant, config, patch.metrics, now) : existing.metrics,
      updatedAt: now,
    };
    validate(updated);
    await tx.streaks.update(tenant, updated);
    if (updated.primary) await tx.streaks.makePrimary(tenant, updated.id);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return streakDefinitionView(updated, await ctx.config.get(tx, tenant));
  });
}

async function metricsOf(
  tx: Parameters<typeof resolveMetrics>[0],
  tenant: Tenant,
  config: CommunityConfig,
  metrics: { metric: string; min?: number }[],
  now: number,
) {
  const keys = new Set<string>();
  metrics.forEach((m, i) => {
    if (keys.has(m.metric)) throw invalid('duplicate_metric', `Metric "${m.metric}" is listed twice`, `metrics[${i}].metric`);
    keys.add(m.metric);
  });
  const resolved = await resolveMetrics(
    tx,
    tenant,
    config,
    metrics.map((m, i) => ({ key: m.metric, field: `metrics[${i}].metric` })),
    now,
  );
  return metrics.map((m) => ({ metricId: (resolved.get(m.metric) as { id: string }).id, min: m.min ?? null }));
}

function validate(streak: StoredStreak): void {
  if (streak.metrics.length === 0) throw invalid('metrics_required', 'A streak counts at least one metric', 'metrics');
  streak.metrics.forEach((m, i) => {
    if (m.min !== null && !(m.min > 0))
      throw invalid('invalid_min', 'min must be greater than 0 (leave it out for "any event")', `metrics[${i}].min`);
  });
  const f = streak.freezes;
  if (!f) return;
  // Each freeze a user holds is a step when their streak's deadline is worked out, on every read.
  for (const [name, value] of Object.entries(f)) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_FREEZES) {
      throw invalid('invalid_freezes', `freezes.${name} must be a whole number from 0 to ${MAX_FREEZES}`, `freezes.${name}`);
    }
  }
  if (f.initial > f.max) throw invalid('invalid_freezes', 'freezes.initial cannot exceed freezes.max', 'freezes.initial');
}

/** Metrics for admins: create, list, read, edit, delete (which archives: history is kept). */

import type { AdminMetric } from '../api/schemas/metric-view.js';
import { isBuiltInMetric } from '../domain/built-in-events.js';
import type { MetricWordingTranslation } from '../domain/condition-text.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import type { Metric } from '../domain/metric.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { iso } from './presenters.js';
import { newMetric } from './resolve-metrics.js';

export interface MetricInput {
  key?: string;
  name?: string;
  description?: string | null;
  unit?: string | null;
  unitSingular?: string | null;
  verb?: string | null;
  translations?: Record<string, MetricWordingTranslation>;
  status?: 'active' | 'archived';
}

export function metricView(m: Metric): AdminMetric {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    description: m.description,
    unit: m.unit,
    unitSingular: m.unitSingular,
    verb: m.verb,
    translations: m.translations,
    status: m.status,
    builtIn: isBuiltInMetric(m.key),
    created: iso(m.createdAt),
    updated: iso(m.updatedAt),
  };
}

export async function createMetric(ctx: EngineContext, tenant: Tenant, input: MetricInput & { key: string }) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    if (await tx.metrics.getByKey(tenant, input.key)) {
      throw conflict('duplicate_key', `A metric with key "${input.key}" already exists`, 'key');
    }
    const { key, status, ...fields } = input;
    if (status === 'archived') throw invalid('invalid_initial_status', 'A new metric starts active', 'status');
    const metric = newMetric(key, now, withoutUndefined(fields));
    await tx.metrics.insert(tenant, metric);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return metricView(metric);
  });
}

export async function listMetrics(ctx: EngineContext, tenant: Tenant) {
  return (await ctx.store.read.metrics.list(tenant)).map(metricView);
}

export async function getMetric(ctx: EngineContext, tenant: Tenant, key: string) {
  const metric = await ctx.store.read.metrics.getByKey(tenant, key);
  if (!metric) throw notFound('metric_not_found', `There is no metric "${key}"`, 'key');
  return metricView(metric);
}

export async function updateMetric(ctx: EngineContext, tenant: Tenant, key: string, patch: MetricInput) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const metric = await tx.metrics.getByKey(tenant, key);
    if (!metric) throw notFound('metric_not_found', `There is no metric "${key}"`, 'key');
    if (patch.key !== undefined && patch.key !== key) {
      throw invalid('key_immutable', 'A metric keeps its key for life', 'key');
    }
    const { key: _key, ...fields } = patch;
    if (fields.status === 'archived' && isBuiltInMetric(key)) {
      throw conflict('metric_built_in', `Metric "${key}" is built in: Laurel raises its events, and it cannot be deleted`, 'key');
    }
    const updated: Metric = { ...metric, ...withoutUndefined(fields), updatedAt: now };
    await tx.metrics.update(tenant, updated);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return metricView(updated);
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

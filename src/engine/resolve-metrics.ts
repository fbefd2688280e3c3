import { BUILT_IN_METRIC_KEYS, BUILT_IN_METRICS, isBuiltInMetric } from '../domain/built-in-events.js';
import { invalid, type LaurelError, notFound } from '../domain/errors.js';
import { type Metric, nameFromKey } from '../domain/metric.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import { randomId } from './ids.js';

export interface MetricReference {
  key: string;
  /** Where the key came from in the request, for the error. */
  field: string;
}

/**
 * Why a reference cannot take data, without writing anything: an unknown key where the community
 * is strict about metrics, or an archived metric. Null when it can (unknown keys are then created).
 */
export function metricProblem(config: CommunityConfig, ref: MetricReference): LaurelError | null {
  const metric = config.rules.metricsByKey.get(ref.key);
  if (!metric && isBuiltInMetric(ref.key)) return null;
  if (!metric && config.community.settings.strictMetrics) {
    return notFound('metric_not_found', `There is no metric "${ref.key}" (this community only accepts known metrics)`, ref.field);
  }
  if (metric?.status === 'archived') return invalid('metric_archived', `Metric "${ref.key}" was deleted and takes no new data`, ref.field);
  return null;
}

/**
 * The metrics a request names. Unknown ones are created on the spot, unless the community is
 * strict about metrics; archived ones cannot take new data.
 */
export async function resolveMetrics(
  repos: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  references: readonly MetricReference[],
  now: number,
): Promise<Map<string, Metric>> {
  const found = new Map<string, Metric>();
  const missing = new Map<string, MetricReference>();
  for (const ref of references) {
    const problem = metricProblem(config, ref);
    if (problem) throw problem;
    const metric = config.rules.metricsByKey.get(ref.key);
    if (metric) found.set(ref.key, metric);
    else if (!missing.has(ref.key)) missing.set(ref.key, ref);
  }
  if (missing.size > 0) {
    const created = await repos.metrics.ensure(
      tenant,
      [...missing.keys()].map((key) => newMetric(key, now)),
    );
    await repos.communities.bumpConfigVersion(tenant.communityId);
    for (const metric of created) found.set(metric.key, metric);
  }
  return found;
}

/** The built-in metrics events may raise: those not archived (the missing ones are created on the spot). */
export function builtInReferences(config: CommunityConfig): MetricReference[] {
  return BUILT_IN_METRIC_KEYS.filter((key) => config.rules.metricsByKey.get(key)?.status !== 'archived').map((key) => ({
    key,
    field: 'metric',
  }));
}

export function newMetric(key: string, now: number, fields: Partial<Metric> = {}): Metric {
  const builtIn = isBuiltInMetric(key) ? BUILT_IN_METRICS[key] : null;
  return {
    id: randomId(),
    key,
    name: nameFromKey(key),
    description: null,
    unit: null,
    unitSingular: null,
    verb: null,
    translations: {},
    status: 'active',
    createdAt: now,
    updatedAt: now,
    ...builtIn,
    ...fields,
  };
}

/** Retention: drop raw events (and idempotency keys, finished jobs) older than a number of days. */
import { invalid } from '../domain/errors.js';
import type { EngineContext } from './context.js';

export interface PruneResult {
  before: string;
  events: number;
  idempotencyKeys: number;
  jobs: number;
}

export async function pruneHistory(ctx: EngineContext, olderThanDays: number): Promise<PruneResult> {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 1) {
    throw invalid('invalid_retention', 'Keep at least one day of events', 'olderThanDays');
  }
  const before = ctx.clock.now() - olderThanDays * 86_400_000;
  const result: PruneResult = { before: new Date(before).toISOString(), events: 0, idempotencyKeys: 0, jobs: 0 };
  const repos = ctx.store.read;
  for (const tenant of await repos.communities.tenants()) {
    for (const metric of await repos.metrics.list(tenant)) result.events += await repos.retention.pruneEvents(tenant, metric.id, before);
    result.idempotencyKeys += await repos.retention.pruneIdempotencyKeys(tenant, before);
    result.jobs += await repos.retention.pruneJobs(tenant, before);
  }
  return result;
}

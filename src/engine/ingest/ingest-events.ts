/**
 * Ingesting events: one request (a single event or a batch of up to 1,000) is one transaction,
 * shared with whatever other requests arrive on its lane meanwhile (group commit). The event, its
 * totals, unlocks, points and idempotency record commit together or not at all; a request the
 * community's rules refuse fails alone, before anything of it is written.
 */
import { invalid, LaurelError } from '../../domain/errors.js';
import type { Locale } from '../../domain/locale.js';
import { resolveTeamKeys } from '../../domain/team.js';
import type { Repositories } from '../../store/store.js';
import type { Tenant } from '../../store/tenant.js';
import type { CommunityConfig } from '../community-config.js';
import type { EngineContext } from '../context.js';
import { GroupCommit, type GroupCommitOptions, type Settled } from '../group-commit.js';
import { metricProblem } from '../resolve-metrics.js';
import { withRetry } from '../retry.js';
import { applyBatch, metricReference } from './apply-batch.js';
import { type EventInput, type PreparedEvent, prepare } from './prepare.js';
import type { EventOutcome } from './respond.js';

export type { EventInput } from './prepare.js';
export type { EventOutcome, EventResponse } from './respond.js';

export const MAX_BATCH = 1000;
const MS_PER_DAY = 86_400_000;

export async function ingestEvents(
  ctx: EngineContext,
  tenant: Tenant,
  inputs: readonly EventInput[],
  options: { locale: Locale; batch: boolean },
): Promise<EventOutcome[]> {
  const now = ctx.clock.now();
  if (inputs.length > MAX_BATCH) {
    throw invalid('batch_too_large', `A batch holds at most ${MAX_BATCH} events (got ${inputs.length})`, 'events');
  }
  const events = inputs.map((input, i) => prepare(input, now, options.batch ? i : null));
  const lane = `${tenant.orgId}\u0000${tenant.communityId}\u0000${options.locale}`;
  return queueOf(ctx).submit(lane, { tenant, events, locale: options.locale }, events.length);
}

/** One request's events, waiting to commit with whatever else arrives on its lane meanwhile. */
interface IngestRequest {
  tenant: Tenant;
  events: PreparedEvent[];
  locale: Locale;
}

const queues = new WeakMap<EngineContext, GroupCommit<IngestRequest, EventOutcome[]>>();

/** The engine's group-commit queue: requests on one lane share the tenant and the locale. */
function queueOf(ctx: EngineContext): GroupCommit<IngestRequest, EventOutcome[]> {
  let queue = queues.get(ctx);
  if (!queue) {
    queue = new GroupCommit<IngestRequest, EventOutcome[]>({
      maxSize: MAX_BATCH,
      concurrency: ctx.store.writersAtOnce,
      ...bounds(ctx),
      commit: (requests) => withRetry(() => ctx.store.transaction((tx) => applyRequests(ctx, tx, requests))),
    });
    queues.set(ctx, queue);
  }
  return queue;
}

/** The queue's bounds from the server's settings (0 switches one off); none outside a server. */
function bounds(ctx: EngineContext): Pick<GroupCommitOptions<IngestRequest, EventOutcome[]>, 'maxQueued' | 'maxWaitMs' | 'now'> {
  const b = ctx.ingestBounds;
  if (!b) return {};
  return {
    ...(b.maxQueuedEvents > 0 ? { maxQueued: b.maxQueuedEvents } : {}),
    ...(b.maxQueueWaitMs > 0 ? { maxWaitMs: b.maxQueueWaitMs, now: () => ctx.clock.now() } : {}),
  };
}

/** One transaction for a group of requests: the ones the rules refuse fail alone, the rest apply together. */
async function applyRequests(ctx: EngineContext, tx: Repositories, requests: readonly IngestRequest[]): Promise<Settled<EventOutcome[]>[]> {
  const [{ tenant, locale }] = requests as [IngestRequest];
  const now = ctx.clock.now();
  const config = await ctx.config.get(tx, tenant);
  const refusals = requests.map((r) => refusal(config, r.events, now));
  const accepted = requests.filter((_, i) => refusals[i] === null);
  const outcomes =
    accepted.length === 0
      ? []
      : await applyBatch(
          ctx,
          tx,
          tenant,
          config,
          accepted.flatMap((r) => r.events),
          now,
          locale,
        );
  let at = 0;
  return requests.map((r, i) => {
    const refused = refusals[i];
    if (refused) return { ok: false, error: refused };
    return { ok: true, value: outcomes.slice(at, (at += r.events.length)) };
  });
}

/** Why the community's rules refuse a request's events, before anything is written; null if they do not. */
function refusal(config: CommunityConfig, events: readonly PreparedEvent[], now: number): LaurelError | null {
  const settings = config.community.settings;
  const oldest = now - settings.lateEventHorizonDays * MS_PER_DAY;
  for (const e of events) {
    if (e.occurredAt < oldest) {
      const error = invalid(
        'event_too_old',
        `timestamp ${new Date(e.occurredAt).toISOString()} is more than ${settings.lateEventHorizonDays} days ago: late events are accepted up to that horizon`,
        'timestamp',
      );
      return e.index === null ? error : error.within(e.at, { index: e.index });
    }
    const problem = metricProblem(config, metricReference(e));
    if (problem) return problem;
    if (e.user.teams !== undefined) {
      try {
        resolveTeamKeys(e.user.teams, config.teamsByKey, 'user.teams');
      } catch (error) {
        if (!(error instanceof LaurelError)) throw error;
        return e.index === null ? error : error.within(e.at, { index: e.index });
      }
    }
  }
  return null;
}

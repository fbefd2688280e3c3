/**
 * Ingesting events: one request (a single event or a batch of up to 1,000) is one transaction.
 * Its users' state is loaded in a few set-based reads, events apply in order in memory, and the
 * changes are written back as deltas; the event, its totals, unlocks, points and idempotency
 * record commit together or not at all.
 */
import { DateTime } from 'luxon';
import { LaurelError, invalid } from '../domain/errors.js';
import { applyEvent, type UserWorkingState } from '../domain/evaluate.js';
import type { Locale } from '../domain/locale.js';
import { addValues } from '../domain/values.js';
import { mergeUser, validateUserInput, type User, type UserInput } from '../domain/user.js';
import { IngestRepository, type CounterDelta, type IdempotencyRecord, type TotalDelta } from '../store/repositories/ingest.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { timeOrderedId } from './ids.js';
import { resolveMetrics } from './resolve-metrics.js';
import { withRetry } from './retry.js';
import { UnlockRecorder, type PointsChangeView, type UnlockView } from './unlock-recorder.js';
import { loadUserStates } from './user-states.js';

export const MAX_BATCH = 1000;
/** How far ahead of the server's clock an event's timestamp may be (clients' clocks drift). */
const FUTURE_TOLERANCE_MS = 60_000;

export interface EventInput {
  metric: string;
  user: UserInput;
  value: number;
  attributes?: Record<string, string>;
  timestamp?: string;
  idempotencyKey?: string;
}

/** Trophy's streak block; streaks arrive with the time-aware engine, until then none runs. */
const NO_STREAK = {
  length: 0,
  frequency: 'daily' as const,
  started: null,
  periodStart: null,
  periodEnd: null,
  expires: null,
  extended: false,
};

export interface EventResponse {
  eventId: string;
  metricId: string;
  metricKey: string;
  timestamp: string;
  total: number;
  count: number;
  achievements: UnlockView[];
  currentStreak: typeof NO_STREAK;
  points: Record<string, PointsChangeView>;
  leaderboards: Record<string, never>;
  idempotencyKey?: string;
  idempotentReplayed?: boolean;
}

export interface EventOutcome {
  /** created: applied now; replayed: an earlier event with the same idempotency key answered. */
  status: 'created' | 'replayed';
  response: EventResponse;
}

interface PreparedEvent extends EventInput {
  occurredAt: number;
  /** Where this event sits in the request, for error fields ("events[3]"), or '' for a single one. */
  at: string;
}

const field = (at: string, name: string) => (at ? `${at}.${name}` : name);

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
  const prepared = inputs.map((input, i) => prepare(input, now, options.batch ? i : null));
  return withRetry(() => ctx.store.transaction((tx) => apply(ctx, tx, tenant, prepared, now, options.locale)));
}

function prepare(input: EventInput, now: number, index: number | null): PreparedEvent {
  const at = index === null ? '' : `events[${index}]`;
  try {
    validateUserInput(input.user, 'user');
    if (!Number.isFinite(input.value)) throw invalid('invalid_value', 'value must be a finite number', 'value');
    let occurredAt = now;
    if (input.timestamp !== undefined) {
      const parsed = DateTime.fromISO(input.timestamp, { zone: 'utc' });
      if (!parsed.isValid) {
        throw invalid('invalid_timestamp', `timestamp "${input.timestamp}" is not an ISO 8601 date-time`, 'timestamp');
      }
      occurredAt = parsed.toMillis();
      if (occurredAt > now + FUTURE_TOLERANCE_MS) {
        throw invalid('timestamp_in_future', `timestamp ${input.timestamp} is in the future`, 'timestamp');
      }
    }
    return { ...input, occurredAt, at };
  } catch (error) {
    throw error instanceof LaurelError && index !== null ? error.within(at, { index }) : error;
  }
}

async function apply(
  ctx: EngineContext,
  tx: Repositories,
  tenant: Tenant,
  events: readonly PreparedEvent[],
  now: number,
  locale: Locale,
): Promise<EventOutcome[]> {
  const config = await ctx.config.get(tx, tenant);
  const metrics = await resolveMetrics(
    tx,
    tenant,
    config,
    events.map((e) => ({ key: e.metric, field: field(e.at, e.at ? 'metric' : 'key') })),
    now,
  );
  const rules = config.community.settings.achievementsEnabled ? config.rules : config.inactiveRules;
  const userIds = [...new Set(events.map((e) => e.user.id))];
  await tx.ingest.lockUsers(tenant, userIds);

  const keyed = events.flatMap((e) =>
    e.idempotencyKey === undefined
      ? []
      : [{ userId: e.user.id, metricId: (metrics.get(e.metric) as { id: string }).id, key: e.idempotencyKey }],
  );
  const [users, stored] = await Promise.all([tx.users.findMany(tenant, userIds), tx.ingest.findIdempotent(tenant, keyed)]);
  const existingUsers = new Set(users.keys());

  const metricIds = [...new Set(events.map((e) => (metrics.get(e.metric) as { id: string }).id))];
  const counterIds = new Set<string>();
  const heldIds = new Set<string>();
  for (const id of metricIds) {
    const footprint = rules.footprints.get(id);
    footprint?.counterIds.forEach((a) => counterIds.add(a));
    footprint?.heldIds.forEach((a) => heldIds.add(a));
  }
  const loaded = await loadUserStates(tx, tenant, {
    userIds,
    metricIds,
    counterIds: [...counterIds],
    heldIds: [...heldIds],
    achievementsById: rules.achievementsById,
  });

  const recorder = new UnlockRecorder(config, locale, ctx.log, now);
  const totals = new Map<string, TotalDelta>();
  const counters = new Map<string, CounterDelta>();
  const idempotency: IdempotencyRecord[] = [];
  const answered = new Map<string, EventResponse>();
  const changedUsers = new Map<string, User>();
  const outcomes: EventOutcome[] = [];
  const newEvents = [];

  for (const e of events) {
    const metric = metrics.get(e.metric) as NonNullable<ReturnType<typeof metrics.get>>;
    const userId = e.user.id;
    const idemKey = e.idempotencyKey === undefined ? null : IngestRepository.idempotencyKey(userId, metric.id, e.idempotencyKey);
    if (idemKey !== null) {
      const earlier = answered.get(idemKey) ?? parseStored(stored.get(idemKey));
      if (earlier) {
        outcomes.push({ status: 'replayed', response: { ...earlier, idempotentReplayed: true } });
        continue;
      }
    }
    const merged = mergeUser(users.get(userId) ?? null, e.user, now);
    if (merged.changed) changedUsers.set(userId, merged.user);
    users.set(userId, merged.user);
    const state = loaded.states.get(userId) as UserWorkingState;
    state.attributes = merged.user.attributes;

    const eventId = timeOrderedId(now);
    const effect = applyEvent(rules, state, {
      metricId: metric.id,
      value: e.value,
      attributes: e.attributes ?? null,
      occurredAt: e.occurredAt,
    });
    newEvents.push({
      id: eventId,
      user_id: userId,
      metric_id: metric.id,
      value: e.value,
      attributes: e.attributes ? JSON.stringify(e.attributes) : null,
      occurred_at: e.occurredAt,
      received_at: now,
    });
    addTotal(totals, userId, metric.id, e.value, e.occurredAt);
    for (const c of effect.counterDeltas) addCounter(counters, userId, c.achievementId, c.value);

    let userPoints = loaded.points.get(userId);
    if (!userPoints) loaded.points.set(userId, (userPoints = new Map()));
    const points: Record<string, PointsChangeView> = {};
    const achievements = effect.unlocks.map((u) => recorder.record(userId, u, e.occurredAt, eventId, userPoints, points));

    const response: EventResponse = {
      eventId,
      metricId: metric.id,
      metricKey: metric.key,
      timestamp: new Date(e.occurredAt).toISOString(),
      total: effect.tally.total,
      count: effect.tally.count,
      achievements,
      currentStreak: NO_STREAK,
      points,
      leaderboards: {},
      ...(e.idempotencyKey === undefined ? {} : { idempotencyKey: e.idempotencyKey }),
    };
    if (idemKey !== null && e.idempotencyKey !== undefined) {
      answered.set(idemKey, response);
      idempotency.push({
        userId,
        metricId: metric.id,
        key: e.idempotencyKey,
        eventId,
        response: JSON.stringify(response),
        createdAt: now,
      });
    }
    outcomes.push({ status: 'created', response });
  }

  const created = [...changedUsers.values()].filter((u) => !existingUsers.has(u.id));
  const updated = [...changedUsers.values()].filter((u) => existingUsers.has(u.id));
  await tx.users.save(tenant, created, updated);
  await tx.ingest.write(tenant, {
    events: newEvents,
    totals: [...totals.values()],
    counters: [...counters.values()],
    idempotency,
    ...recorder.changes(),
  });
  return outcomes;
}

function parseStored(json: string | undefined): EventResponse | undefined {
  return json === undefined ? undefined : (JSON.parse(json) as EventResponse);
}

function addTotal(totals: Map<string, TotalDelta>, userId: string, metricId: string, value: number, at: number): void {
  const key = `${userId}\u0000${metricId}`;
  const t = totals.get(key);
  if (!t) {
    totals.set(key, { userId, metricId, value, count: 1, firstAt: at, lastAt: at });
    return;
  }
  t.value = addValues(t.value, value);
  t.count += 1;
  t.firstAt = Math.min(t.firstAt, at);
  t.lastAt = Math.max(t.lastAt, at);
}

function addCounter(counters: Map<string, CounterDelta>, userId: string, achievementId: string, value: number): void {
  const key = `${userId}\u0000${achievementId}`;
  const c = counters.get(key);
  if (c) {
    c.value = addValues(c.value, value);
    c.count += 1;
  } else counters.set(key, { userId, achievementId, value, count: 1 });
}

/**
 * Ingesting events: one request (a single event or a batch of up to 1,000) is one transaction.
 * Its users' state is loaded in a few set-based reads, events apply in order in memory, and the
 * changes are written back as deltas; the event, its totals, unlocks, points and idempotency
 * record commit together or not at all.
 */
import { DateTime } from 'luxon';
import { LaurelError, invalid } from '../domain/errors.js';
import { localDay } from '../domain/calendar.js';
import { applyEvent, userCreationFirings, type UserWorkingState } from '../domain/evaluate.js';
import type { Metric } from '../domain/metric.js';
import { streakPeriod, type StreakDefinition } from '../domain/streaks.js';
import type { Locale } from '../domain/locale.js';
import { addValues } from '../domain/values.js';
import { mergeUser, validateUserInput, type User, type UserInput } from '../domain/user.js';
import {
  IngestRepository,
  type CounterDelta,
  type DayDelta,
  type IdempotencyRecord,
  type StreakRewrite,
  type TotalDelta,
} from '../store/repositories/ingest.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { timeOrderedId } from './ids.js';
import { resolveMetrics } from './resolve-metrics.js';
import { withRetry } from './retry.js';
import { LeaderboardTracker } from './leaderboard-tracker.js';
import { NO_STREAK, streakView, type EventLeaderboardView, type StreakView } from './presenters.js';
import { UnlockRecorder, type PointsChangeView, type UnlockView } from './unlock-recorder.js';
import { loadUserStates } from './user-states.js';

export const MAX_BATCH = 1000;
const MS_PER_DAY = 86_400_000;
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

export interface EventResponse {
  eventId: string;
  metricId: string;
  metricKey: string;
  timestamp: string;
  total: number;
  count: number;
  achievements: UnlockView[];
  currentStreak: StreakView & { extended: boolean };
  points: Record<string, PointsChangeView>;
  leaderboards: Record<string, EventLeaderboardView>;
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
  index: number | null;
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
    return { ...input, occurredAt, at, index };
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
  const settings = config.community.settings;
  const oldest = now - settings.lateEventHorizonDays * MS_PER_DAY;
  for (const e of events) {
    if (e.occurredAt < oldest) {
      const error = invalid(
        'event_too_old',
        `timestamp ${new Date(e.occurredAt).toISOString()} is more than ${settings.lateEventHorizonDays} days ago: late events are accepted up to that horizon`,
        'timestamp',
      );
      throw e.index === null ? error : error.within(e.at, { index: e.index });
    }
  }
  const rules = settings.achievementsEnabled ? config.rules : config.inactiveRules;
  const evaluation = { now, weekStart: settings.weekStart };
  const userIds = [...new Set(events.map((e) => e.user.id))];
  // Users first: creating a metric below locks the community row, and every transaction must take
  // its locks in the same order (users, then community) or two could wait on each other.
  await tx.ingest.lockUsers(tenant, userIds);
  const metrics = await resolveMetrics(
    tx,
    tenant,
    config,
    events.map((e) => ({ key: e.metric, field: field(e.at, e.at ? 'metric' : 'key') })),
    now,
  );

  const metricIdOf = (e: PreparedEvent) => (metrics.get(e.metric) as Metric).id;
  const keyed = events.flatMap((e) =>
    e.idempotencyKey === undefined ? [] : [{ userId: e.user.id, metricId: metricIdOf(e), key: e.idempotencyKey }],
  );
  const [users, stored] = await Promise.all([tx.users.findMany(tenant, userIds), tx.ingest.findIdempotent(tenant, keyed)]);
  const existingUsers = new Set(users.keys());

  // What the batch's events can touch, and from which day back (days in any user's calendar).
  const metricIds = [...new Set(events.map(metricIdOf))];
  const counterIds = new Set<string>();
  const heldIds = new Set<string>();
  const series = new Map<string, number>();
  const streakIds = new Set<string>();
  for (const id of metricIds) {
    const footprint = rules.footprints.get(id) ?? rules.baseFootprint;
    footprint.counterIds.forEach((a) => counterIds.add(a));
    footprint.heldIds.forEach((a) => heldIds.add(a));
    footprint.streakIds.forEach((a) => streakIds.add(a));
    for (const [seriesId, days] of footprint.series) series.set(seriesId, Math.max(days, series.get(seriesId) ?? 0));
  }
  // Every response reports the primary streak, whatever metric the event is on.
  if (rules.primaryStreak) streakIds.add(rules.primaryStreak.id);
  const earliestDay = Math.floor(Math.min(...events.map((e) => e.occurredAt)) / MS_PER_DAY) - 1;
  const fromPeriod = Math.min(
    earliestDay,
    ...[...streakIds].map((id) => streakPeriod((rules.streaksById.get(id) as StreakDefinition).frequency, earliestDay, settings.weekStart).start),
  );
  const loaded = await loadUserStates(tx, tenant, users, {
    userIds,
    metricIds,
    counterIds: [...counterIds],
    heldIds: [...heldIds],
    seriesIds: [...series.keys()],
    fromDay: earliestDay - Math.max(0, ...series.values()),
    streakIds: [...streakIds],
    fromPeriod,
    achievementsById: rules.achievementsById,
  });

  const recorder = new UnlockRecorder(config, locale, ctx.log, now);
  const tracker = new LeaderboardTracker(config);
  const totals = new Map<string, TotalDelta>();
  const counters = new Map<string, CounterDelta>();
  const days = new Map<string, DayDelta>();
  const streakRewrites = new Map<string, StreakRewrite>();
  const keyedResponses: { record: IdempotencyRecord; response: EventResponse }[] = [];
  const answered = new Map<string, EventResponse>();
  const changedUsers = new Map<string, User>();
  const outcomes: EventOutcome[] = [];
  const newEvents = [];
  const primary = rules.primaryStreak;

  for (const e of events) {
    const metric = metrics.get(e.metric) as Metric;
    const userId = e.user.id;
    const idemKey = e.idempotencyKey === undefined ? null : IngestRepository.idempotencyKey(userId, metric.id, e.idempotencyKey);
    if (idemKey !== null) {
      const earlier = answered.get(idemKey) ?? parseStored(stored.get(idemKey));
      if (earlier) {
        outcomes.push({ status: 'replayed', response: { ...earlier, idempotentReplayed: true } });
        continue;
      }
    }
    const isNew = !users.has(userId);
    const merged = mergeUser(users.get(userId) ?? null, e.user, now);
    if (merged.changed) changedUsers.set(userId, merged.user);
    users.set(userId, merged.user);
    const state = loaded.states.get(userId) as UserWorkingState;
    state.attributes = merged.user.attributes;
    state.tz = merged.user.tz;
    state.createdAt = merged.user.createdAt;

    const day = localDay(e.occurredAt, state.tz);
    const today = localDay(now, state.tz);
    const primaryBefore = primary ? streakView(primary, state.streaks.get(primary.id)?.at(-1) ?? null, today, settings.weekStart).length : 0;
    const eventId = timeOrderedId(now);
    const effect = applyEvent(rules, evaluation, state, {
      metricId: metric.id,
      value: e.value,
      attributes: e.attributes ?? null,
      occurredAt: e.occurredAt,
      day,
    });
    newEvents.push({
      id: eventId,
      user_id: userId,
      metric_id: metric.id,
      value: e.value,
      attributes: e.attributes ? JSON.stringify(e.attributes) : null,
      occurred_at: e.occurredAt,
      received_at: now,
      local_day: day,
    });
    addTotal(totals, userId, metric.id, e.value, e.occurredAt);
    for (const c of effect.counterDeltas) addCounter(counters, userId, c.achievementId, c.value);
    for (const d of effect.dayDeltas) addDay(days, userId, d.seriesId, d.day, d.value, e.occurredAt);
    for (const change of effect.streakChanges) {
      const key = `${userId}\u0000${change.streakId}`;
      const rewrite = streakRewrites.get(key);
      const from = Math.min(change.from, rewrite?.from ?? change.from);
      streakRewrites.set(key, { userId, streakId: change.streakId, from, points: [] });
    }

    let userPoints = loaded.points.get(userId);
    if (!userPoints) loaded.points.set(userId, (userPoints = new Map()));
    const points: Record<string, PointsChangeView> = {};
    const achievements = effect.unlocks.map((u) => recorder.record(userId, u, eventId, userPoints, points));
    const firings = isNew ? [...userCreationFirings(rules, state.attributes, now), ...effect.firings] : effect.firings;
    for (const firing of firings) recorder.recordFiring(userId, firing, eventId, userPoints, points);
    const leaderboards: Record<string, EventLeaderboardView> = {};
    if (tracker.active) {
      tracker.onMetric(userId, state.attributes, metric.id, day, e.value, leaderboards);
      for (const [key, change] of Object.entries(points)) {
        tracker.onPoints(userId, state.attributes, (config.pointsSystemsByKey.get(key) as { id: string }).id, day, change.added, leaderboards);
      }
      for (const change of effect.streakChanges) {
        const def = rules.streaksById.get(change.streakId) as StreakDefinition;
        const length = streakView(def, state.streaks.get(def.id)?.at(-1) ?? null, today, settings.weekStart).length;
        tracker.onStreak(userId, state.attributes, def.id, day, length, leaderboards);
      }
    }
    const streakNow = primary
      ? streakView(primary, state.streaks.get(primary.id)?.at(-1) ?? null, today, settings.weekStart)
      : NO_STREAK;

    const response: EventResponse = {
      eventId,
      metricId: metric.id,
      metricKey: metric.key,
      timestamp: new Date(e.occurredAt).toISOString(),
      total: effect.tally.total,
      count: effect.tally.count,
      achievements,
      currentStreak: { ...streakNow, extended: streakNow.length > primaryBefore },
      points,
      leaderboards,
      ...(e.idempotencyKey === undefined ? {} : { idempotencyKey: e.idempotencyKey }),
    };
    if (idemKey !== null && e.idempotencyKey !== undefined) {
      answered.set(idemKey, response);
      keyedResponses.push({ record: { userId, metricId: metric.id, key: e.idempotencyKey, eventId, response: '', createdAt: now }, response });
    }
    outcomes.push({ status: 'created', response });
  }

  // Each streak that moved is rewritten from the earliest period it moved at, to its final state.
  for (const rewrite of streakRewrites.values()) {
    const all = loaded.states.get(rewrite.userId)?.streaks.get(rewrite.streakId) ?? [];
    rewrite.points = all.filter((p) => p.period >= rewrite.from);
  }
  const created = [...changedUsers.values()].filter((u) => !existingUsers.has(u.id));
  const updated = [...changedUsers.values()].filter((u) => existingUsers.has(u.id));
  await tx.users.save(tenant, created, updated);
  await tracker.flush(tx, tenant, now, localDay(now, null));
  // Stored replies include the leaderboard ranks the flush just filled in.
  const idempotency = keyedResponses.map(({ record, response }) => ({ ...record, response: JSON.stringify(response) }));
  await tx.ingest.write(tenant, {
    events: newEvents,
    totals: [...totals.values()],
    counters: [...counters.values()],
    days: [...days.values()],
    streaks: [...streakRewrites.values()],
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

function addDay(days: Map<string, DayDelta>, userId: string, seriesId: string, day: number, value: number, at: number): void {
  const key = `${userId}\u0000${seriesId}\u0000${day}`;
  const d = days.get(key);
  if (d) {
    d.value = addValues(d.value, value);
    d.count += 1;
    d.firstAt = Math.min(d.firstAt, at);
  } else days.set(key, { userId, seriesId, day, value, count: 1, firstAt: at });
}

function addCounter(counters: Map<string, CounterDelta>, userId: string, achievementId: string, value: number): void {
  const key = `${userId}\u0000${achievementId}`;
  const c = counters.get(key);
  if (c) {
    c.value = addValues(c.value, value);
    c.count += 1;
  } else counters.set(key, { userId, achievementId, value, count: 1 });
}

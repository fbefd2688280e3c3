/**
 * Ingesting events: one request (a single event or a batch of up to 1,000) is one transaction.
 * Its users' state is loaded in a few set-based reads, events apply in order in memory, and the
 * changes are written back as deltas; the event, its totals, unlocks, points and idempotency
 * record commit together or not at all.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { localDay } from '../domain/calendar.js';
import { invalid, LaurelError } from '../domain/errors.js';
import { applyEvent, type TriggerFiring, type UnlockDecision, type UserWorkingState, userCreationFirings } from '../domain/evaluate.js';
import type { Locale } from '../domain/locale.js';
import type { Metric } from '../domain/metric.js';
import { type StreakDefinition, streakPeriod } from '../domain/streaks.js';
import { mergeUser, type User, type UserInput, validateUserInput } from '../domain/user.js';
import { addValues, checkedTotal, roundValue, valueRangeError, withinValueRange } from '../domain/values.js';
import {
  type CounterDelta,
  type DayDelta,
  type IdempotencyRecord,
  IngestRepository,
  type StoredIdempotency,
  type StreakRewrite,
  type TotalDelta,
} from '../store/repositories/ingest.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { GroupCommit, type GroupCommitOptions, type Settled } from './group-commit.js';
import { timeOrderedId } from './ids.js';
import { LeaderboardTracker } from './leaderboard-tracker.js';
import { type EventLeaderboardView, NO_STREAK, type StreakView, streakView } from './presenters.js';
import { metricProblem, resolveMetrics } from './resolve-metrics.js';
import { withRetry } from './retry.js';
import { type PointsChangeView, UnlockRecorder, type UnlockView } from './unlock-recorder.js';
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
  /** What the event says, hashed: an idempotency key may only be repeated with the same content. */
  fingerprint: string;
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

function prepare(input: EventInput, now: number, index: number | null): PreparedEvent {
  const at = index === null ? '' : `events[${index}]`;
  try {
    validateUserInput(input.user, 'user');
    if (!withinValueRange(input.value)) throw valueRangeError('value', input.value);
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
    return { ...input, value: roundValue(input.value), occurredAt, at, index, fingerprint: fingerprintOf(input) };
  } catch (error) {
    throw error instanceof LaurelError && index !== null ? error.within(at, { index }) : error;
  }
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
      : await apply(
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
  }
  return null;
}

const metricReference = (e: PreparedEvent) => ({ key: e.metric, field: field(e.at, e.at ? 'metric' : 'key') });

async function apply(
  ctx: EngineContext,
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  events: readonly PreparedEvent[],
  now: number,
  locale: Locale,
): Promise<EventOutcome[]> {
  const settings = config.community.settings;
  const rules = settings.achievementsEnabled ? config.rules : config.inactiveRules;
  const evaluation = { now, weekStart: settings.weekStart };
  const userIds = [...new Set(events.map((e) => e.user.id))];
  // Users first: creating a metric below locks the community row, and every transaction must take
  // its locks in the same order (users, then community) or two could wait on each other.
  await tx.ingest.lockUsers(tenant, userIds);
  const metrics = await resolveMetrics(tx, tenant, config, events.map(metricReference), now);

  const metricIdOf = (e: PreparedEvent) => (metrics.get(e.metric) as Metric).id;
  const keyed = events.flatMap((e) =>
    e.idempotencyKey === undefined ? [] : [{ userId: e.user.id, metricId: metricIdOf(e), key: e.idempotencyKey }],
  );
  const [users, stored] = await Promise.all([tx.users.findMany(tenant, userIds), tx.ingest.findIdempotent(tenant, keyed)]);
  const existingUsers = new Set(users.keys());

  // What the batch's events can touch, and from which day back (days in any user's calendar). Day
  // series and streaks are loaded per user, for the metrics that user's events are on.
  const metricIds = [...new Set(events.map(metricIdOf))];
  const footprintOf = (metricId: string) => rules.footprints.get(metricId) ?? rules.baseFootprint;
  const counterIds = new Set<string>();
  const heldIds = new Set<string>();
  const lookbackDays = new Map<string, number>();
  const allStreakIds = new Set<string>();
  let targets = false;
  for (const id of metricIds) {
    const footprint = footprintOf(id);
    for (const a of footprint.counterIds) counterIds.add(a);
    for (const a of footprint.heldIds) heldIds.add(a);
    for (const a of footprint.streakIds) allStreakIds.add(a);
    for (const [seriesId, days] of footprint.series) lookbackDays.set(seriesId, Math.max(days, lookbackDays.get(seriesId) ?? 0));
    targets ||= footprint.targets;
  }
  // Every response reports the primary streak, whatever metric the event is on.
  const primary = rules.primaryStreak;
  if (primary) allStreakIds.add(primary.id);
  const seriesByUser = new Map<string, Set<string>>();
  const streaksByUser = new Map<string, Set<string>>();
  for (const e of events) {
    const footprint = footprintOf(metricIdOf(e));
    const series = setIn(seriesByUser, e.user.id);
    for (const seriesId of footprint.series.keys()) series.add(seriesId);
    const streaks = setIn(streaksByUser, e.user.id);
    for (const streakId of footprint.streakIds) streaks.add(streakId);
    if (primary) streaks.add(primary.id);
  }
  const earliestDay = Math.floor(Math.min(...events.map((e) => e.occurredAt)) / MS_PER_DAY) - 1;
  const fromPeriod = Math.min(
    earliestDay,
    ...[...allStreakIds].map(
      (id) => streakPeriod((rules.streaksById.get(id) as StreakDefinition).frequency, earliestDay, settings.weekStart).start,
    ),
  );
  const states = await loadUserStates(tx, tenant, users, {
    userIds,
    metricIds,
    counterIds: [...counterIds],
    heldIds: [...heldIds],
    series: listed(seriesByUser),
    fromDay: earliestDay - Math.max(0, ...lookbackDays.values()),
    streaks: listed(streaksByUser),
    fromPeriod,
    targets,
    achievementsById: rules.achievementsById,
  });

  const recorder = new UnlockRecorder(config, locale, ctx.log, now);
  const tracker = new LeaderboardTracker(config);
  const totals = new Map<string, TotalDelta>();
  const counters = new Map<string, CounterDelta>();
  const days = new Map<string, DayDelta>();
  const streakRewrites = new Map<string, StreakRewrite>();
  const keyedResponses: { record: IdempotencyRecord; response: EventResponse }[] = [];
  const answered = new Map<string, StoredAnswer>();
  const changedUsers = new Map<string, User>();
  const outcomes: EventOutcome[] = [];
  const newEvents = [];
  const payments: Payment[] = [];

  for (const e of events) {
    const metric = metrics.get(e.metric) as Metric;
    const userId = e.user.id;
    const idemKey = e.idempotencyKey === undefined ? null : IngestRepository.idempotencyKey(userId, metric.id, e.idempotencyKey);
    if (idemKey !== null) {
      const earlier = answered.get(idemKey) ?? parseStored(stored.get(idemKey));
      if (earlier) {
        if (earlier.fingerprint !== null && earlier.fingerprint !== e.fingerprint) throw keyReused(e);
        outcomes.push({ status: 'replayed', response: { ...earlier.response, idempotentReplayed: true } });
        continue;
      }
    }
    const isNew = !users.has(userId);
    const merged = mergeUser(users.get(userId) ?? null, e.user, now);
    if (merged.changed) changedUsers.set(userId, merged.user);
    users.set(userId, merged.user);
    const state = states.get(userId) as UserWorkingState;
    state.attributes = merged.user.attributes;
    state.tz = merged.user.tz;
    state.createdAt = merged.user.createdAt;

    const day = localDay(e.occurredAt, state.tz);
    const today = localDay(now, state.tz);
    const primaryBefore = primary
      ? streakView(primary, state.streaks.get(primary.id)?.at(-1) ?? null, today, settings.weekStart).length
      : 0;
    const eventId = timeOrderedId(now);
    const effect = checked(e, () => {
      const applied = applyEvent(rules, evaluation, state, {
        metricId: metric.id,
        value: e.value,
        attributes: e.attributes ?? null,
        occurredAt: e.occurredAt,
        day,
      });
      checkRunningAmounts(e, applied, state);
      return applied;
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

    const points: Record<string, PointsChangeView> = {};
    const achievements: UnlockView[] = [];
    const firings = isNew ? [...userCreationFirings(rules, state.attributes, now), ...effect.firings] : effect.firings;
    const leaderboards: Record<string, EventLeaderboardView> = {};
    if (effect.unlocks.length > 0 || firings.length > 0) {
      payments.push({
        event: e,
        userId,
        eventId,
        unlocks: effect.unlocks,
        firings,
        achievements,
        points,
        leaderboards,
        attributes: state.attributes,
        day,
      });
    }
    if (tracker.active) {
      tracker.onMetric(userId, state.attributes, metric.id, day, e.value, leaderboards);
      for (const change of effect.streakChanges) {
        const def = rules.streaksById.get(change.streakId) as StreakDefinition;
        const length = streakView(def, state.streaks.get(def.id)?.at(-1) ?? null, today, settings.weekStart).length;
        tracker.onStreak(userId, state.attributes, def.id, day, length, leaderboards);
      }
    }
    const streakNow = primary ? streakView(primary, state.streaks.get(primary.id)?.at(-1) ?? null, today, settings.weekStart) : NO_STREAK;

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
      answered.set(idemKey, { response, fingerprint: e.fingerprint });
      keyedResponses.push({
        record: { userId, metricId: metric.id, key: e.idempotencyKey, eventId, response: '', createdAt: now, fingerprint: e.fingerprint },
        response,
      });
    }
    outcomes.push({ status: 'created', response });
  }

  await pay(tx, tenant, config, recorder, tracker, payments);

  // Each streak that moved is rewritten from the earliest period it moved at, to its final state.
  for (const rewrite of streakRewrites.values()) {
    const all = states.get(rewrite.userId)?.streaks.get(rewrite.streakId) ?? [];
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

/** What one event unlocked and fired, to be paid once the batch's balances are read. */
interface Payment {
  event: PreparedEvent;
  userId: string;
  eventId: string;
  unlocks: readonly UnlockDecision[];
  firings: readonly TriggerFiring[];
  /** The event's response parts that paying fills in. */
  achievements: UnlockView[];
  points: Record<string, PointsChangeView>;
  leaderboards: Record<string, EventLeaderboardView>;
  attributes: Record<string, string>;
  day: number;
}

/**
 * Pays unlocks' rewards and fired triggers in event order. Balances are read only for the users
 * being paid, in one go: most events pay nothing, and what an event unlocks never depends on points.
 */
async function pay(
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  recorder: UnlockRecorder,
  tracker: LeaderboardTracker,
  payments: readonly Payment[],
): Promise<void> {
  if (payments.length === 0) return;
  const balances = await tx.ingest.loadPoints(tenant, [...new Set(payments.map((p) => p.userId))]);
  for (const p of payments) {
    let userPoints = balances.get(p.userId);
    if (!userPoints) balances.set(p.userId, (userPoints = new Map()));
    checked(p.event, () => {
      for (const unlock of p.unlocks) p.achievements.push(recorder.record(p.userId, unlock, p.eventId, userPoints, p.points));
      for (const firing of p.firings) recorder.recordFiring(p.userId, firing, p.eventId, userPoints, p.points);
    });
    if (!tracker.active) continue;
    for (const [key, change] of Object.entries(p.points)) {
      tracker.onPoints(
        p.userId,
        p.attributes,
        (config.pointsSystemsByKey.get(key) as { id: string }).id,
        p.day,
        change.added,
        p.leaderboards,
      );
    }
  }
}

/**
 * Refuses the event that would take one of its user's running amounts (the metric's total, an
 * achievement's own sum, a day's sum) out of range, before anything is written.
 */
function checkRunningAmounts(e: PreparedEvent, effect: ReturnType<typeof applyEvent>, state: UserWorkingState): void {
  checkedTotal(effect.tally.total, `user "${e.user.id}"'s total of ${e.metric}`, 'value');
  for (const c of effect.counterDeltas)
    checkedTotal(state.counters.get(c.achievementId)?.total ?? 0, `user "${e.user.id}"'s progress on an achievement`, 'value');
  for (const d of effect.dayDeltas)
    checkedTotal(state.days.get(d.seriesId)?.get(d.day)?.total ?? 0, `user "${e.user.id}"'s total of a day`, 'value');
}

/** Runs work for one event; the rules' refusals are located in its batch ("events[3].value"). */
function checked<T>(e: PreparedEvent, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof LaurelError && e.index !== null ? error.within(e.at, { index: e.index }) : error;
  }
}

function setIn(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function listed(map: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, set] of map) if (set.size > 0) out.set(key, [...set]);
  return out;
}

interface StoredAnswer {
  response: EventResponse;
  fingerprint: string | null;
}

function parseStored(stored: StoredIdempotency | undefined): StoredAnswer | undefined {
  return stored === undefined ? undefined : { response: JSON.parse(stored.response) as EventResponse, fingerprint: stored.fingerprint };
}

/**
 * A hash of what an event does (metric, user id, value, attributes, timestamp), the same whatever
 * order its fields came in. A retry may differ in everything else: an updated profile (name, email)
 * or a per-attempt field the engine ignores (`sentAt`). An event carrying only these fields hashes
 * as it did when the whole event was hashed, so stored fingerprints still match.
 */
function fingerprintOf(input: EventInput): string {
  const { metric, user, value, attributes, timestamp } = input;
  return createHash('sha256')
    .update(canonicalJson({ metric, user: { id: user.id }, value, attributes, timestamp }))
    .digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Stripe's rule: a key names one request; sending it again with other content is a client bug. */
function keyReused(e: PreparedEvent): LaurelError {
  const error = new LaurelError(
    'invalid',
    'idempotency_key_reused',
    `Idempotency key "${e.idempotencyKey}" was already used for an event with different content; use a new key for a new event`,
    e.index === null ? 'Idempotency-Key' : 'idempotencyKey',
  );
  return e.index === null ? error : error.within(e.at, { index: e.index });
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

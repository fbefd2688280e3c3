/**
 * A batch's events applied in order to its users' loaded state, in memory and without I/O: what
 * each event decided (its tally, unlocks, fired triggers, streak moves) and the deltas to write.
 * Right after each event come the built-in events it raised (`member_joined`, `achievement_unlocked`,
 * …: src/domain/built-in-events.ts), applied the same way, so rules on them see the same order.
 * An event whose idempotency key was seen before is answered again, not applied.
 */
import { type Cause, isBuiltInMetric, MAX_CHAIN, MAX_RAISED, MEMBER_JOINED, raisedBy } from '../../domain/built-in-events.js';
import { localDay } from '../../domain/calendar.js';
import { LaurelError } from '../../domain/errors.js';
import {
  applyEvent,
  type EvaluationContext,
  type Tally,
  type TriggerFiring,
  type UnlockDecision,
  type UserWorkingState,
  userCreationFirings,
} from '../../domain/evaluate.js';
import type { Metric } from '../../domain/metric.js';
import type { RuleSet } from '../../domain/rules.js';
import { lostAt, type StreakDefinition } from '../../domain/streaks.js';
import { mergeUser, type User } from '../../domain/user.js';
import { addValues, checkedTotal } from '../../domain/values.js';
import {
  type CounterDelta,
  type DayDelta,
  type EventRecord,
  idempotencyKeyOf,
  type StoredAnswer,
  type StreakRewrite,
  type TotalDelta,
} from '../../store/ingest/ingest-store.js';
import { timeOrderedId } from '../ids.js';
import { NO_STREAK, type StreakView, streakView } from '../presenters.js';
import { checked, type PreparedEvent } from './prepare.js';

export interface AppliedEvent {
  kind: 'applied';
  event: PreparedEvent;
  eventId: string;
  /** The request's event this one descends from: itself, or the cause of the built-in event it is. */
  rootId: string;
  /** 0 for a request's event; n for a built-in event n links down its chain. */
  depth: number;
  metric: Metric;
  userId: string;
  /** The user as of this event (with the profile it brought). */
  user: User;
  /** The user's attributes as of this event (leaderboard groups are read from them). */
  attributes: Record<string, string>;
  day: number;
  tally: Tally;
  unlocks: readonly UnlockDecision[];
  firings: readonly TriggerFiring[];
  /** Each streak the event moved, with its length right after the event. */
  streakMoves: { streakId: string; length: number }[];
  currentStreak: StreakView & { extended: boolean };
}

/** An event answered with an earlier one's answer: stored, or given earlier in this batch (its index). */
export interface ReplayedEvent {
  kind: 'replayed';
  event: PreparedEvent;
  earlier: { stored: unknown } | { index: number };
}

export type EvaluatedEvent = AppliedEvent | ReplayedEvent;

export interface BatchEvaluation {
  /** The request's events, in request order: what each is answered from. */
  events: EvaluatedEvent[];
  /** Every event applied, the built-in events each raised right after it. */
  applied: AppliedEvent[];
  records: EventRecord[];
  totals: TotalDelta[];
  counters: CounterDelta[];
  days: DayDelta[];
  streaks: StreakRewrite[];
  createdUsers: User[];
  updatedUsers: User[];
}

/** Points an event paid, one system: the balance before and after (for `level_reached`). */
export type PointsMove = Cause['points'][number];

export interface BatchInput {
  rules: RuleSet;
  context: EvaluationContext;
  events: readonly PreparedEvent[];
  /** By key: the request's metrics and the built-in ones. */
  metrics: ReadonlyMap<string, Metric>;
  /** The users that exist, by id. */
  users: ReadonlyMap<string, User>;
  /** Each user's state, loaded for the batch; changed in place as events apply. */
  states: ReadonlyMap<string, UserWorkingState>;
  /** Stored answers of the batch's idempotency keys. */
  stored: ReadonlyMap<string, StoredAnswer>;
  /** The built-in metrics something counts: their events are stored; the others only add to totals. */
  counted: readonly string[];
  /**
   * Pays what an applied event unlocked and fired, in event order, and says how each points
   * balance moved. The built-in events the event raises depend on what it paid.
   */
  pay: (e: AppliedEvent) => PointsMove[];
}

export function evaluateBatch(input: BatchInput): BatchEvaluation {
  const { rules, context, states, stored } = input;
  const now = context.now;
  const primary = rules.primaryStreak;
  const users = new Map(input.users);
  const changedUsers = new Map<string, User>();
  const answered = new Map<string, { index: number; fingerprint: string }>();
  const totals = new Map<string, TotalDelta>();
  const counters = new Map<string, CounterDelta>();
  const days = new Map<string, DayDelta>();
  const rewrites = new Map<string, StreakRewrite>();
  const records: EventRecord[] = [];
  const events: EvaluatedEvent[] = [];
  const applied: AppliedEvent[] = [];
  const counts = new Set(input.counted);
  let raisable = 0;

  /** Applies one event to its user's state, then the built-in events it raises, depth first. */
  const apply = (e: PreparedEvent, metric: Metric, user: User, joined: boolean, root: string | null, depth: number): AppliedEvent => {
    const userId = user.id;
    const state = states.get(userId) as UserWorkingState;
    const day = localDay(e.occurredAt, state.tz);
    const today = localDay(now, state.tz);
    const lengthOf = (def: StreakDefinition) => streakView(def, state.streaks.get(def.id)?.at(-1) ?? null, today, context.weekStart);
    const primaryBefore = primary ? lengthOf(primary).length : 0;
    const streaksBefore = new Map((rules.streaksByMetric.get(metric.id) ?? []).map((def) => [def.id, lengthOf(def).length]));
    const effect = checked(e, () => {
      const effect = applyEvent(rules, context, state, {
        metricId: metric.id,
        value: e.value,
        attributes: e.attributes ?? null,
        occurredAt: e.occurredAt,
        day,
      });
      checkRunningAmounts(e, effect, state);
      return effect;
    });
    const eventId = timeOrderedId(now);
    // A built-in event nothing counts adds to its total only (see countedBuiltIns in apply-batch.ts).
    const kept = !isBuiltInMetric(metric.key) || counts.has(metric.id);
    if (kept)
      records.push({
        id: eventId,
        userId,
        metricId: metric.id,
        value: e.value,
        attributes: e.attributes ?? null,
        occurredAt: e.occurredAt,
        receivedAt: now,
        localDay: day,
      });
    addTotal(totals, userId, metric.id, e.value, e.occurredAt);
    for (const c of effect.counterDeltas) addCounter(counters, userId, c.achievementId, c.value);
    if (kept) for (const d of effect.dayDeltas) addDay(days, userId, d.seriesId, d.day, d.value, e.occurredAt);
    for (const change of effect.streakChanges) {
      const key = `${userId}\u0000${change.streakId}`;
      const from = Math.min(change.from, rewrites.get(key)?.from ?? change.from);
      rewrites.set(key, { userId, streakId: change.streakId, from, points: [], lostAt: null });
    }
    const streakNow = primary ? lengthOf(primary) : NO_STREAK;
    const streakMoves = effect.streakChanges.map((c) => ({
      streakId: c.streakId,
      length: lengthOf(rules.streaksById.get(c.streakId) as StreakDefinition).length,
    }));
    const done: AppliedEvent = {
      kind: 'applied',
      event: e,
      eventId,
      rootId: root ?? eventId,
      depth,
      metric,
      userId,
      user,
      attributes: state.attributes,
      day,
      tally: effect.tally,
      unlocks: effect.unlocks,
      firings: joined ? [...userCreationFirings(rules, state.attributes, now), ...effect.firings] : effect.firings,
      streakMoves,
      currentStreak: { ...streakNow, extended: streakNow.length > primaryBefore },
    };
    applied.push(done);
    const points = input.pay(done);
    if (depth >= MAX_CHAIN || (!joined && effect.unlocks.length === 0 && points.length === 0 && streakMoves.length === 0)) return done;
    const raised = raisedBy({
      joinedAt: joined && metric.key !== MEMBER_JOINED ? user.createdAt : null,
      unlocks: effect.unlocks.map((u) => ({ achievement: u.achievement, tierKey: u.tierKey, rewards: u.rewards, at: u.at })),
      points,
      streaks: streakMoves.map((m) => ({
        streakKey: (rules.streaksById.get(m.streakId) as StreakDefinition).key,
        before: streaksBefore.get(m.streakId) ?? 0,
        after: m.length,
        at: e.occurredAt,
      })),
    });
    // A built-in event is located where its cause is in the request, and has no key of its own.
    const { idempotencyKey: _key, ...cause } = e;
    for (const r of raised) {
      const builtIn = input.metrics.get(r.metric);
      if (!builtIn || raisable <= 0) continue;
      raisable -= 1;
      const event = {
        ...cause,
        metric: r.metric,
        user: { id: userId },
        value: r.value,
        attributes: r.attributes,
        occurredAt: r.occurredAt,
      };
      apply(event, builtIn, user, false, done.rootId, depth + 1);
    }
    return done;
  };

  for (const [index, e] of input.events.entries()) {
    const metric = input.metrics.get(e.metric) as Metric;
    const userId = e.user.id;
    const idemKey = e.idempotencyKey === undefined ? null : idempotencyKeyOf(userId, metric.id, e.idempotencyKey);
    if (idemKey !== null) {
      const inBatch = answered.get(idemKey);
      const earlier = inBatch ?? stored.get(idemKey);
      if (earlier) {
        if (earlier.fingerprint !== null && earlier.fingerprint !== e.fingerprint) throw keyReused(e);
        events.push({
          kind: 'replayed',
          event: e,
          earlier: inBatch ? { index: inBatch.index } : { stored: (earlier as StoredAnswer).response },
        });
        continue;
      }
      answered.set(idemKey, { index, fingerprint: e.fingerprint });
    }
    const isNew = !users.has(userId);
    const merged = mergeUser(users.get(userId) ?? null, e.user, now);
    if (merged.changed) changedUsers.set(userId, merged.user);
    users.set(userId, merged.user);
    const state = states.get(userId) as UserWorkingState;
    state.attributes = merged.user.attributes;
    state.tz = merged.user.tz;
    state.createdAt = merged.user.createdAt;
    raisable = MAX_RAISED;
    events.push(apply(e, metric, merged.user, isNew, null, 0));
  }

  // Each streak that moved is rewritten from the earliest period it moved at, to its final state.
  for (const rewrite of rewrites.values()) {
    const state = states.get(rewrite.userId) as UserWorkingState;
    const all = state.streaks.get(rewrite.streakId) ?? [];
    rewrite.points = all.filter((p) => p.period >= rewrite.from);
    const last = rewrite.points.at(-1);
    const def = rules.streaksById.get(rewrite.streakId) as StreakDefinition;
    rewrite.lostAt = last ? lostAt(def, last, state.tz, context.weekStart, now) : null;
  }
  const changed = [...changedUsers.values()];
  return {
    events,
    applied,
    records,
    totals: [...totals.values()],
    counters: [...counters.values()],
    days: [...days.values()],
    streaks: [...rewrites.values()],
    createdUsers: changed.filter((u) => !input.users.has(u.id)),
    updatedUsers: changed.filter((u) => input.users.has(u.id)),
  };
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

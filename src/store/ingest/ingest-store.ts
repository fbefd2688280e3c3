/**
 * What ingest asks of the database, in the engine's words (camelCase records, no rows): lock a
 * batch's users, load the state its rules need, and write everything the batch caused as deltas.
 * Two sibling implementations, one per database (`postgres.ts`, `sqlite.ts`); the contract suite
 * (test/store/ingest-store.test.ts) holds both to the same behaviour.
 */
import type { DayTally, Tally } from '../../domain/evaluate.js';
import type { Target } from '../../domain/goals.js';
import type { StreakPoint } from '../../domain/streaks.js';
import type { User } from '../../domain/user.js';
import type { AwardRecord } from '../repositories/awards.js';
import type { PointsAwardRecord } from '../repositories/points.js';
import type { Tenant } from '../tenant.js';

export interface EventRecord {
  id: string;
  userId: string;
  metricId: string;
  value: number;
  attributes: Record<string, string> | null;
  occurredAt: number;
  receivedAt: number;
  /** The event's day in its user's time zone. */
  localDay: number;
}

/** Added to a user's running total of a metric. */
export interface TotalDelta {
  userId: string;
  metricId: string;
  value: number;
  count: number;
  firstAt: number;
  lastAt: number;
}

/** Added to an achievement's own counter for a user (achievements with filters or a start date). */
export interface CounterDelta {
  userId: string;
  achievementId: string;
  value: number;
  count: number;
}

/** Added to a user's total of one day of a series (a metric, or an achievement's own). */
export interface DayDelta {
  userId: string;
  seriesId: string;
  day: number;
  value: number;
  count: number;
  firstAt: number;
}

/** A user's points of one streak from `from` on, replacing what was stored there. */
export interface StreakRewrite {
  userId: string;
  streakId: string;
  from: number;
  points: StreakPoint[];
  /**
   * When the streak of the last point is lost if nothing extends it (null: not to be announced),
   * kept on that point for the sweep that announces `streak.lost`. The points before it carry none,
   * and a rewrite continuing an earlier point's streak clears that point's.
   */
  lostAt: number | null;
}

/** An award to record: what the awards repository reads back, before it is marked backfilled or not. */
export type NewAward = Omit<AwardRecord, 'backfilled' | 'rewards'> & {
  /** The rewards paid, as shown to the user. */
  rewards: readonly unknown[];
};

/** Added to an achievement's completion counts. */
export interface StatsDelta {
  achievementId: string;
  completions: number;
  unlocks: number;
}

/** Added to a user's balance of one points system. */
export interface PointsDelta {
  userId: string;
  systemId: string;
  amount: number;
}

/** A points award to record; the points repository reads it back without its user and event. */
export interface NewPointsAward extends PointsAwardRecord {
  userId: string;
  eventId: string | null;
}

export interface IdempotencyRecord {
  userId: string;
  metricId: string;
  key: string;
  eventId: string;
  /** The answer given, to give again to a retry. */
  response: unknown;
  createdAt: number;
  /** What the request said, hashed: a key may only be reused with the same content. */
  fingerprint: string;
}

/** An idempotency key's stored answer, and what the request that stored it said (null: not known). */
export interface StoredAnswer {
  response: unknown;
  fingerprint: string | null;
}

export interface IdempotencyLookup {
  userId: string;
  metricId: string;
  key: string;
}

/**
 * Something that happened, for the people and systems that must hear of it (webhooks, email,
 * celebrations): written with the change itself, delivered after the commit.
 */
export interface OutboxRecord {
  /** Stable and unique: receivers deduplicate by it. */
  id: string;
  /** Trophy's webhook event type: achievement.completed, points.changed, streak.extended… */
  type: string;
  userId: string | null;
  /** The event's body as receivers get it (type, user, and the object it is about). */
  payload: unknown;
  /** Granted silently (backfill): for integrations only, never shown to people. */
  backfilled: boolean;
  createdAt: number;
}

/** Everything one transaction of ingest (or completion) changes; absent parts change nothing. */
export interface IngestChanges {
  /** Users new to the community (inserted and counted) and users whose profile changed. */
  createdUsers?: readonly User[];
  updatedUsers?: readonly User[];
  events?: readonly EventRecord[];
  totals?: readonly TotalDelta[];
  counters?: readonly CounterDelta[];
  days?: readonly DayDelta[];
  streaks?: readonly StreakRewrite[];
  awards?: readonly NewAward[];
  stats?: readonly StatsDelta[];
  points?: readonly PointsDelta[];
  pointsAwards?: readonly NewPointsAward[];
  idempotency?: readonly IdempotencyRecord[];
  outbox?: readonly OutboxRecord[];
}

/** An award a user holds: which achievement, tier and period. */
export interface HeldAward {
  userId: string;
  achievementId: string;
  tierKey: string;
  periodKey: string;
}

/** User id → the ids (series, streaks) wanted for that user. */
export type Wanted = ReadonlyMap<string, readonly string[]>;

/** Which state of which users to load: only what the rules an event can touch need. */
export interface StateQuery {
  userIds: readonly string[];
  /** Also load the users themselves. */
  users: boolean;
  metricIds: readonly string[];
  counterIds: readonly string[];
  heldIds: readonly string[];
  /** Day series per user, and the first day to load of them. */
  series: Wanted;
  fromDay: number;
  /** Streaks per user, and the first period to load of them (with the point before it). */
  streaks: Wanted;
  fromPeriod: number;
  /** Whether to load users' own targets. */
  targets: boolean;
  /** Whether to load users' points balances. */
  points: boolean;
}

/** What a StateQuery loads. Maps are keyed by user id, then by id. */
export interface LoadedState {
  users: Map<string, User>;
  totals: Map<string, Map<string, Tally>>;
  counters: Map<string, Map<string, Tally>>;
  held: HeldAward[];
  days: Map<string, Map<string, Map<number, DayTally>>>;
  streaks: Map<string, Map<string, StreakPoint[]>>;
  targets: Map<string, Map<string, Target>>;
  /** Points balances by system id. */
  points: Map<string, Map<string, number>>;
}

/** The running state of users, as rules and reads need it. Maps are keyed by user id, then by id. */
export interface UserStateReads {
  /** Everything a query asks for, at once (on PostgreSQL in one round trip). */
  loadState(tenant: Tenant, query: StateQuery): Promise<LoadedState>;
  findUsers(tenant: Tenant, ids: readonly string[]): Promise<Map<string, User>>;
  loadTotals(tenant: Tenant, userIds: readonly string[], metricIds: readonly string[]): Promise<Map<string, Map<string, Tally>>>;
  /** Day totals from `fromDay` on of each user's series. */
  loadDays(tenant: Tenant, wanted: Wanted, fromDay: number): Promise<Map<string, Map<string, Map<number, DayTally>>>>;
  /** Streak points from `fromPeriod` on, with the latest one before it, in period order. */
  loadStreakPoints(tenant: Tenant, wanted: Wanted, fromPeriod: number): Promise<Map<string, Map<string, StreakPoint[]>>>;
  /** Points balances by system id. */
  loadPoints(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, Map<string, number>>>;
}

export interface IngestStore extends UserStateReads {
  /**
   * Serialises work on the same users across processes, without a global lock. Locks are taken in
   * sorted order so two transactions cannot deadlock; they are held until the transaction ends.
   */
  lockUsers(tenant: Tenant, userIds: readonly string[]): Promise<void>;
  /** Stored answers by `idempotencyKeyOf(userId, metricId, key)`. */
  findIdempotent(tenant: Tenant, keys: readonly IdempotencyLookup[]): Promise<Map<string, StoredAnswer>>;
  /**
   * Writes the changes, every accumulator as a delta. An award that already exists means another
   * writer decided it concurrently: `AwardRaceError` is thrown and the transaction must roll back
   * (it is retried), which undoes whatever else of the changes was written.
   */
  write(tenant: Tenant, changes: IngestChanges): Promise<void>;
}

export const idempotencyKeyOf = (userId: string, metricId: string, key: string) => `${userId}\u0000${metricId}\u0000${key}`;

/** Thrown when an award the engine decided on already exists: another writer got there first. */
export class AwardRaceError extends Error {
  constructor() {
    super('An award was written concurrently; the transaction must be retried');
  }
}

/**
 * The ingest writes as data, shared by both databases: for each table, its columns (with the
 * PostgreSQL array type each is sent as), how a record becomes a row, and how a delta merges into
 * a row already there. Each implementation renders these in its own SQL; the rules themselves
 * (round sums to the values' decimals, keep the earliest first time and the latest last time)
 * live only here.
 */
import { VALUE_DECIMALS } from '../../domain/values.js';
import { userColumns } from '../mappers.js';
import type {
  CounterDelta,
  DayDelta,
  EventRecord,
  IdempotencyRecord,
  NewAward,
  NewPointsAward,
  OutboxRecord,
  PointsDelta,
  StatsDelta,
  StreakRewrite,
  TotalDelta,
} from './ingest-store.js';

export { VALUE_DECIMALS };

/** How a column's new value combines with the stored one when the row exists. */
export type Merge = 'roundedSum' | 'sum' | 'earliest' | 'latest' | 'replace';

/** The array type a column travels as to PostgreSQL (one array per column, whatever the rows). */
export type ArrayType = 'text' | 'float8' | 'int' | 'int8';

export interface TableWrite<R> {
  table: string;
  /** Columns after org_id and community_id, which every table starts with. */
  columns: readonly (readonly [name: string, type: ArrayType])[];
  /** A record's values, in `columns` order. */
  values(record: R): unknown[];
  /** The unique key a delta merges on, and how each merged column combines. */
  upsert?: { key: readonly string[]; merge: Readonly<Record<string, Merge>> };
  /** The unique key whose conflict means another writer got there first (nothing is merged). */
  unique?: readonly string[];
  /**
   * Rows shared by all users' transactions are written in this column's order, so that two
   * transactions lock them in the same order and never wait on each other in a circle.
   */
  order?: string;
}

export const EVENTS: TableWrite<EventRecord> = {
  table: 'events',
  columns: [
    ['id', 'text'],
    ['user_id', 'text'],
    ['metric_id', 'text'],
    ['value', 'float8'],
    ['attributes', 'text'],
    ['occurred_at', 'int8'],
    ['received_at', 'int8'],
    ['local_day', 'int'],
  ],
  values: (e) => [
    e.id,
    e.userId,
    e.metricId,
    e.value,
    e.attributes ? JSON.stringify(e.attributes) : null,
    e.occurredAt,
    e.receivedAt,
    e.localDay,
  ],
};

export const TOTALS: TableWrite<TotalDelta> = {
  table: 'user_metrics',
  columns: [
    ['user_id', 'text'],
    ['metric_id', 'text'],
    ['total', 'float8'],
    ['count', 'int'],
    ['first_at', 'int8'],
    ['last_at', 'int8'],
  ],
  values: (t) => [t.userId, t.metricId, t.value, t.count, t.firstAt, t.lastAt],
  upsert: {
    key: ['community_id', 'user_id', 'metric_id'],
    merge: { total: 'roundedSum', count: 'sum', first_at: 'earliest', last_at: 'latest' },
  },
};

export const COUNTERS: TableWrite<CounterDelta> = {
  table: 'achievement_counters',
  columns: [
    ['user_id', 'text'],
    ['achievement_id', 'text'],
    ['total', 'float8'],
    ['count', 'int'],
  ],
  values: (c) => [c.userId, c.achievementId, c.value, c.count],
  upsert: { key: ['community_id', 'user_id', 'achievement_id'], merge: { total: 'roundedSum', count: 'sum' } },
};

export const DAYS: TableWrite<DayDelta> = {
  table: 'user_day_totals',
  columns: [
    ['user_id', 'text'],
    ['series_id', 'text'],
    ['day', 'int'],
    ['total', 'float8'],
    ['count', 'int'],
    ['first_at', 'int8'],
  ],
  values: (d) => [d.userId, d.seriesId, d.day, d.value, d.count, d.firstAt],
  upsert: { key: ['community_id', 'user_id', 'series_id', 'day'], merge: { total: 'roundedSum', count: 'sum', first_at: 'earliest' } },
};

/** One streak point of a rewrite, with the user and streak it belongs to. */
export type StreakPointRow = Omit<StreakRewrite, 'points' | 'from'> & StreakRewrite['points'][number];

export const STREAK_POINTS: TableWrite<StreakPointRow> = {
  table: 'user_streak_points',
  columns: [
    ['user_id', 'text'],
    ['streak_id', 'text'],
    ['period', 'int'],
    ['length', 'int'],
    ['started', 'int'],
    ['freezes', 'int'],
    ['earn_anchor', 'int'],
    ['extended_at', 'int8'],
    ['lost_at', 'int8'],
  ],
  values: (p) => [p.userId, p.streakId, p.period, p.length, p.started, p.freezes, p.earnAnchor, p.extendedAt, p.lostAt],
  // A rewrite replaces the points from its first period on: those it keeps are overwritten.
  upsert: {
    key: ['community_id', 'user_id', 'streak_id', 'period'],
    merge: {
      length: 'replace',
      started: 'replace',
      freezes: 'replace',
      earn_anchor: 'replace',
      extended_at: 'replace',
      lost_at: 'replace',
    },
  },
};

/** The rows of rewrites: only each rewrite's last point carries when its streak is lost. */
export const streakPointRows = (rewrites: readonly StreakRewrite[]): StreakPointRow[] =>
  rewrites.flatMap((w) =>
    w.points.map((p, i) => ({ userId: w.userId, streakId: w.streakId, ...p, lostAt: i === w.points.length - 1 ? w.lostAt : null })),
  );

/**
 * The rewrites that continue a streak begun before them: the latest point before `from` (the only
 * one of that streak that can carry `lost_at`) did not end it, so its `lost_at` is cleared when it
 * is of the same streak (from `started` on). A rewrite starting a new streak continues nothing, and
 * the loss of the streak before it stays to be announced.
 */
export const continuedStreaks = (rewrites: readonly StreakRewrite[]) =>
  rewrites.flatMap((w) => {
    const started = w.points[0]?.started;
    return started !== undefined && started < w.from ? [{ userId: w.userId, streakId: w.streakId, started, from: w.from }] : [];
  });

export const AWARDS: TableWrite<NewAward> = {
  table: 'awards',
  columns: [
    ['id', 'text'],
    ['user_id', 'text'],
    ['achievement_id', 'text'],
    ['tier_key', 'text'],
    ['period_key', 'text'],
    ['achieved_at', 'int8'],
    ['event_id', 'text'],
    ['source', 'text'],
    ['backfilled', 'int'],
    ['rewards', 'text'],
  ],
  values: (a) => [a.id, a.userId, a.achievementId, a.tierKey, a.periodKey, a.achievedAt, a.eventId, a.source, 0, JSON.stringify(a.rewards)],
  unique: ['community_id', 'user_id', 'achievement_id', 'tier_key', 'period_key'],
};

export const STATS: TableWrite<StatsDelta> = {
  table: 'achievement_stats',
  columns: [
    ['achievement_id', 'text'],
    ['completions', 'int'],
    ['unlocks', 'int'],
  ],
  values: (s) => [s.achievementId, s.completions, s.unlocks],
  upsert: { key: ['achievement_id'], merge: { completions: 'sum', unlocks: 'sum' } },
  order: 'achievement_id',
};

export const POINTS: TableWrite<PointsDelta> = {
  table: 'user_points',
  columns: [
    ['user_id', 'text'],
    ['system_id', 'text'],
    ['total', 'float8'],
  ],
  values: (p) => [p.userId, p.systemId, p.amount],
  upsert: { key: ['community_id', 'user_id', 'system_id'], merge: { total: 'roundedSum' } },
};

export const POINTS_AWARDS: TableWrite<NewPointsAward> = {
  table: 'points_awards',
  columns: [
    ['id', 'text'],
    ['user_id', 'text'],
    ['system_id', 'text'],
    ['amount', 'float8'],
    ['total_after', 'float8'],
    ['trigger_type', 'text'],
    ['trigger_id', 'text'],
    ['award_id', 'text'],
    ['event_id', 'text'],
    ['created_at', 'int8'],
  ],
  values: (p) => [p.id, p.userId, p.systemId, p.amount, p.totalAfter, p.triggerType, p.triggerId, p.awardId, p.eventId, p.createdAt],
};

export const IDEMPOTENCY: TableWrite<IdempotencyRecord> = {
  table: 'idempotency_keys',
  columns: [
    ['user_id', 'text'],
    ['metric_id', 'text'],
    ['key', 'text'],
    ['event_id', 'text'],
    ['response', 'text'],
    ['created_at', 'int8'],
    ['fingerprint', 'text'],
  ],
  values: (r) => [r.userId, r.metricId, r.key, r.eventId, JSON.stringify(r.response), r.createdAt, r.fingerprint],
};

export const OUTBOX: TableWrite<OutboxRecord> = {
  table: 'outbox',
  columns: [
    ['id', 'text'],
    ['type', 'text'],
    ['user_id', 'text'],
    ['payload', 'text'],
    ['backfilled', 'int'],
    ['created_at', 'int8'],
  ],
  values: (o) => [o.id, o.type, o.userId, JSON.stringify(o.payload), o.backfilled ? 1 : 0, o.createdAt],
};

type UserColumns = ReturnType<typeof userColumns>;
const USER_COLUMNS: readonly (readonly [keyof UserColumns, ArrayType])[] = [
  ['id', 'text'],
  ['name', 'text'],
  ['email', 'text'],
  ['tz', 'text'],
  ['attributes', 'text'],
  ['subscribe_to_emails', 'int'],
  ['locale', 'text'],
  ['device_tokens', 'text'],
  ['created_at', 'int8'],
  ['updated_at', 'int8'],
];

export const USERS: TableWrite<Parameters<typeof userColumns>[0]> = {
  table: 'users',
  columns: USER_COLUMNS,
  values: (u) => {
    const row = userColumns(u);
    return USER_COLUMNS.map(([name]) => row[name]);
  },
};

/** The profile columns an update rewrites (a user's id and creation time never change). */
export const USER_PROFILE_COLUMNS = USER_COLUMNS.map(([name]) => name).filter((name) => name !== 'id' && name !== 'created_at');

/** Users are counted in a few rows per community, so that creating users in parallel does not contend on one. */
export const COUNT_SHARDS = 16;

/** The count row a transaction creating these users adds to: spread by user id, stable for retries. */
export function countShard(created: readonly { id: string }[]): number {
  const id = created[0]?.id ?? '';
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % COUNT_SHARDS;
}

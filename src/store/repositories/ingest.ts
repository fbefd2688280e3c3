/**
 * The reads and writes of event ingestion and API completion, shaped for batches: a handful of
 * set-based statements per batch, whatever its size, and every accumulator written as a delta.
 */
import { type Kysely, sql } from 'kysely';
import type { DayTally, Tally } from '../../domain/evaluate.js';
import type { Target } from '../../domain/goals.js';
import type { StreakPoint } from '../../domain/streaks.js';
import { chunks } from '../chunks.js';
import type { Dialect } from '../dialect.js';
import { toStreakPoint } from '../mappers.js';
import { oneOf } from '../one-of.js';
import type { DB, NewAward, NewEvent, NewPointsAward } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface TotalDelta {
  userId: string;
  metricId: string;
  value: number;
  count: number;
  firstAt: number;
  lastAt: number;
}

export interface CounterDelta {
  userId: string;
  achievementId: string;
  value: number;
  count: number;
}

export interface StatsDelta {
  achievementId: string;
  completions: number;
  unlocks: number;
}

export interface PointsDelta {
  userId: string;
  systemId: string;
  amount: number;
}

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
}

export interface IdempotencyRecord {
  userId: string;
  metricId: string;
  key: string;
  eventId: string;
  response: string;
  createdAt: number;
  fingerprint: string;
}

/** An idempotency key's stored answer, and what the request that stored it said (null: not known). */
export interface StoredIdempotency {
  response: string;
  fingerprint: string | null;
}

export interface IngestChanges {
  events: Omit<NewEvent, 'org_id' | 'community_id'>[];
  totals: TotalDelta[];
  counters: CounterDelta[];
  awards: Omit<NewAward, 'org_id' | 'community_id'>[];
  stats: StatsDelta[];
  points: PointsDelta[];
  pointsAwards: Omit<NewPointsAward, 'org_id' | 'community_id'>[];
  idempotency: IdempotencyRecord[];
  days: DayDelta[];
  streaks: StreakRewrite[];
}

export interface HeldAwardRow {
  user_id: string;
  achievement_id: string;
  tier_key: string;
  period_key: string;
}

/** Thrown when an award the engine decided on already exists: another writer got there first. */
export class AwardRaceError extends Error {
  constructor() {
    super('An award was written concurrently; the transaction must be retried');
  }
}

const idempotencyKeyOf = (userId: string, metricId: string, key: string) => `${userId}\u0000${metricId}\u0000${key}`;

/**
 * Reads on either database (SQLite uses these outside transactions); locks and writes are
 * PostgreSQL's, since SQLite transactions get SqliteIngestRepository.
 */
export class IngestRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Serialises work on the same users across processes, without a global lock. SQLite already
   * runs one writer at a time. Locks are taken in sorted order so two batches cannot deadlock.
   */
  async lockUsers(tenant: Tenant, userIds: readonly string[]): Promise<void> {
    if (this.dialect !== 'postgres' || userIds.length === 0) return;
    const sorted = [...new Set(userIds)].sort();
    await sql`select pg_advisory_xact_lock(hashtextextended(${tenant.communityId} || ':' || u, 0))
              from (select u from unnest(${sorted}::text[]) as u order by u) as ordered`.execute(this.db);
  }

  async findIdempotent(
    tenant: Tenant,
    keys: readonly { userId: string; metricId: string; key: string }[],
  ): Promise<Map<string, StoredIdempotency>> {
    const found = new Map<string, StoredIdempotency>();
    if (keys.length === 0) return found;
    for (const part of chunks(keys, 300)) {
      const rows = await this.db
        .selectFrom('idempotency_keys')
        .select(['user_id', 'metric_id', 'key', 'response', 'fingerprint'])
        .where('community_id', '=', tenant.communityId)
        .where((eb) =>
          eb.or(part.map((k) => eb.and([eb('user_id', '=', k.userId), eb('metric_id', '=', k.metricId), eb('key', '=', k.key)]))),
        )
        .execute();
      for (const r of rows)
        found.set(idempotencyKeyOf(r.user_id, r.metric_id, r.key), { response: r.response, fingerprint: r.fingerprint });
    }
    return found;
  }

  static idempotencyKey = idempotencyKeyOf;

  async loadTotals(tenant: Tenant, userIds: readonly string[], metricIds: readonly string[]): Promise<Map<string, Map<string, Tally>>> {
    const out = new Map<string, Map<string, Tally>>();
    if (userIds.length === 0 || metricIds.length === 0) return out;
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .selectFrom('user_metrics')
        .select(['user_id', 'metric_id', 'total', 'count'])
        .where('community_id', '=', tenant.communityId)
        .where(oneOf(this.dialect, 'user_id', part))
        .where('metric_id', 'in', metricIds)
        .execute();
      for (const r of rows) nested(out, r.user_id).set(r.metric_id, { total: r.total, count: r.count });
    }
    return out;
  }

  async loadCounters(
    tenant: Tenant,
    userIds: readonly string[],
    achievementIds: readonly string[],
  ): Promise<Map<string, Map<string, Tally>>> {
    const out = new Map<string, Map<string, Tally>>();
    if (userIds.length === 0 || achievementIds.length === 0) return out;
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .selectFrom('achievement_counters')
        .select(['user_id', 'achievement_id', 'total', 'count'])
        .where('community_id', '=', tenant.communityId)
        .where(oneOf(this.dialect, 'user_id', part))
        .where('achievement_id', 'in', achievementIds)
        .execute();
      for (const r of rows) nested(out, r.user_id).set(r.achievement_id, { total: r.total, count: r.count });
    }
    return out;
  }

  async loadHeld(tenant: Tenant, userIds: readonly string[], achievementIds: readonly string[]): Promise<HeldAwardRow[]> {
    if (userIds.length === 0 || achievementIds.length === 0) return [];
    const out: HeldAwardRow[] = [];
    for (const part of chunks(userIds)) {
      out.push(
        ...(await this.db
          .selectFrom('awards')
          .select(['user_id', 'achievement_id', 'tier_key', 'period_key'])
          .where('community_id', '=', tenant.communityId)
          .where(oneOf(this.dialect, 'user_id', part))
          .where('achievement_id', 'in', achievementIds)
          .execute()),
      );
    }
    return out;
  }

  /**
   * Day totals from `fromDay` on of each user's series (`wanted`: user id → series ids). One query
   * per chunk of users asks for every series any of them wants: a round trip costs more than the
   * few extra rows.
   */
  async loadDays(
    tenant: Tenant,
    wanted: ReadonlyMap<string, readonly string[]>,
    fromDay: number,
  ): Promise<Map<string, Map<string, Map<number, DayTally>>>> {
    const out = new Map<string, Map<string, Map<number, DayTally>>>();
    const { userIds, ids: seriesIds } = union(wanted);
    if (userIds.length === 0 || seriesIds.length === 0) return out;
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .selectFrom('user_day_totals')
        .select(['user_id', 'series_id', 'day', 'total', 'count', 'first_at'])
        .where('community_id', '=', tenant.communityId)
        .where(oneOf(this.dialect, 'user_id', part))
        .where('series_id', 'in', seriesIds)
        .where('day', '>=', fromDay)
        .execute();
      for (const r of rows) {
        let series = nested(out, r.user_id).get(r.series_id);
        if (!series) nested(out, r.user_id).set(r.series_id, (series = new Map()));
        series.set(r.day, { total: r.total, count: r.count, firstAt: r.first_at });
      }
    }
    return out;
  }

  /**
   * Streak points from `fromPeriod` on, with the latest one before it, of each user's streaks
   * (`wanted`: user id → streak ids). (PostgreSQL's DISTINCT ON; SQLite has its own implementation
   * of the ingest reads.)
   */
  async loadStreakPoints(
    tenant: Tenant,
    wanted: ReadonlyMap<string, readonly string[]>,
    fromPeriod: number,
  ): Promise<Map<string, Map<string, StreakPoint[]>>> {
    const out = new Map<string, Map<string, StreakPoint[]>>();
    const { userIds, ids: streakIds } = union(wanted);
    if (userIds.length === 0 || streakIds.length === 0) return out;
    const columns = ['user_id', 'streak_id', 'period', 'length', 'started', 'freezes', 'earn_anchor', 'extended_at'] as const;
    for (const part of chunks(userIds)) {
      const recent = await this.db
        .selectFrom('user_streak_points')
        .select(columns)
        .where('community_id', '=', tenant.communityId)
        .where(oneOf(this.dialect, 'user_id', part))
        .where('streak_id', 'in', streakIds)
        .where('period', '>=', fromPeriod)
        .execute();
      const before = await this.latestBefore(tenant, part, streakIds, fromPeriod, columns);
      for (const r of [...before, ...recent]) {
        const byStreak = nested(out, r.user_id);
        const list = byStreak.get(r.streak_id) ?? [];
        list.push(toStreakPoint(r));
        byStreak.set(r.streak_id, list);
      }
    }
    for (const byStreak of out.values()) for (const list of byStreak.values()) list.sort((a, b) => a.period - b.period);
    return out;
  }

  /** The latest point before `fromPeriod`, per user and streak, each found by walking its key backwards. */
  private async latestBefore<C extends keyof DB['user_streak_points']>(
    tenant: Tenant,
    userIds: readonly string[],
    streakIds: readonly string[],
    fromPeriod: number,
    columns: readonly C[],
  ) {
    if (this.dialect === 'postgres') {
      // One backward index probe per user and streak, however long their history (DISTINCT ON
      // would read every earlier point).
      const { rows } = await sql<Pick<DB['user_streak_points'], C>>`
        select p.* from unnest(${userIds}::text[]) u(id) cross join unnest(${streakIds}::text[]) s(id)
        cross join lateral (
          select ${sql.join(columns.map((c) => sql.ref(c)))} from user_streak_points
          where community_id = ${tenant.communityId} and user_id = u.id and streak_id = s.id and period < ${fromPeriod}
          order by period desc limit 1) p`.execute(this.db);
      return rows;
    }
    const base = this.db
      .selectFrom('user_streak_points')
      .select(columns)
      .where('community_id', '=', tenant.communityId)
      .where('period', '<', fromPeriod);
    const rows = [];
    for (const userId of userIds) {
      for (const streakId of streakIds) {
        const row = await base
          .where('user_id', '=', userId)
          .where('streak_id', '=', streakId)
          .orderBy('period', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (row) rows.push(row);
      }
    }
    return rows;
  }

  async loadTargets(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, Map<string, Target>>> {
    const out = new Map<string, Map<string, Target>>();
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .selectFrom('user_targets')
        .select(['user_id', 'metric_id', 'value', 'per'])
        .where('community_id', '=', tenant.communityId)
        .where(oneOf(this.dialect, 'user_id', part))
        .execute();
      for (const r of rows) nested(out, r.user_id).set(r.metric_id, { value: r.value, per: r.per });
    }
    return out;
  }

  async loadPoints(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .selectFrom('user_points')
        .select(['user_id', 'system_id', 'total'])
        .where('community_id', '=', tenant.communityId)
        .where(oneOf(this.dialect, 'user_id', part))
        .execute();
      for (const r of rows) nested(out, r.user_id).set(r.system_id, r.total);
    }
    return out;
  }

  async write(tenant: Tenant, changes: IngestChanges): Promise<void> {
    const scope = { org_id: tenant.orgId, community_id: tenant.communityId };
    // Awards first: if one already exists the whole transaction is retried before anything is paid.
    for (const part of chunks(changes.awards)) {
      const inserted = await this.db
        .insertInto('awards')
        .values(part.map((a) => ({ ...scope, ...a })))
        .onConflict((oc) => oc.columns(['community_id', 'user_id', 'achievement_id', 'tier_key', 'period_key']).doNothing())
        .returning('id')
        .execute();
      if (inserted.length !== part.length) throw new AwardRaceError();
    }
    // The per-event rows go as one array per column (unnest): a handful of parameters whatever the
    // batch's size, where a VALUES list would bind and plan thousands.
    if (changes.events.length > 0) {
      const e = changes.events;
      await sql`
        insert into events (org_id, community_id, id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day)
        select ${tenant.orgId}, ${tenant.communityId}, id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day
        from unnest(${e.map((r) => r.id)}::text[], ${e.map((r) => r.user_id)}::text[], ${e.map((r) => r.metric_id)}::text[],
          ${e.map((r) => r.value)}::float8[], ${e.map((r) => r.attributes ?? null)}::text[], ${e.map((r) => r.occurred_at)}::int8[],
          ${e.map((r) => r.received_at)}::int8[], ${e.map((r) => r.local_day ?? null)}::int[])
          as x(id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day)`.execute(this.db);
    }
    if (changes.totals.length > 0) {
      const t = changes.totals;
      await sql`
        insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at)
        select ${tenant.orgId}, ${tenant.communityId}, user_id, metric_id, total, count, first_at, last_at
        from unnest(${t.map((r) => r.userId)}::text[], ${t.map((r) => r.metricId)}::text[], ${t.map((r) => r.value)}::float8[],
          ${t.map((r) => r.count)}::int[], ${t.map((r) => r.firstAt)}::int8[], ${t.map((r) => r.lastAt)}::int8[])
          as x(user_id, metric_id, total, count, first_at, last_at)
        on conflict (community_id, user_id, metric_id) do update set
          total = round((user_metrics.total + excluded.total)::numeric, 8)::double precision, count = user_metrics.count + excluded.count,
          first_at = least(user_metrics.first_at, excluded.first_at), last_at = greatest(user_metrics.last_at, excluded.last_at)`.execute(
        this.db,
      );
    }
    if (changes.counters.length > 0) {
      const c = changes.counters;
      await sql`
        insert into achievement_counters (org_id, community_id, user_id, achievement_id, total, count)
        select ${tenant.orgId}, ${tenant.communityId}, user_id, achievement_id, total, count
        from unnest(${c.map((r) => r.userId)}::text[], ${c.map((r) => r.achievementId)}::text[], ${c.map((r) => r.value)}::float8[],
          ${c.map((r) => r.count)}::int[]) as x(user_id, achievement_id, total, count)
        on conflict (community_id, user_id, achievement_id) do update set
          total = round((achievement_counters.total + excluded.total)::numeric, 8)::double precision,
          count = achievement_counters.count + excluded.count`.execute(this.db);
    }
    if (changes.days.length > 0) {
      const d = changes.days;
      await sql`
        insert into user_day_totals (org_id, community_id, user_id, series_id, day, total, count, first_at)
        select ${tenant.orgId}, ${tenant.communityId}, user_id, series_id, day, total, count, first_at
        from unnest(${d.map((r) => r.userId)}::text[], ${d.map((r) => r.seriesId)}::text[], ${d.map((r) => r.day)}::int[],
          ${d.map((r) => r.value)}::float8[], ${d.map((r) => r.count)}::int[], ${d.map((r) => r.firstAt)}::int8[])
          as x(user_id, series_id, day, total, count, first_at)
        on conflict (community_id, user_id, series_id, day) do update set
          total = round((user_day_totals.total + excluded.total)::numeric, 8)::double precision,
          count = user_day_totals.count + excluded.count, first_at = least(user_day_totals.first_at, excluded.first_at)`.execute(this.db);
    }
    // Streaks are rewritten from the earliest period each one moved at: one delete and one insert for
    // the whole batch, whatever the number of users.
    if (changes.streaks.length > 0) {
      const r = changes.streaks;
      await sql`
        delete from user_streak_points p
        using unnest(${r.map((w) => w.userId)}::text[], ${r.map((w) => w.streakId)}::text[], ${r.map((w) => w.from)}::int[])
          as x(user_id, streak_id, from_period)
        where p.community_id = ${tenant.communityId} and p.user_id = x.user_id and p.streak_id = x.streak_id
          and p.period >= x.from_period`.execute(this.db);
      const points = r.flatMap((w) => w.points.map((p) => ({ userId: w.userId, streakId: w.streakId, ...p })));
      if (points.length > 0) {
        await sql`
          insert into user_streak_points (org_id, community_id, user_id, streak_id, period, length, started, freezes, earn_anchor, extended_at)
          select ${tenant.orgId}, ${tenant.communityId}, user_id, streak_id, period, length, started, freezes, earn_anchor, extended_at
          from unnest(${points.map((p) => p.userId)}::text[], ${points.map((p) => p.streakId)}::text[], ${points.map((p) => p.period)}::int[],
            ${points.map((p) => p.length)}::int[], ${points.map((p) => p.started)}::int[], ${points.map((p) => p.freezes)}::int[],
            ${points.map((p) => p.earnAnchor)}::int[], ${points.map((p) => p.extendedAt)}::int8[])
            as x(user_id, streak_id, period, length, started, freezes, earn_anchor, extended_at)`.execute(this.db);
      }
    }
    // Sorted, so that two transactions never take the same stats rows in opposite orders.
    for (const s of [...changes.stats].sort((a, b) => a.achievementId.localeCompare(b.achievementId))) {
      await this.db
        .updateTable('achievement_stats')
        .set({
          completions: sql`completions + ${s.completions}`,
          unlocks: sql`unlocks + ${s.unlocks}`,
        })
        .where('achievement_id', '=', s.achievementId)
        .execute();
    }
    for (const part of chunks(changes.points)) {
      await this.db
        .insertInto('user_points')
        .values(part.map((p) => ({ ...scope, user_id: p.userId, system_id: p.systemId, total: p.amount })))
        .onConflict((oc) =>
          oc.columns(['community_id', 'user_id', 'system_id']).doUpdateSet({
            total: sql`round((user_points.total + excluded.total)::numeric, 8)::double precision`,
          }),
        )
        .execute();
    }
    for (const part of chunks(changes.pointsAwards)) {
      await this.db
        .insertInto('points_awards')
        .values(part.map((p) => ({ ...scope, ...p })))
        .execute();
    }
    for (const part of chunks(changes.idempotency)) {
      await this.db
        .insertInto('idempotency_keys')
        .values(
          part.map((r) => ({
            ...scope,
            user_id: r.userId,
            metric_id: r.metricId,
            key: r.key,
            event_id: r.eventId,
            response: r.response,
            created_at: r.createdAt,
            fingerprint: r.fingerprint,
          })),
        )
        .execute();
    }
  }
}

function nested<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

/** The users of a user → ids map, and every id any of them wants. */
function union(wanted: ReadonlyMap<string, readonly string[]>): { userIds: string[]; ids: string[] } {
  const ids = new Set<string>();
  for (const list of wanted.values()) for (const id of list) ids.add(id);
  return { userIds: [...wanted.keys()], ids: [...ids] };
}

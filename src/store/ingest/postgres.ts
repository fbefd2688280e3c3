/**
 * The ingest store on PostgreSQL: a handful of set-based statements per batch, whatever its size.
 * Rows travel as one array per column (`unnest`): a few parameters, where a VALUES list would bind
 * and plan thousands.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DayTally, Tally } from '../../domain/evaluate.js';
import type { Target } from '../../domain/goals.js';
import type { StreakPoint } from '../../domain/streaks.js';
import type { User } from '../../domain/user.js';
import type { CelebrationNews } from '../celebration-news.js';
import { toStreakPoint, toUser, userColumns } from '../mappers.js';
import type { DB, UserRow } from '../schema.js';
import type { Tenant } from '../tenant.js';
import {
  AwardRaceError,
  type IdempotencyLookup,
  type IngestChanges,
  type IngestStore,
  idempotencyKeyOf,
  type LoadedState,
  type StateQuery,
  type StoredAnswer,
  type Wanted,
} from './ingest-store.js';
import {
  AWARDS,
  COUNTERS,
  continuedStreaks,
  countShard,
  DAYS,
  EVENTS,
  IDEMPOTENCY,
  type Merge,
  OUTBOX,
  POINTS,
  POINTS_AWARDS,
  STATS,
  STREAK_POINTS,
  streakPointRows,
  type TableWrite,
  TOTALS,
  USER_PROFILE_COLUMNS,
  USERS,
  VALUE_DECIMALS,
} from './write-rules.js';

export class PostgresIngestStore implements IngestStore {
  /** `news`: the transaction's announced celebrations, whose NOTIFY the write carries (none outside a transaction). */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly news: CelebrationNews | null = null,
  ) {}

  async lockUsers(tenant: Tenant, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    const sorted = [...new Set(userIds)].sort();
    await sql`select pg_advisory_xact_lock(hashtextextended(${tenant.communityId} || ':' || u, 0))
              from (select u from unnest(${sorted}::text[]) as u order by u) as ordered`.execute(this.db);
  }

  async findUsers(tenant: Tenant, ids: readonly string[]): Promise<Map<string, User>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where(userIn(ids, 'id'))
      .execute();
    return new Map(rows.map((r) => [r.id, toUser(r)]));
  }

  async findIdempotent(tenant: Tenant, keys: readonly IdempotencyLookup[]): Promise<Map<string, StoredAnswer>> {
    const found = new Map<string, StoredAnswer>();
    if (keys.length === 0) return found;
    const { rows } = await sql<{ user_id: string; metric_id: string; key: string; response: string; fingerprint: string | null }>`
      select k.user_id, k.metric_id, k.key, k.response, k.fingerprint
      from unnest(${keys.map((k) => k.userId)}::text[], ${keys.map((k) => k.metricId)}::text[], ${keys.map((k) => k.key)}::text[])
        as x(user_id, metric_id, key)
      join idempotency_keys k on k.community_id = ${tenant.communityId} and k.user_id = x.user_id and k.metric_id = x.metric_id and k.key = x.key`.execute(
      this.db,
    );
    for (const r of rows)
      found.set(idempotencyKeyOf(r.user_id, r.metric_id, r.key), { response: JSON.parse(r.response), fingerprint: r.fingerprint });
    return found;
  }

  /**
   * One statement, one round trip: each part is a subquery aggregated into a JSON array (of
   * arrays, in the column order given), so the parts' different shapes travel in one row.
   */
  async loadState(tenant: Tenant, q: StateQuery): Promise<LoadedState> {
    const c = tenant.communityId;
    const users = sql`select unnest(${q.userIds}::text[])`;
    const part = (wanted: boolean, columns: string, from: RawBuilder<unknown>) =>
      wanted ? sql`(select coalesce(json_agg(json_build_array(${sql.raw(columns)})), '[]') from (${from}) q)` : sql`'[]'::json`;
    const series = union(q.series);
    const streaks = union(q.streaks);
    const has = q.userIds.length > 0;
    const { rows } = await sql<Record<'users' | 'totals' | 'counters' | 'held' | 'days' | 'streaks' | 'targets' | 'points', unknown[][]>>`
      select
        ${part(has && q.users, USER_ROW.join(', '), sql`select * from users where community_id = ${c} and id in (${users})`)} as users,
        ${part(
          has && q.metricIds.length > 0,
          'user_id, metric_id, total, count',
          sql`select * from user_metrics where community_id = ${c} and user_id in (${users}) and metric_id in (${listOf(q.metricIds)})`,
        )} as totals,
        ${part(
          has && q.counterIds.length > 0,
          'user_id, achievement_id, total, count',
          sql`select * from achievement_counters where community_id = ${c} and user_id in (${users})
              and achievement_id in (${listOf(q.counterIds)})`,
        )} as counters,
        ${part(
          has && q.heldIds.length > 0,
          'user_id, achievement_id, tier_key, period_key',
          sql`select * from awards where community_id = ${c} and user_id in (${users}) and achievement_id in (${listOf(q.heldIds)})`,
        )} as held,
        ${part(
          series.userIds.length > 0 && series.ids.length > 0,
          'user_id, series_id, day, total, count, first_at',
          sql`select * from user_day_totals where community_id = ${c} and user_id in (select unnest(${series.userIds}::text[]))
              and series_id in (${listOf(series.ids)}) and day >= ${q.fromDay}`,
        )} as days,
        ${part(
          streaks.userIds.length > 0 && streaks.ids.length > 0,
          POINT_COLUMNS,
          streakPoints(c, streaks.userIds, streaks.ids, q.fromPeriod, POINT_COLUMNS),
        )} as streaks,
        ${part(has && q.targets, 'user_id, metric_id, value, per', sql`select * from user_targets where community_id = ${c} and user_id in (${users})`)} as targets,
        ${part(has && q.points, 'user_id, system_id, total', sql`select * from user_points where community_id = ${c} and user_id in (${users})`)} as points`.execute(
      this.db,
    );
    const r = rows[0] as Record<string, unknown[][]>;
    const loaded: LoadedState = {
      users: new Map(),
      totals: new Map(),
      counters: new Map(),
      held: [],
      days: new Map(),
      streaks: new Map(),
      targets: new Map(),
      points: new Map(),
    };
    for (const row of r.users ?? []) {
      const user = toUser(Object.fromEntries(USER_ROW.map((name, i) => [name, row[i]])) as unknown as UserRow);
      loaded.users.set(user.id, user);
    }
    for (const [userId, metricId, total, count] of r.totals as [string, string, number, number][])
      inner(loaded.totals, userId).set(metricId, { total, count });
    for (const [userId, achievementId, total, count] of r.counters as [string, string, number, number][])
      inner(loaded.counters, userId).set(achievementId, { total, count });
    for (const [userId, achievementId, tierKey, periodKey] of r.held as [string, string, string, string][])
      loaded.held.push({ userId, achievementId, tierKey, periodKey });
    for (const [userId, seriesId, day, total, count, firstAt] of r.days as [string, string, number, number, number, number][]) {
      const byUser = inner(loaded.days, userId);
      let days = byUser.get(seriesId);
      if (!days) byUser.set(seriesId, (days = new Map()));
      days.set(day, { total, count, firstAt });
    }
    for (const [userId, streakId, period, length, started, freezes, earnAnchor, extendedAt] of r.streaks as [
      string,
      string,
      ...number[],
    ][]) {
      const byStreak = inner(loaded.streaks, userId);
      const list = byStreak.get(streakId) ?? [];
      list.push({ period, length, started, freezes, earnAnchor, extendedAt } as StreakPoint);
      byStreak.set(streakId, list);
    }
    for (const byStreak of loaded.streaks.values()) for (const list of byStreak.values()) list.sort((a, b) => a.period - b.period);
    for (const [userId, metricId, value, per] of r.targets as [string, string, number, Target['per']][])
      inner(loaded.targets, userId).set(metricId, { value, per });
    for (const [userId, systemId, total] of r.points as [string, string, number][]) inner(loaded.points, userId).set(systemId, total);
    return loaded;
  }

  async loadTotals(tenant: Tenant, userIds: readonly string[], metricIds: readonly string[]) {
    const out = new Map<string, Map<string, Tally>>();
    if (userIds.length === 0 || metricIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('user_metrics')
      .select(['user_id', 'metric_id', 'total', 'count'])
      .where('community_id', '=', tenant.communityId)
      .where(userIn(userIds))
      .where('metric_id', 'in', metricIds)
      .execute();
    for (const r of rows) inner(out, r.user_id).set(r.metric_id, { total: r.total, count: r.count });
    return out;
  }

  /** One query asks for every series any of the users wants: a round trip costs more than the few extra rows. */
  async loadDays(tenant: Tenant, wanted: Wanted, fromDay: number): Promise<Map<string, Map<string, Map<number, DayTally>>>> {
    const out = new Map<string, Map<string, Map<number, DayTally>>>();
    const { userIds, ids: seriesIds } = union(wanted);
    if (userIds.length === 0 || seriesIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('user_day_totals')
      .select(['user_id', 'series_id', 'day', 'total', 'count', 'first_at'])
      .where('community_id', '=', tenant.communityId)
      .where(userIn(userIds))
      .where('series_id', 'in', seriesIds)
      .where('day', '>=', fromDay)
      .execute();
    for (const r of rows) {
      const byUser = inner(out, r.user_id);
      let series = byUser.get(r.series_id);
      if (!series) byUser.set(r.series_id, (series = new Map()));
      series.set(r.day, { total: r.total, count: r.count, firstAt: r.first_at });
    }
    return out;
  }

  /** See `streakPoints` below. */
  async loadStreakPoints(tenant: Tenant, wanted: Wanted, fromPeriod: number): Promise<Map<string, Map<string, StreakPoint[]>>> {
    const out = new Map<string, Map<string, StreakPoint[]>>();
    const { userIds, ids: streakIds } = union(wanted);
    if (userIds.length === 0 || streakIds.length === 0) return out;
    type Row = Parameters<typeof toStreakPoint>[0] & { user_id: string; streak_id: string };
    const { rows } = await sql<Row>`${streakPoints(tenant.communityId, userIds, streakIds, fromPeriod, POINT_COLUMNS)}`.execute(this.db);
    for (const r of rows) {
      const byStreak = inner(out, r.user_id);
      const list = byStreak.get(r.streak_id) ?? [];
      list.push(toStreakPoint(r));
      byStreak.set(r.streak_id, list);
    }
    for (const byStreak of out.values()) for (const list of byStreak.values()) list.sort((a, b) => a.period - b.period);
    return out;
  }

  async loadPoints(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    if (userIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('user_points')
      .select(['user_id', 'system_id', 'total'])
      .where('community_id', '=', tenant.communityId)
      .where(userIn(userIds))
      .execute();
    for (const r of rows) inner(out, r.user_id).set(r.system_id, r.total);
    return out;
  }

  /**
   * Everything in one statement, one round trip: each table's write is a data-modifying WITH
   * query. They share one snapshot and touch different rows.
   */
  async write(tenant: Tenant, changes: IngestChanges): Promise<void> {
    const c = tenant.communityId;
    const writes: RawBuilder<unknown>[] = [];
    const add = (name: string, statement: RawBuilder<unknown>) => writes.push(sql`${sql.raw(name)} as (${statement})`);
    const some = <R>(records: readonly R[] | undefined): records is readonly R[] => records !== undefined && records.length > 0;

    const awards = changes.awards ?? [];
    if (awards.length > 0) add('new_awards', insertSql(tenant, AWARDS, awards, sql` returning 1`));
    const created = changes.createdUsers ?? [];
    if (created.length > 0) {
      add('new_users', insertSql(tenant, USERS, created));
      add(
        'user_count',
        sql`insert into community_user_counts (community_id, shard, users) values (${c}, ${countShard(created)}, ${created.length})
            on conflict (community_id, shard) do update set users = community_user_counts.users + excluded.users returning 1`,
      );
    }
    if (some(changes.updatedUsers)) {
      const rows = changes.updatedUsers.map(userColumns);
      const columns = ['id', ...USER_PROFILE_COLUMNS] as const;
      const types = new Map(USERS.columns);
      add(
        'changed_users',
        sql`update users u set ${sql.join(USER_PROFILE_COLUMNS.map((name) => sql`${sql.ref(name)} = ${sql.ref(`x.${name}`)}`))}
            from unnest(${sql.join(columns.map((name) => sql`${rows.map((r) => r[name])}::${sql.raw(types.get(name) as string)}[]`))})
              as x(${sql.raw(columns.join(', '))})
            where u.community_id = ${c} and u.id = x.id`,
      );
    }
    if (some(changes.events)) add('new_events', insertSql(tenant, EVENTS, changes.events));
    if (some(changes.totals)) add('totals', insertSql(tenant, TOTALS, changes.totals));
    if (some(changes.counters)) add('counters', insertSql(tenant, COUNTERS, changes.counters));
    if (some(changes.days)) add('days', insertSql(tenant, DAYS, changes.days));
    if (some(changes.streaks)) {
      // Each streak is rewritten from the earliest period it moved at: the points kept are
      // overwritten, the ones after them that are no longer there deleted.
      const r = changes.streaks;
      const points = streakPointRows(r);
      add(
        'old_points',
        sql`delete from user_streak_points p
            using unnest(${r.map((w) => w.userId)}::text[], ${r.map((w) => w.streakId)}::text[], ${r.map((w) => w.from)}::int[])
              as x(user_id, streak_id, from_period)
            where p.community_id = ${c} and p.user_id = x.user_id and p.streak_id = x.streak_id and p.period >= x.from_period
              and not exists (
                select 1 from unnest(${points.map((p) => p.userId)}::text[], ${points.map((p) => p.streakId)}::text[], ${points.map((p) => p.period)}::int[])
                  as n(user_id, streak_id, period)
                where n.user_id = p.user_id and n.streak_id = p.streak_id and n.period = p.period)`,
      );
      if (points.length > 0) add('points', insertSql(tenant, STREAK_POINTS, points));
      const continued = continuedStreaks(r);
      if (continued.length > 0) {
        add(
          'continued_points',
          sql`update user_streak_points p set lost_at = null
              from unnest(${continued.map((w) => w.userId)}::text[], ${continued.map((w) => w.streakId)}::text[],
                          ${continued.map((w) => w.started)}::int[], ${continued.map((w) => w.from)}::int[])
                as x(user_id, streak_id, started, from_period)
              cross join lateral (
                select period from user_streak_points
                where community_id = ${c} and user_id = x.user_id and streak_id = x.streak_id and period < x.from_period
                order by period desc limit 1) before
              where p.community_id = ${c} and p.user_id = x.user_id and p.streak_id = x.streak_id
                and p.period = before.period and p.period >= x.started and p.lost_at is not null`,
        );
      }
    }
    if (some(changes.stats)) add('stats', insertSql(tenant, STATS, changes.stats, sql` returning 1`));
    if (some(changes.points)) add('balances', insertSql(tenant, POINTS, changes.points));
    if (some(changes.pointsAwards)) add('points_paid', insertSql(tenant, POINTS_AWARDS, changes.pointsAwards));
    if (some(changes.idempotency)) add('answers', insertSql(tenant, IDEMPOTENCY, changes.idempotency));
    if (some(changes.outbox)) add('announced', insertSql(tenant, OUTBOX, changes.outbox));
    if (writes.length === 0) return;
    // The celebrations announced so far: their NOTIFY rides along rather than costing a round trip.
    const notice = this.news?.notice();
    if (notice) add('notice', notice);

    // The rows every transaction may share (the user count's shard, achievement stats) are locked
    // in one order everywhere: awards, then the user count, then stats, as the main query reads
    // them; the other writes run after, touching only the batch's own (locked) users' rows.
    const counted = awards.length > 0 ? sql`(select count(*) from new_awards)::int` : sql`0`;
    const shared = [
      created.length > 0 ? sql`(select count(*) from user_count)` : null,
      some(changes.stats) ? sql`(select count(*) from stats)` : null,
      // A plain SELECT in WITH runs only if the query reads it.
      notice ? sql`(select count(*) from notice)` : null,
    ];
    const order = shared.flatMap((part) => (part ? [sql`, ${part}`] : []));
    const { rows } = await sql<{ awards: number }>`with ${sql.join(writes)} select ${counted} as awards${sql.join(order, sql``)}`.execute(
      this.db,
    );
    // An award already there means another writer decided it concurrently: the whole transaction is retried.
    if (rows[0]?.awards !== awards.length) throw new AwardRaceError();
  }
}

const POINT_COLUMNS = 'user_id, streak_id, period, length, started, freezes, earn_anchor, extended_at';

/** The users table's columns a user is read from, in the order `loadState` sends them. */
const USER_ROW = USERS.columns.map(([name]) => name);

/**
 * Streak points from `fromPeriod` on, and before them the latest earlier point of each user and
 * streak: one backward index probe each, however long their history (DISTINCT ON would read
 * every earlier point).
 */
function streakPoints(communityId: string, userIds: readonly string[], streakIds: readonly string[], fromPeriod: number, columns: string) {
  const list = sql.raw(columns);
  return sql`
    select p.* from unnest(${userIds}::text[]) u(id) cross join unnest(${streakIds}::text[]) s(id)
    cross join lateral (
      select ${list} from user_streak_points
      where community_id = ${communityId} and user_id = u.id and streak_id = s.id and period < ${fromPeriod}
      order by period desc limit 1) p
    union all
    select ${list} from user_streak_points
    where community_id = ${communityId} and user_id in (select unnest(${userIds}::text[]))
      and streak_id in (${listOf(streakIds)}) and period >= ${fromPeriod}`;
}

/**
 * One insert for all of a table's records: one array per column. Deltas merging into the same row
 * must arrive already summed (the engine sums a batch's deltas per key): PostgreSQL refuses to
 * update one row twice in a statement.
 */
function insertSql<R>(tenant: Tenant, table: TableWrite<R>, records: readonly R[], returning: RawBuilder<unknown> = sql``) {
  const names = table.columns.map(([name]) => name);
  const values = records.map((r) => table.values(r));
  const arrays = table.columns.map(([, type], i) => sql`${values.map((v) => v[i] ?? null)}::${sql.raw(type)}[]`);
  const list = sql.raw(names.join(', '));
  let onConflict = sql``;
  if (table.upsert) {
    const sets = Object.entries(table.upsert.merge).map(
      ([column, merge]) => sql`${sql.ref(column)} = ${merged(merge, sql.ref(`${table.table}.${column}`), sql.ref(`excluded.${column}`))}`,
    );
    onConflict = sql` on conflict (${sql.raw(table.upsert.key.join(', '))}) do update set ${sql.join(sets)}`;
  } else if (table.unique) {
    onConflict = sql` on conflict (${sql.raw(table.unique.join(', '))}) do nothing`;
  }
  const order = table.order ? sql` order by ${sql.ref(table.order)}` : sql``;
  return sql<{ inserted: number }>`
    insert into ${sql.table(table.table)} (org_id, community_id, ${list})
    select ${tenant.orgId}, ${tenant.communityId}, ${list} from unnest(${sql.join(arrays)}) as x(${list})${order}${onConflict}${returning}`;
}

/** A merge rule in PostgreSQL's SQL. */
export function merged(
  merge: Merge,
  stored: RawBuilder<unknown> | ReturnType<typeof sql.ref>,
  added: RawBuilder<unknown> | ReturnType<typeof sql.ref>,
) {
  switch (merge) {
    case 'roundedSum':
      return sql`round((${stored} + ${added})::numeric, ${sql.lit(VALUE_DECIMALS)})::double precision`;
    case 'sum':
      return sql`${stored} + ${added}`;
    case 'earliest':
      return sql`least(${stored}, ${added})`;
    case 'latest':
      return sql`greatest(${stored}, ${added})`;
    case 'replace':
      return sql`${added}`;
  }
}

/**
 * `column` is one of the ids, as a semi-join on one array parameter: a batch's thousand ids are
 * bound and planned as one value. With `= any(…)` next to a second list the planner prices an index
 * probe per pair of values and picks a parallel sequential scan (48 ms for 500 users of 100,000);
 * the join probes the index once per id (5 ms).
 */
function userIn(ids: readonly string[], column = 'user_id') {
  return sql<boolean>`${sql.ref(column)} in (select unnest(${ids}::text[]))`;
}

/**
 * A few ids (metrics, achievements, streaks) as a plain IN list. Next to the users' array, an array
 * here too leaves the planner guessing both sides' sizes: it walked every user of a metric by the
 * metric's index (22,292 rows for 10 users) instead of each user's few rows.
 */
function listOf(ids: readonly string[]) {
  return sql.join(ids.map((id) => sql`${id}`));
}

function inner<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key);
  if (!m) map.set(key, (m = new Map()));
  return m;
}

/** The users of a user → ids map, and every id any of them wants. */
function union(wanted: Wanted): { userIds: string[]; ids: string[] } {
  const ids = new Set<string>();
  for (const list of wanted.values()) for (const id of list) ids.add(id);
  return { userIds: [...wanted.keys()], ids: [...ids] };
}

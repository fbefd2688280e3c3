/**
 * Leaderboards and their entries. Every rank question is bounded by the leaderboard's size
 * (maxParticipants): "how many are above me" stops counting there, so its cost does not grow with
 * the number of users.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Leaderboard } from '../../domain/leaderboards.js';
import { batchRows } from '../batch-rows.js';
import type { Dialect } from '../dialect.js';
import { jsonField } from '../json-sql.js';
import type { DB, LeaderboardRow } from '../schema.js';
import type { Tenant } from '../tenant.js';

function toLeaderboard(r: LeaderboardRow): Leaderboard {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    status: r.status,
    rankBy: r.rank_by,
    metricId: r.metric_id,
    pointsSystemId: r.points_system_id,
    streakId: r.streak_id,
    maxParticipants: r.max_participants,
    breakdownAttribute: r.breakdown_attribute,
    startDay: r.start_day,
    endDay: r.end_day,
    runUnit: r.run_unit,
    runInterval: r.run_interval,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function columns(lb: Leaderboard) {
  return {
    key: lb.key,
    name: lb.name,
    description: lb.description,
    status: lb.status,
    rank_by: lb.rankBy,
    metric_id: lb.metricId,
    points_system_id: lb.pointsSystemId,
    streak_id: lb.streakId,
    max_participants: lb.maxParticipants,
    breakdown_attribute: lb.breakdownAttribute,
    start_day: lb.startDay,
    end_day: lb.endDay,
    run_unit: lb.runUnit,
    run_interval: lb.runInterval,
    updated_at: lb.updatedAt,
  };
}

export interface EntryKey {
  leaderboardId: string;
  run: number;
  group: string;
  userId: string;
}

export interface EntryChange extends EntryKey {
  /** Added to the value (metric, points), or the value itself (streak). */
  value: number;
  absolute: boolean;
}

/** An entry key with its leaderboard's size, which bounds its rank. */
export interface SizedEntryKey extends EntryKey {
  maxParticipants: number;
}

export interface HistoryEntry {
  leaderboardId: string;
  run: number;
  userId: string;
  day: number;
  previousRank: number | null;
  rank: number | null;
  previousValue: number | null;
  value: number;
}

export class LeaderboardsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async list(tenant: Tenant): Promise<Leaderboard[]> {
    const rows = await this.db
      .selectFrom('leaderboards')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at')
      .orderBy('key')
      .execute();
    return rows.map(toLeaderboard);
  }

  async insert(tenant: Tenant, lb: Leaderboard): Promise<void> {
    await this.db
      .insertInto('leaderboards')
      .values({ id: lb.id, org_id: tenant.orgId, community_id: tenant.communityId, created_at: lb.createdAt, ...columns(lb) })
      .execute();
  }

  async update(tenant: Tenant, lb: Leaderboard): Promise<void> {
    await this.db
      .updateTable('leaderboards')
      .set(columns(lb))
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', lb.id)
      .execute();
  }

  /** Current values of the given entries, in one statement. */
  async values(keys: readonly EntryKey[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (keys.length === 0) return out;
    const result = await sql<{ i: number; value: number }>`
      select x.i, e.value from ${this.keyRows(keys)} cross join leaderboard_entries e
      where e.leaderboard_id = x.leaderboard_id and e.run = x.run and e.grp = x.grp and e.user_id = x.user_id`.execute(this.db);
    for (const r of result.rows) out.set(entryId(keys[Number(r.i)] as EntryKey), r.value);
    return out;
  }

  /**
   * Ranks for many entries at once, in input order, each as rankOf gives it for `value`, in one
   * statement. Rather than counting the others above every entry, it reads each group's values above
   * the lowest of its entries, at most `bound` of them (the largest size among the entries'
   * leaderboards), and counts in that list: a batch that moves a thousand users of one leaderboard
   * reads its top thousand values once instead of up to a thousand for each user.
   */
  async ranks(entries: readonly (SizedEntryKey & { value: number })[]): Promise<(number | null)[]> {
    if (entries.length === 0) return [];
    const bound = Math.max(...entries.map((e) => e.maxParticipants));
    const groups = new Map<string, { index: number; key: Omit<EntryKey, 'userId'>; floor: number }>();
    const groupOf = entries.map((e) => {
      const id = entryId({ ...e, userId: '' });
      const g = groups.get(id);
      if (g) g.floor = Math.min(g.floor, e.value);
      else groups.set(id, { index: groups.size, key: e, floor: e.value });
      return groups.get(id)?.index ?? 0;
    });
    const rows = batchRows(
      this.dialect,
      'x',
      { i: 'int', leaderboard_id: 'text', run: 'int', grp: 'text', floor: 'float8' },
      [...groups.values()].map((g) => [g.index, g.key.leaderboardId, g.key.run, g.key.group, g.floor]),
    );
    // `cut`: the bound-th value above the floor, when there are that many. An entry below it has at
    // least `bound` others above; for one at or above it, every value above it is one of those read.
    const result = await sql<{ i: number; cut: number | null; value: number | null }>`
      with g as materialized (
        select x.i, x.leaderboard_id, x.run, x.grp, x.floor, (
          select c.value from leaderboard_entries c
          where c.leaderboard_id = x.leaderboard_id and c.run = x.run and c.grp = x.grp and c.value > x.floor
          order by c.value desc limit 1 offset ${bound - 1}
        ) as cut
        from ${rows}
      )
      select g.i, g.cut, e.value from g left join leaderboard_entries e
        on e.leaderboard_id = g.leaderboard_id and e.run = g.run and e.grp = g.grp and e.value > coalesce(g.cut, g.floor)`.execute(this.db);
    const cuts: (number | null)[] = [];
    const above: number[][] = [...groups.values()].map(() => []);
    for (const r of result.rows) {
      cuts[Number(r.i)] = r.cut;
      if (r.value !== null) above[Number(r.i)]?.push(r.value);
    }
    for (const values of above) values.sort((a, b) => b - a);
    return entries.map((e, n) => {
      const g = groupOf[n] ?? 0;
      const cut = cuts[g] ?? null;
      if (cut !== null && e.value < cut) return null;
      const rank = 1 + countAbove(above[g] ?? [], e.value);
      return rank > e.maxParticipants ? null : rank;
    });
  }

  /**
   * Writes the changes, keys all distinct: one statement for those adding to the value, one for those
   * setting it.
   */
  async apply(tenant: Tenant, changes: readonly EntryChange[], now: number): Promise<void> {
    for (const absolute of [false, true]) {
      const part = changes.filter((c) => c.absolute === absolute);
      if (part.length === 0) continue;
      const rows = batchRows(
        this.dialect,
        'x',
        { leaderboard_id: 'text', run: 'int', grp: 'text', user_id: 'text', value: 'float8' },
        part.map((c) => [c.leaderboardId, c.run, c.group, c.userId, c.value]),
      );
      // SQLite needs the WHERE to tell the upsert's ON CONFLICT from a join constraint.
      await sql`
        insert into leaderboard_entries (org_id, community_id, leaderboard_id, run, grp, user_id, value, updated_at)
        select ${tenant.orgId}, ${tenant.communityId}, x.leaderboard_id, x.run, x.grp, x.user_id, x.value, cast(${now} as bigint)
        from ${rows} where true
        on conflict (leaderboard_id, run, grp, user_id) do update set
          value = ${absolute ? sql`excluded.value` : sql`leaderboard_entries.value + excluded.value`}, updated_at = excluded.updated_at`.execute(
        this.db,
      );
    }
  }

  /** 1 + how many others are above `value`, or null when that puts the user beyond the leaderboard's size. */
  async rankOf(k: EntryKey, value: number, maxParticipants: number): Promise<number | null> {
    const result = await sql<{ n: number }>`
      select count(*) as n from (
        select 1 from leaderboard_entries
        where leaderboard_id = ${k.leaderboardId} and run = ${k.run} and grp = ${k.group} and user_id <> ${k.userId} and value > ${value}
        limit ${maxParticipants}
      ) above`.execute(this.db);
    const rank = Number(result.rows[0]?.n ?? 0) + 1;
    return rank > maxParticipants ? null : rank;
  }

  /**
   * For each of the given leaderboard groups, in order and in one statement, the value a user needs
   * to get onto it when full (0 while there is room).
   */
  async thresholds(groups: readonly Omit<SizedEntryKey, 'userId'>[]): Promise<number[]> {
    if (groups.length === 0) return [];
    const bound = Math.max(...groups.map((g) => g.maxParticipants));
    const rows = batchRows(
      this.dialect,
      'x',
      { i: 'int', leaderboard_id: 'text', run: 'int', grp: 'text', max_participants: 'int' },
      groups.map((g, i) => [i, g.leaderboardId, g.run, g.group, g.maxParticipants]),
    );
    // The top values, numbered, cut at the largest size: SQLite takes no LIMIT from the outer row.
    const result = await sql<{ i: number; threshold: number }>`
      select x.i, coalesce((
        select ranked.value from (
          select v.value, row_number() over (order by v.value desc) as n from (
            select e.value from leaderboard_entries e
            where e.leaderboard_id = x.leaderboard_id and e.run = x.run and e.grp = x.grp
            order by e.value desc limit ${bound}
          ) v
        ) ranked
        where ranked.n = x.max_participants
      ), 0) as threshold
      from ${rows}`.execute(this.db);
    const out = groups.map(() => 0);
    for (const r of result.rows) out[Number(r.i)] = r.threshold;
    return out;
  }

  /** The breakdown groups a run has entries in ('' without breakdown), in order. */
  async groups(leaderboardId: string, run: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('leaderboard_entries')
      .select('grp')
      .distinct()
      .where('leaderboard_id', '=', leaderboardId)
      .where('run', '=', run)
      .orderBy('grp')
      .execute();
    return rows.map((r) => r.grp);
  }

  /**
   * Records that a run was announced as finished; false when it already was (by this or another
   * process: the key lets one insert through).
   */
  async markFinished(tenant: Tenant, leaderboardId: string, run: number, now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('leaderboard_finishes')
      .values({ org_id: tenant.orgId, community_id: tenant.communityId, leaderboard_id: leaderboardId, run, finished_at: now })
      .onConflict((oc) => oc.columns(['leaderboard_id', 'run']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** One page of the rankings within the leaderboard's size, ties sharing a rank. */
  async rankings(
    k: Omit<EntryKey, 'userId'>,
    maxParticipants: number,
    page: { offset: number; limit: number },
  ): Promise<{ userId: string; value: number; rank: number }[]> {
    const result = await sql<{ user_id: string; value: number; r: number }>`
      select user_id, value, rank() over (order by value desc) as r from (
        select user_id, value from leaderboard_entries
        where leaderboard_id = ${k.leaderboardId} and run = ${k.run} and grp = ${k.group} and value > 0
        order by value desc, user_id limit ${maxParticipants}
      ) top
      order by r, user_id
      limit ${page.limit} offset ${page.offset}`.execute(this.db);
    return result.rows.map((r) => ({ userId: r.user_id, value: r.value, rank: Number(r.r) }));
  }

  /**
   * Records today's movement of users on leaderboards, in one statement: the day's first previous
   * state, its latest state. A user listed twice for one leaderboard keeps the first's previous state
   * and the last's state, as if recorded one after the other.
   */
  async recordHistory(tenant: Tenant, entries: readonly HistoryEntry[]): Promise<void> {
    const merged = new Map<string, HistoryEntry>();
    for (const e of entries) {
      const id = `${e.leaderboardId}\u0000${e.run}\u0000${e.userId}\u0000${e.day}`;
      const first = merged.get(id);
      merged.set(id, first ? { ...e, previousRank: first.previousRank, previousValue: first.previousValue } : e);
    }
    if (merged.size === 0) return;
    const rows = batchRows(
      this.dialect,
      'x',
      {
        leaderboard_id: 'text',
        run: 'int',
        user_id: 'text',
        day: 'int',
        previous_rank: 'int',
        rank: 'int',
        previous_value: 'float8',
        value: 'float8',
      },
      [...merged.values()].map((e) => [e.leaderboardId, e.run, e.userId, e.day, e.previousRank, e.rank, e.previousValue, e.value]),
    );
    await sql`
      insert into leaderboard_history (org_id, community_id, leaderboard_id, run, user_id, day, previous_rank, rank, previous_value, value)
      select ${tenant.orgId}, ${tenant.communityId}, x.leaderboard_id, x.run, x.user_id, x.day, x.previous_rank, x.rank, x.previous_value, x.value
      from ${rows} where true
      on conflict (leaderboard_id, run, user_id, day) do update set rank = excluded.rank, value = excluded.value`.execute(this.db);
  }

  /** The batch of entry keys as table `x`, each with its position `i` in `keys`. */
  private keyRows(keys: readonly EntryKey[]): RawBuilder<unknown> {
    return batchRows(
      this.dialect,
      'x',
      { i: 'int', leaderboard_id: 'text', run: 'int', grp: 'text', user_id: 'text' },
      keys.map((k, i) => [i, k.leaderboardId, k.run, k.group, k.userId]),
    );
  }

  async history(leaderboardId: string, run: number, userId: string, limit: number) {
    return this.db
      .selectFrom('leaderboard_history')
      .select(['day', 'previous_rank', 'rank', 'previous_value', 'value'])
      .where('leaderboard_id', '=', leaderboardId)
      .where('run', '=', run)
      .where('user_id', '=', userId)
      .orderBy('day', 'desc')
      .limit(limit)
      .execute();
  }

  /** Seeds the entries of a run from history, in one set-based statement per source. */
  async seedRun(
    tenant: Tenant,
    lb: Leaderboard,
    run: { start: number; end: number | null },
    source: { kind: 'metric'; metricId: string } | { kind: 'points'; systemId: string; fromMs: number; untilMs: number | null },
    now: number,
  ): Promise<void> {
    await this.db.deleteFrom('leaderboard_entries').where('leaderboard_id', '=', lb.id).where('run', '=', run.start).execute();
    const group =
      lb.breakdownAttribute === null
        ? sql`''`
        : sql`coalesce(${jsonField(this.dialect, sql.ref('u.attributes'), lb.breakdownAttribute)}, '')`;
    const values =
      source.kind === 'metric'
        ? sql`select d.user_id, sum(d.total) as value from user_day_totals d
              where d.community_id = ${tenant.communityId} and d.series_id = ${source.metricId} and d.day >= ${run.start}
              ${run.end === null ? sql`` : sql`and d.day <= ${run.end}`}
              group by d.user_id`
        : sql`select a.user_id, sum(a.amount) as value from points_awards a
              where a.community_id = ${tenant.communityId} and a.system_id = ${source.systemId} and a.created_at >= ${source.fromMs}
              ${source.untilMs === null ? sql`` : sql`and a.created_at < ${source.untilMs}`}
              group by a.user_id`;
    await sql`
      insert into leaderboard_entries (org_id, community_id, leaderboard_id, run, grp, user_id, value, updated_at)
      select ${tenant.orgId}, ${tenant.communityId}, ${lb.id}, ${sql.lit(run.start)}, ${group}, v.user_id, v.value, ${sql.lit(now)}
      from (${values}) v join users u on u.community_id = ${tenant.communityId} and u.id = v.user_id
      where v.value > 0`.execute(this.db);
  }

  /** Replaces a streak leaderboard's entries (one perpetual run). */
  async replaceEntries(
    tenant: Tenant,
    lb: Leaderboard,
    entries: readonly { userId: string; group: string; value: number }[],
    now: number,
  ): Promise<void> {
    await this.db.deleteFrom('leaderboard_entries').where('leaderboard_id', '=', lb.id).execute();
    await this.apply(
      tenant,
      entries.map((e) => ({ leaderboardId: lb.id, run: lb.startDay, group: e.group, userId: e.userId, value: e.value, absolute: true })),
      now,
    );
  }
}

/** How many of `descending` are greater than `value`. */
function countAbove(descending: readonly number[], value: number): number {
  let low = 0;
  let high = descending.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((descending[mid] as number) > value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function entryId(k: EntryKey): string {
  return `${k.leaderboardId}\u0000${k.run}\u0000${k.group}\u0000${k.userId}`;
}

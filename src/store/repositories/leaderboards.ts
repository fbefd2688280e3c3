/**
 * Leaderboards and their entries. Every rank question is bounded by the leaderboard's size
 * (maxParticipants): "how many are above me" stops counting there, so its cost does not grow with
 * the number of users.
 */
import { type Kysely, sql } from 'kysely';
import type { Leaderboard } from '../../domain/leaderboards.js';
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

  /** Current values of the given entries. */
  async values(keys: readonly EntryKey[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const k of keys) {
      const row = await this.db
        .selectFrom('leaderboard_entries')
        .select('value')
        .where('leaderboard_id', '=', k.leaderboardId)
        .where('run', '=', k.run)
        .where('grp', '=', k.group)
        .where('user_id', '=', k.userId)
        .executeTakeFirst();
      if (row) out.set(entryId(k), row.value);
    }
    return out;
  }

  async apply(tenant: Tenant, changes: readonly EntryChange[], now: number): Promise<void> {
    for (const c of changes) {
      await this.db
        .insertInto('leaderboard_entries')
        .values({
          org_id: tenant.orgId,
          community_id: tenant.communityId,
          leaderboard_id: c.leaderboardId,
          run: c.run,
          grp: c.group,
          user_id: c.userId,
          value: c.value,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['leaderboard_id', 'run', 'grp', 'user_id']).doUpdateSet({
            value: c.absolute ? c.value : sql<number>`leaderboard_entries.value + excluded.value`,
            updated_at: now,
          }),
        )
        .execute();
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

  /** The value a user needs to get onto a full leaderboard (0 while there is room). */
  async threshold(k: Omit<EntryKey, 'userId'>, maxParticipants: number): Promise<number> {
    const row = await this.db
      .selectFrom('leaderboard_entries')
      .select('value')
      .where('leaderboard_id', '=', k.leaderboardId)
      .where('run', '=', k.run)
      .where('grp', '=', k.group)
      .orderBy('value', 'desc')
      .limit(1)
      .offset(maxParticipants - 1)
      .executeTakeFirst();
    return row?.value ?? 0;
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

  /** Records today's movement of a user on a leaderboard (the day's first previous state, its latest state). */
  async recordHistory(
    tenant: Tenant,
    entry: {
      leaderboardId: string;
      run: number;
      userId: string;
      day: number;
      previousRank: number | null;
      rank: number | null;
      previousValue: number | null;
      value: number;
    },
  ): Promise<void> {
    await this.db
      .insertInto('leaderboard_history')
      .values({
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        leaderboard_id: entry.leaderboardId,
        run: entry.run,
        user_id: entry.userId,
        day: entry.day,
        previous_rank: entry.previousRank,
        rank: entry.rank,
        previous_value: entry.previousValue,
        value: entry.value,
      })
      .onConflict((oc) => oc.columns(['leaderboard_id', 'run', 'user_id', 'day']).doUpdateSet({ rank: entry.rank, value: entry.value }))
      .execute();
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

export function entryId(k: EntryKey): string {
  return `${k.leaderboardId}\u0000${k.run}\u0000${k.group}\u0000${k.userId}`;
}

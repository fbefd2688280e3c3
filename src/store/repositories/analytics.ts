/**
 * Read-only questions the dashboard asks about one achievement, each answered by set-based SQL
 * (COUNT and GROUP BY over running state), never by a loop over users: how many users a backfill
 * would grant now, how many users stand at each stage of progress, unlocks per day, the latest
 * unlocks.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../dialect.js';
import { jsonField, userAttributesMatch } from '../json-sql.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** Rows (user_id, v): one value per user that a criterion compares with its thresholds. */
export type UserValueSource =
  | { kind: 'metric_total'; metricId: string; measure: 'total' | 'count' }
  | { kind: 'counter'; achievementId: string; measure: 'total' | 'count' }
  | {
      kind: 'events';
      metricId: string;
      measure: 'total' | 'count';
      eventFilter: Record<string, string> | null;
      from: number | null;
      until: number | null;
    }
  | { kind: 'held_count'; achievementIds: readonly string[] }
  | { kind: 'joined_by'; joinedBy: number }
  | { kind: 'streak_best'; streakId: string }
  | { kind: 'streak_current'; streakId: string };

export interface Step {
  tierKey: string;
  threshold: number;
}

export interface QualifyingCount {
  /** Users who would receive at least one step they do not hold yet. */
  users: number;
  perStep: { tierKey: string; users: number }[];
}

/** Progress stages: 0 = nothing yet, 1 = 1–24 %, 2 = 25–49 %, 3 = 50–74 %, 4 = 75 % or more (not unlocked); 100 + k = holds step k. */
export interface StageCount {
  stage: number;
  users: number;
}

export interface LatestUnlock {
  userId: string;
  userName: string | null;
  tierKey: string;
  periodKey: string;
  achievedAt: number;
  source: string;
  backfilled: boolean;
}

export const HELD_STAGE = 100;

export class AnalyticsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** How many users meet each step now without holding it (what a backfill would grant). */
  async countQualifying(
    tenant: Tenant,
    achievementId: string,
    source: UserValueSource,
    steps: readonly Step[],
    comparison: '>=' | '=',
    userFilter: Record<string, string> | null,
  ): Promise<QualifyingCount> {
    if (steps.length === 0) return { users: 0, perStep: [] };
    const values = this.withUserFilter(tenant, this.sourceSql(tenant, source), userFilter);
    const missing = (step: Step) => sql`(${comparison === '=' ? sql`q.v = ${step.threshold}` : sql`q.v >= ${step.threshold}`}
      and not exists (select 1 from awards a where a.community_id = ${tenant.communityId} and a.achievement_id = ${achievementId}
                      and a.user_id = q.user_id and a.tier_key = ${step.tierKey}))`;
    const counts = sql.join(
      steps.map((step, i) => sql`sum(case when ${missing(step)} then 1 else 0 end) as ${sql.ref(`s${i}`)}`),
      sql`, `,
    );
    const any = sql.join(steps.map(missing), sql` or `);
    const result = await sql<Record<string, unknown>>`
      select sum(case when ${any} then 1 else 0 end) as total, ${counts}
      from (${values}) q`.execute(this.db);
    const row = result.rows[0] ?? {};
    return {
      users: Number(row.total ?? 0),
      perStep: steps.map((step, i) => ({ tierKey: step.tierKey, users: Number(row[`s${i}`] ?? 0) })),
    };
  }

  /**
   * Every user of the community (matching the user filter) in one stage: the highest step held,
   * else how far their value is towards the first step (when there is a value to measure).
   */
  async progressStages(
    tenant: Tenant,
    achievementId: string,
    source: UserValueSource | null,
    steps: readonly Step[],
    userFilter: Record<string, string> | null,
  ): Promise<StageCount[]> {
    const stepIndex =
      steps.length > 0
        ? sql`case a.tier_key ${sql.join(
            steps.map((s, i) => sql`when ${s.tierKey} then ${sql.lit(i)}`),
            sql` `,
          )} else 0 end`
        : sql`0`;
    const held = sql`select a.user_id, max(${stepIndex}) as top from awards a
      where a.community_id = ${tenant.communityId} and a.achievement_id = ${achievementId} group by a.user_id`;
    const first = steps[0]?.threshold;
    const progress =
      source && first !== undefined && first > 0
        ? sql`when coalesce(m.v, 0) <= 0 then 0
              when m.v * 4 < ${first} then 1
              when m.v * 2 < ${first} then 2
              when m.v * 4 < ${first * 3} then 3
              else 4`
        : sql`else 0`;
    const valueJoin = source ? sql`left join (${this.sourceSql(tenant, source)}) m on m.user_id = u.id` : sql``;
    const filter = this.userFilterSql(userFilter);
    const result = await sql<{ stage: number | string; users: number | string }>`
      select s.stage, count(*) as users from (
        select case when h.top is not null then ${sql.lit(HELD_STAGE)} + h.top ${progress} end as stage
        from users u
        ${valueJoin}
        left join (${held}) h on h.user_id = u.id
        where u.community_id = ${tenant.communityId} ${filter ? sql`and ${filter}` : sql``}
      ) s
      group by s.stage
      order by s.stage`.execute(this.db);
    return result.rows.map((r) => ({ stage: Number(r.stage), users: Number(r.users) }));
  }

  /** Award rows per UTC day (day number since the epoch) from `from` on. */
  async unlocksPerDay(tenant: Tenant, achievementId: string, from: number): Promise<{ day: number; unlocks: number }[]> {
    const day =
      this.dialect === 'postgres' ? sql`cast(floor(achieved_at / 86400000.0) as integer)` : sql`cast(achieved_at / 86400000 as integer)`;
    const result = await sql<{ day: number | string; unlocks: number | string }>`
      select ${day} as day, count(*) as unlocks from awards
      where achievement_id = ${achievementId} and community_id = ${tenant.communityId} and achieved_at >= ${from}
      group by 1 order by 1`.execute(this.db);
    return result.rows.map((r) => ({ day: Number(r.day), unlocks: Number(r.unlocks) }));
  }

  /** The latest unlocks of an achievement, newest first, with the user's name. */
  async latestUnlocks(tenant: Tenant, achievementId: string, limit: number): Promise<LatestUnlock[]> {
    const rows = await this.db
      .selectFrom('awards as a')
      .leftJoin('users as u', (join) => join.onRef('u.community_id', '=', 'a.community_id').onRef('u.id', '=', 'a.user_id'))
      .select(['a.user_id', 'u.name', 'a.tier_key', 'a.period_key', 'a.achieved_at', 'a.source', 'a.backfilled'])
      .where('a.achievement_id', '=', achievementId)
      .where('a.community_id', '=', tenant.communityId)
      .orderBy('a.achieved_at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      userName: r.name ?? null,
      tierKey: r.tier_key,
      periodKey: r.period_key,
      achievedAt: Number(r.achieved_at),
      source: r.source,
      backfilled: Number(r.backfilled) === 1,
    }));
  }

  private sourceSql(tenant: Tenant, source: UserValueSource): RawBuilder<unknown> {
    const c = tenant.communityId;
    switch (source.kind) {
      case 'metric_total':
        return sql`select user_id, ${sql.ref(source.measure)} as v from user_metrics where community_id = ${c} and metric_id = ${source.metricId}`;
      case 'counter':
        return sql`select user_id, ${sql.ref(source.measure)} as v from achievement_counters where community_id = ${c} and achievement_id = ${source.achievementId}`;
      case 'events': {
        const filters = [
          sql`e.community_id = ${c}`,
          sql`e.metric_id = ${source.metricId}`,
          ...(source.from === null ? [] : [sql`e.occurred_at >= ${source.from}`]),
          ...(source.until === null ? [] : [sql`e.occurred_at < ${source.until}`]),
          ...Object.entries(source.eventFilter ?? {}).map(([k, v]) => sql`${this.jsonField(sql.ref('e.attributes'), k)} = ${v}`),
        ];
        const value = source.measure === 'count' ? sql`count(*)` : sql`sum(e.value)`;
        return sql`select e.user_id, ${value} as v from events e where ${sql.join(filters, sql` and `)} group by e.user_id`;
      }
      case 'held_count':
        if (source.achievementIds.length === 0) return sql`select user_id, 0 as v from awards where 1 = 0`;
        return sql`select user_id, count(distinct achievement_id) as v from awards
                   where community_id = ${c} and achievement_id in (${sql.join(source.achievementIds)}) group by user_id`;
      case 'joined_by':
        return sql`select id as user_id, 1 as v from users where community_id = ${c} and created_at <= ${source.joinedBy}`;
      case 'streak_best':
        return sql`select user_id, max(length) as v from user_streak_points
                   where community_id = ${c} and streak_id = ${source.streakId} group by user_id`;
      case 'streak_current':
        return sql`select p.user_id, p.length as v from user_streak_points p
                   join (select user_id, max(period) as period from user_streak_points
                         where community_id = ${c} and streak_id = ${source.streakId} group by user_id) last
                     on last.user_id = p.user_id and last.period = p.period
                   where p.community_id = ${c} and p.streak_id = ${source.streakId}`;
    }
  }

  private withUserFilter(tenant: Tenant, values: RawBuilder<unknown>, userFilter: Record<string, string> | null): RawBuilder<unknown> {
    const filter = this.userFilterSql(userFilter);
    if (!filter) return values;
    return sql`select f.user_id, f.v from (${values}) f join users u on u.community_id = ${tenant.communityId} and u.id = f.user_id where ${filter}`;
  }

  private userFilterSql(filter: Record<string, string> | null): RawBuilder<unknown> | null {
    return userAttributesMatch(this.dialect, filter);
  }

  private jsonField(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, key: string) {
    return jsonField(this.dialect, column, key);
  }
}

/**
 * Backfill in set-based SQL: one INSERT … SELECT per tier, rewards paid by joining the rows that
 * one run wrote. No loop over users ever runs in JavaScript, so a million users cost a handful
 * of statements.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../dialect.js';
import { merged as postgresMerged } from '../ingest/postgres.js';
import { merged as sqliteMerged } from '../ingest/sqlite.js';
import { AWARDS, VALUE_DECIMALS } from '../ingest/write-rules.js';
import { jsonField, userAttributesMatch } from '../json-sql.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** Where a measure is read from: the user's metric total or the achievement's own counter. */
export type MeasureSource = { kind: 'total'; metricId: string } | { kind: 'counter'; achievementId: string };

export interface GrantTarget {
  achievementId: string;
  tierKey: string;
  rewardsJson: string;
  runId: string;
  now: number;
  /** Ids of the awards the grant writes: this prefix, then each row's number (see engine/ids.ts). */
  idPrefix: string;
  /** For per-period achievements, the period the grant is for. */
  periodKey?: string;
  /** Backfills are silent; the daily sweep writes real unlocks. */
  source?: 'backfill' | 'sweep';
}

export interface MeasureCondition {
  source: MeasureSource;
  measure: 'total' | 'count';
  comparison: '>=' | '=';
  threshold: number;
  userFilter: Record<string, string> | null;
}

export class BackfillRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Recomputes an achievement's counters from the raw events (filtered, and from a time). */
  async rebuildCounters(
    tenant: Tenant,
    achievementId: string,
    metricId: string,
    eventFilter: Record<string, string> | null,
    countsFrom: number | null,
    countsUntil: number | null = null,
  ): Promise<void> {
    await this.db
      .deleteFrom('achievement_counters')
      .where('community_id', '=', tenant.communityId)
      .where('achievement_id', '=', achievementId)
      .execute();
    const filters = [
      sql`e.community_id = ${tenant.communityId}`,
      sql`e.metric_id = ${metricId}`,
      ...(countsFrom === null ? [] : [sql`e.occurred_at >= ${countsFrom}`]),
      ...(countsUntil === null ? [] : [sql`e.occurred_at < ${countsUntil}`]),
      ...Object.entries(eventFilter ?? {}).map(([k, v]) => sql`${this.jsonField(sql.ref('e.attributes'), k)} = ${v}`),
    ];
    await sql`
      insert into achievement_counters (org_id, community_id, user_id, achievement_id, total, count)
      select ${tenant.orgId}, ${tenant.communityId}, e.user_id, ${achievementId}, ${this.roundedSum(sql`e.value`)}, count(*)
      from events e
      where ${sql.join(filters, sql` and `)}
      group by e.user_id`.execute(this.db);
  }

  /** Forgets what an achievement counted on its own (its counter and its day totals). */
  async clearCounters(tenant: Tenant, achievementId: string): Promise<void> {
    await this.db
      .deleteFrom('achievement_counters')
      .where('community_id', '=', tenant.communityId)
      .where('achievement_id', '=', achievementId)
      .execute();
    await this.db
      .deleteFrom('user_day_totals')
      .where('community_id', '=', tenant.communityId)
      .where('series_id', '=', achievementId)
      .execute();
  }

  /** Grants one tier (or the single step) to every user whose measure meets the condition. */
  async grantByMeasure(tenant: Tenant, target: GrantTarget, condition: MeasureCondition): Promise<void> {
    const { from, where } = this.measureFrom(tenant, condition);
    const measure = sql.ref(`m.${condition.measure}`);
    const compare = condition.comparison === '=' ? sql`${measure} = ${condition.threshold}` : sql`${measure} >= ${condition.threshold}`;
    await this.insertAwards(tenant, target, sql`select m.user_id from ${from} where ${where} and ${compare}`);
  }

  /** Grants every completion of a repeatable achievement a user's measure already covers. */
  async grantRepeats(tenant: Tenant, target: GrantTarget, condition: MeasureCondition, maxRepeats: number): Promise<void> {
    const { from, where } = this.measureFrom(tenant, condition);
    const measure = sql.ref(`m.${condition.measure}`);
    const maxK = await sql<{ k: number | null }>`
      select max(${measure}) as k from ${from} where ${where}`.execute(this.db);
    const highest = Math.min(maxRepeats, Math.floor((Number(maxK.rows[0]?.k ?? 0) + 1e-9) / condition.threshold));
    if (highest < 1) return;
    await sql`
      with recursive n(k) as (select 1 union all select k + 1 from n where k < ${highest})
      insert into awards (${AWARD_COLUMNS})
      select ${this.orderedId(target.idPrefix)}, ${tenant.orgId}, ${tenant.communityId}, m.user_id, ${target.achievementId}, ${target.tierKey},
             ${this.asText(sql.ref('n.k'))}, ${this.millis(target.now)}, null, 'backfill', 1, ${target.rewardsJson}, ${target.runId}
      from ${from} join n on n.k * ${condition.threshold} <= ${measure} + 0.000000001
      where ${where}
      on conflict (${AWARD_KEY}) do nothing`.execute(this.db);
  }

  /** Grants a composite to every user holding at least `min` of its requirements. */
  async grantComposite(
    tenant: Tenant,
    target: GrantTarget,
    requiredIds: readonly string[],
    min: number,
    userFilter: Record<string, string> | null,
  ): Promise<void> {
    await this.insertAwards(
      tenant,
      target,
      this.withUserFilter(
        tenant,
        sql`select user_id from awards
            where community_id = ${tenant.communityId} and achievement_id in (${sql.join(requiredIds)})
            group by user_id having count(distinct achievement_id) >= ${min}`,
        userFilter,
      ),
    );
  }

  /** Rebuilds an achievement's own day totals from the stored events (their local days). */
  async rebuildDaySeries(
    tenant: Tenant,
    achievementId: string,
    metricId: string,
    eventFilter: Record<string, string> | null,
    countsFrom: number | null,
  ): Promise<void> {
    await this.db
      .deleteFrom('user_day_totals')
      .where('community_id', '=', tenant.communityId)
      .where('series_id', '=', achievementId)
      .execute();
    const filters = [
      sql`e.community_id = ${tenant.communityId}`,
      sql`e.metric_id = ${metricId}`,
      sql`e.local_day is not null`,
      ...(countsFrom === null ? [] : [sql`e.occurred_at >= ${countsFrom}`]),
      ...Object.entries(eventFilter ?? {}).map(([k, v]) => sql`${this.jsonField(sql.ref('e.attributes'), k)} = ${v}`),
    ];
    await sql`
      insert into user_day_totals (org_id, community_id, user_id, series_id, day, total, count, first_at)
      select ${tenant.orgId}, ${tenant.communityId}, e.user_id, ${achievementId}, e.local_day, ${this.roundedSum(sql`e.value`)}, count(*), min(e.occurred_at)
      from events e
      where ${sql.join(filters, sql` and `)}
      group by e.user_id, e.local_day`.execute(this.db);
  }

  /** Grants to every user whose total over some run of `days` consecutive days reached the threshold. */
  async grantRolling(
    tenant: Tenant,
    target: GrantTarget,
    condition: { seriesId: string; measure: 'total' | 'count'; days: number; threshold: number; userFilter: Record<string, string> | null },
  ): Promise<void> {
    const preceding = sql.raw(String(Math.max(0, Math.trunc(condition.days) - 1)));
    const windows = sql`
      select user_id, sum(${sql.ref(condition.measure)}) over (partition by user_id order by day range between ${preceding} preceding and current row) as w
      from user_day_totals where community_id = ${tenant.communityId} and series_id = ${condition.seriesId}`;
    await this.insertAwards(
      tenant,
      target,
      this.withUserFilter(
        tenant,
        sql`select distinct x.user_id from (${windows}) x where x.w >= ${condition.threshold}`,
        condition.userFilter,
      ),
    );
  }

  /** Grants a period goal to every user who meets it in the period from `start` to `end` (days). */
  async grantPeriod(
    tenant: Tenant,
    target: GrantTarget,
    condition: {
      seriesId: string;
      measure: 'total' | 'count';
      start: number;
      end: number;
      goal: { kind: 'threshold'; value: number } | { kind: 'beat'; start: number; end: number };
      userFilter: Record<string, string> | null;
    },
  ): Promise<void> {
    const sumOver = (start: number, end: number) => sql`
      select user_id, sum(${sql.ref(condition.measure)}) as v from user_day_totals
      where community_id = ${tenant.communityId} and series_id = ${condition.seriesId} and day >= ${start} and day <= ${end}
      group by user_id`;
    const g = condition.goal;
    const qualifying =
      g.kind === 'threshold'
        ? sql`select c.user_id from (${sumOver(condition.start, condition.end)}) c where c.v >= ${g.value}`
        : sql`select c.user_id from (${sumOver(condition.start, condition.end)}) c
              left join (${sumOver(g.start, g.end)}) p on p.user_id = c.user_id
              where c.v > 0 and c.v > coalesce(p.v, 0)`;
    await this.insertAwards(tenant, target, this.withUserFilter(tenant, qualifying, condition.userFilter));
  }

  /** Grants a streak length to users whose streak ever reached it (reach), or stands at it now (exact). */
  async grantStreak(
    tenant: Tenant,
    target: GrantTarget,
    condition: { streakId: string; length: number; exact: boolean; userFilter: Record<string, string> | null },
  ): Promise<void> {
    const qualifying = condition.exact
      ? sql`select p.user_id from user_streak_points p
            join (select user_id, max(period) as period from user_streak_points
                  where community_id = ${tenant.communityId} and streak_id = ${condition.streakId} group by user_id) last
              on last.user_id = p.user_id and last.period = p.period
            where p.community_id = ${tenant.communityId} and p.streak_id = ${condition.streakId} and p.length = ${condition.length}`
      : sql`select user_id from user_streak_points
            where community_id = ${tenant.communityId} and streak_id = ${condition.streakId}
            group by user_id having max(length) >= ${condition.length}`;
    await this.insertAwards(tenant, target, this.withUserFilter(tenant, qualifying, condition.userFilter));
  }

  /** Grants an anniversary to every user who joined at or before `joinedBy`. */
  async grantAnniversary(tenant: Tenant, target: GrantTarget, joinedBy: number, userFilter: Record<string, string> | null): Promise<void> {
    await this.insertAwards(
      tenant,
      target,
      this.withUserFilter(
        tenant,
        sql`select id as user_id from users where community_id = ${tenant.communityId} and created_at <= ${joinedBy}`,
        userFilter,
      ),
    );
  }

  /** One INSERT … SELECT of awards for the users a query returns (`user_id`), skipping awards that exist. */
  private async insertAwards(tenant: Tenant, target: GrantTarget, users: RawBuilder<unknown>): Promise<void> {
    const source = target.source ?? 'backfill';
    await sql`
      insert into awards (${AWARD_COLUMNS})
      select ${this.orderedId(target.idPrefix)}, ${tenant.orgId}, ${tenant.communityId}, q.user_id, ${target.achievementId}, ${target.tierKey},
             ${target.periodKey ?? ''}, ${this.millis(target.now)}, null, ${sql.lit(source)}, ${sql.lit(source === 'backfill' ? 1 : 0)}, ${target.rewardsJson}, ${target.runId}
      from (${users}) q
      where 1 = 1
      on conflict (${AWARD_KEY}) do nothing`.execute(this.db);
  }

  /** Keeps the users of a query (`user_id`) whose attributes match the filter. */
  private withUserFilter(tenant: Tenant, users: RawBuilder<unknown>, userFilter: Record<string, string> | null): RawBuilder<unknown> {
    const filter = this.userFilterSql(userFilter);
    if (!filter) return users;
    return sql`select f.user_id from (${users}) f join users u on u.community_id = ${tenant.communityId} and u.id = f.user_id where ${filter}`;
  }

  /**
   * Pays one points reward for every row of one tier that one run wrote. A user given several
   * repeats in the run gets them in order, each award recording the total after it.
   */
  async payPoints(
    tenant: Tenant,
    runId: string,
    tierKey: string,
    system: { id: string; maxPoints: number | null },
    amount: number,
    now: number,
    idPrefix: string,
  ): Promise<void> {
    const position = sql`row_number() over (partition by a.user_id order by ${this.asInteger(sql.ref('a.period_key'))})`;
    const before = sql`coalesce(p.total, 0) + ${amount} * (${position} - 1)`;
    const after = sql`coalesce(p.total, 0) + ${amount} * ${position}`;
    const cap = (v: RawBuilder<unknown>) => (system.maxPoints === null ? v : this.least(v, sql`${system.maxPoints}`));
    await sql`
      insert into points_awards (id, org_id, community_id, user_id, system_id, amount, total_after, trigger_type, trigger_id, award_id, event_id, created_at)
      select ${this.orderedId(idPrefix)}, org_id, community_id, user_id, ${system.id}, total_after - total_before, total_after,
             'reward', achievement_id, award_id, null, ${this.millis(now)}
      from (
        select a.org_id, a.community_id, a.user_id, a.achievement_id, a.id as award_id,
               ${this.greatest(cap(before), sql`coalesce(p.total, 0)`)} as total_before,
               ${this.greatest(cap(after), sql`coalesce(p.total, 0)`)} as total_after
        from awards a
        left join user_points p on p.community_id = a.community_id and p.user_id = a.user_id and p.system_id = ${system.id}
        where a.backfill_run = ${runId} and a.tier_key = ${tierKey}
      ) paid
      where total_after > total_before`.execute(this.db);
    await sql`
      insert into user_points (org_id, community_id, user_id, system_id, total)
      select pa.org_id, pa.community_id, pa.user_id, pa.system_id, sum(pa.amount)
      from points_awards pa join awards a on a.id = pa.award_id
      where a.backfill_run = ${runId} and a.tier_key = ${tierKey} and pa.system_id = ${system.id} and pa.created_at = ${now}
        and a.community_id = ${tenant.communityId}
      group by pa.org_id, pa.community_id, pa.user_id, pa.system_id
      on conflict (community_id, user_id, system_id) do update set total = ${this.roundedPair('user_points.total', 'excluded.total')}`.execute(
      this.db,
    );
  }

  /**
   * Adds one to a metric's total for every row of one tier that one run wrote, and with `events`
   * records each as an event (value 1, the given attributes, at the award's time): the unlocks a
   * grant made count on `achievement_unlocked` as live unlocks do.
   */
  async recordUnlocksOfRun(
    tenant: Tenant,
    runId: string,
    tierKey: string,
    metricId: string,
    attributesJson: string,
    now: number,
    idPrefix: string,
    events: boolean,
  ): Promise<void> {
    if (events)
      await sql`
      insert into events (id, org_id, community_id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day)
      select ${this.orderedId(idPrefix)}, a.org_id, a.community_id, a.user_id, ${metricId}, 1, ${attributesJson}, a.achieved_at, ${this.millis(now)}, null
      from awards a
      where a.backfill_run = ${runId} and a.tier_key = ${tierKey}`.execute(this.db);
    await sql`
      insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at)
      select a.org_id, a.community_id, a.user_id, ${metricId}, count(*), count(*), min(a.achieved_at), max(a.achieved_at)
      from awards a
      where a.backfill_run = ${runId} and a.tier_key = ${tierKey} and a.community_id = ${tenant.communityId}
      group by a.org_id, a.community_id, a.user_id
      on conflict (community_id, user_id, metric_id) do update set
        total = ${this.roundedPair('user_metrics.total', 'excluded.total')},
        count = user_metrics.count + excluded.count,
        first_at = ${this.least(sql.ref('user_metrics.first_at'), sql.ref('excluded.first_at'))},
        last_at = ${this.greatest(sql.ref('user_metrics.last_at'), sql.ref('excluded.last_at'))}`.execute(this.db);
  }

  async countRun(runId: string): Promise<number> {
    const row = await this.db
      .selectFrom('awards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('backfill_run', '=', runId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Recounts an achievement's completions after a set-based change. */
  async refreshStats(achievementId: string): Promise<void> {
    await sql`
      update achievement_stats
      set completions = (select count(distinct user_id) from awards where achievement_id = ${achievementId}),
          unlocks = (select count(*) from awards where achievement_id = ${achievementId})
      where achievement_id = ${achievementId}`.execute(this.db);
  }

  private measureFrom(tenant: Tenant, condition: MeasureCondition) {
    const filter = this.userFilterSql(condition.userFilter);
    const userJoin = filter ? sql`join users u on u.community_id = m.community_id and u.id = m.user_id` : sql``;
    const from = condition.source.kind === 'total' ? sql`user_metrics m ${userJoin}` : sql`achievement_counters m ${userJoin}`;
    const own =
      condition.source.kind === 'total'
        ? sql`m.community_id = ${tenant.communityId} and m.metric_id = ${condition.source.metricId}`
        : sql`m.community_id = ${tenant.communityId} and m.achievement_id = ${condition.source.achievementId}`;
    return { from, where: filter ? sql`${own} and ${filter}` : own };
  }

  private userFilterSql(filter: Record<string, string> | null): RawBuilder<unknown> | null {
    return userAttributesMatch(this.dialect, filter);
  }

  private jsonField(column: RawBuilder<unknown> | ReturnType<typeof sql.ref>, key: string) {
    return jsonField(this.dialect, column, key);
  }

  /** `prefix` followed by the row's number in the statement, as 8 hex digits. */
  private orderedId(prefix: string) {
    return this.dialect === 'postgres'
      ? sql`${prefix} || lpad(to_hex(row_number() over ()), 8, '0')`
      : sql`${prefix} || printf('%08x', row_number() over ())`;
  }

  /** A sum rounded the way running totals are (see write-rules.ts). */
  private roundedSum(value: RawBuilder<unknown>) {
    const decimals = sql.lit(VALUE_DECIMALS);
    return this.dialect === 'postgres'
      ? sql`round(sum(${value})::numeric, ${decimals})::double precision`
      : sql`round(sum(${value}), ${decimals})`;
  }

  /** A stored total and an added amount, merged by ingest's rule for running totals. */
  private roundedPair(stored: string, added: string) {
    return this.dialect === 'postgres'
      ? postgresMerged('roundedSum', sql.ref(stored), sql.ref(added))
      : sql.raw(sqliteMerged('roundedSum', stored, added));
  }

  /** Parameters in a SELECT list have no type for PostgreSQL to infer; times are bigint. */
  private millis(value: number) {
    return sql`cast(${value} as bigint)`;
  }

  private asText(value: ReturnType<typeof sql.ref>) {
    return sql`cast(${value} as text)`;
  }

  private asInteger(value: ReturnType<typeof sql.ref>) {
    return this.dialect === 'postgres' ? sql`cast(nullif(${value}, '') as integer)` : sql`cast(${value} as integer)`;
  }

  private least(a: RawBuilder<unknown>, b: RawBuilder<unknown>) {
    return this.dialect === 'postgres' ? sql`least(${a}, ${b})` : sql`min(${a}, ${b})`;
  }

  private greatest(a: RawBuilder<unknown>, b: RawBuilder<unknown>) {
    return this.dialect === 'postgres' ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`;
  }
}

/** The award columns, in the order the grants' SELECT lists give their values. */
const AWARD_COLUMNS = sql.raw(
  'id, org_id, community_id, user_id, achievement_id, tier_key, period_key, achieved_at, event_id, source, backfilled, rewards, backfill_run',
);

/** An award exists once per user, achievement, tier and period: a grant skips those already there. */
const AWARD_KEY = sql.raw((AWARDS.unique ?? []).join(', '));

/**
 * The ingest reads and writes for SQLite, through prepared statements one row at a time (see
 * SqliteStatements for why). Used only inside a transaction, which holds the one connection.
 */
import type { Kysely } from 'kysely';
import type { DayTally, Tally } from '../../domain/evaluate.js';
import type { Target } from '../../domain/goals.js';
import type { StreakPoint } from '../../domain/streaks.js';
import { toStreakPoint } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';
import { AwardRaceError, type HeldAwardRow, type IngestChanges, IngestRepository, type StoredIdempotency } from './ingest.js';
import type { SqliteStatements } from './sqlite-statements.js';

export class SqliteIngestRepository extends IngestRepository {
  constructor(
    db: Kysely<DB>,
    private readonly statements: SqliteStatements,
  ) {
    super(db, 'sqlite');
  }

  private all<T>(text: string, params: unknown[]): T[] {
    return this.statements.all<T>(text, params);
  }

  private run(text: string, params: unknown[]): number {
    return this.statements.run(text, params);
  }

  override async lockUsers(): Promise<void> {
    // One writer at a time already.
  }

  override async findIdempotent(
    tenant: Tenant,
    keys: readonly { userId: string; metricId: string; key: string }[],
  ): Promise<Map<string, StoredIdempotency>> {
    const found = new Map<string, StoredIdempotency>();
    for (const k of keys) {
      const [row] = this.all<StoredIdempotency>(
        'select response, fingerprint from idempotency_keys where community_id = ? and user_id = ? and metric_id = ? and key = ?',
        [tenant.communityId, k.userId, k.metricId, k.key],
      );
      if (row) found.set(IngestRepository.idempotencyKey(k.userId, k.metricId, k.key), row);
    }
    return found;
  }

  override async loadTotals(tenant: Tenant, userIds: readonly string[], metricIds: readonly string[]) {
    const wanted = new Set(metricIds);
    const out = new Map<string, Map<string, Tally>>();
    if (wanted.size === 0) return out;
    for (const userId of userIds) {
      const rows = this.all<{ metric_id: string; total: number; count: number }>(
        'select metric_id, total, count from user_metrics where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) if (wanted.has(r.metric_id)) inner(out, userId).set(r.metric_id, { total: r.total, count: r.count });
    }
    return out;
  }

  override async loadCounters(tenant: Tenant, userIds: readonly string[], achievementIds: readonly string[]) {
    const wanted = new Set(achievementIds);
    const out = new Map<string, Map<string, Tally>>();
    if (wanted.size === 0) return out;
    for (const userId of userIds) {
      const rows = this.all<{ achievement_id: string; total: number; count: number }>(
        'select achievement_id, total, count from achievement_counters where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) if (wanted.has(r.achievement_id)) inner(out, userId).set(r.achievement_id, { total: r.total, count: r.count });
    }
    return out;
  }

  override async loadHeld(tenant: Tenant, userIds: readonly string[], achievementIds: readonly string[]): Promise<HeldAwardRow[]> {
    const wanted = new Set(achievementIds);
    const out: HeldAwardRow[] = [];
    if (wanted.size === 0) return out;
    for (const userId of userIds) {
      const rows = this.all<HeldAwardRow>(
        'select user_id, achievement_id, tier_key, period_key from awards where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) if (wanted.has(r.achievement_id)) out.push(r);
    }
    return out;
  }

  override async loadDays(tenant: Tenant, wanted: ReadonlyMap<string, readonly string[]>, fromDay: number) {
    const out = new Map<string, Map<string, Map<number, DayTally>>>();
    for (const [userId, seriesIds] of wanted) {
      for (const seriesId of seriesIds) {
        const rows = this.all<{ day: number; total: number; count: number; first_at: number }>(
          'select day, total, count, first_at from user_day_totals where community_id = ? and user_id = ? and series_id = ? and day >= ?',
          [tenant.communityId, userId, seriesId, fromDay],
        );
        if (rows.length === 0) continue;
        const series = new Map<number, DayTally>();
        for (const r of rows) series.set(r.day, { total: r.total, count: r.count, firstAt: r.first_at });
        inner(out, userId).set(seriesId, series);
      }
    }
    return out;
  }

  override async loadStreakPoints(tenant: Tenant, wanted: ReadonlyMap<string, readonly string[]>, fromPeriod: number) {
    const out = new Map<string, Map<string, StreakPoint[]>>();
    const columns = 'period, length, started, freezes, earn_anchor, extended_at';
    for (const [userId, streakIds] of wanted) {
      for (const streakId of streakIds) {
        const params = [tenant.communityId, userId, streakId, fromPeriod];
        const rows = [
          ...this.all<Parameters<typeof toStreakPoint>[0]>(
            `select ${columns} from user_streak_points where community_id = ? and user_id = ? and streak_id = ? and period < ? order by period desc limit 1`,
            params,
          ),
          ...this.all<Parameters<typeof toStreakPoint>[0]>(
            `select ${columns} from user_streak_points where community_id = ? and user_id = ? and streak_id = ? and period >= ? order by period`,
            params,
          ),
        ];
        if (rows.length > 0) inner(out, userId).set(streakId, rows.map(toStreakPoint));
      }
    }
    return out;
  }

  override async loadTargets(tenant: Tenant, userIds: readonly string[]) {
    const out = new Map<string, Map<string, Target>>();
    for (const userId of userIds) {
      const rows = this.all<{ metric_id: string; value: number; per: Target['per'] }>(
        'select metric_id, value, per from user_targets where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) inner(out, userId).set(r.metric_id, { value: r.value, per: r.per });
    }
    return out;
  }

  override async loadPoints(tenant: Tenant, userIds: readonly string[]) {
    const out = new Map<string, Map<string, number>>();
    for (const userId of userIds) {
      const rows = this.all<{ system_id: string; total: number }>(
        'select system_id, total from user_points where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) inner(out, userId).set(r.system_id, r.total);
    }
    return out;
  }

  override async write(tenant: Tenant, changes: IngestChanges): Promise<void> {
    const org = tenant.orgId;
    const community = tenant.communityId;
    for (const a of changes.awards) {
      const inserted = this.run(
        `insert into awards (id, org_id, community_id, user_id, achievement_id, tier_key, period_key, achieved_at, event_id, source, backfilled, rewards)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (community_id, user_id, achievement_id, tier_key, period_key) do nothing`,
        [
          a.id,
          org,
          community,
          a.user_id,
          a.achievement_id,
          a.tier_key,
          a.period_key,
          a.achieved_at,
          a.event_id ?? null,
          a.source,
          a.backfilled ?? 0,
          a.rewards ?? '[]',
        ],
      );
      if (inserted !== 1) throw new AwardRaceError();
    }
    for (const e of changes.events) {
      this.run(
        'insert into events (id, org_id, community_id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [e.id, org, community, e.user_id, e.metric_id, e.value, e.attributes ?? null, e.occurred_at, e.received_at, e.local_day ?? null],
      );
    }
    for (const t of changes.totals) {
      this.run(
        `insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at) values (?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (community_id, user_id, metric_id) do update set
           total = round(user_metrics.total + excluded.total, 8), count = user_metrics.count + excluded.count,
           first_at = min(user_metrics.first_at, excluded.first_at), last_at = max(user_metrics.last_at, excluded.last_at)`,
        [org, community, t.userId, t.metricId, t.value, t.count, t.firstAt, t.lastAt],
      );
    }
    for (const c of changes.counters) {
      this.run(
        `insert into achievement_counters (org_id, community_id, user_id, achievement_id, total, count) values (?, ?, ?, ?, ?, ?)
         on conflict (community_id, user_id, achievement_id) do update set
           total = round(achievement_counters.total + excluded.total, 8), count = achievement_counters.count + excluded.count`,
        [org, community, c.userId, c.achievementId, c.value, c.count],
      );
    }
    for (const d of changes.days) {
      this.run(
        `insert into user_day_totals (org_id, community_id, user_id, series_id, day, total, count, first_at) values (?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (community_id, user_id, series_id, day) do update set
           total = round(user_day_totals.total + excluded.total, 8), count = user_day_totals.count + excluded.count,
           first_at = min(user_day_totals.first_at, excluded.first_at)`,
        [org, community, d.userId, d.seriesId, d.day, d.value, d.count, d.firstAt],
      );
    }
    for (const rewrite of changes.streaks) {
      this.run('delete from user_streak_points where community_id = ? and user_id = ? and streak_id = ? and period >= ?', [
        community,
        rewrite.userId,
        rewrite.streakId,
        rewrite.from,
      ]);
      for (const p of rewrite.points) {
        this.run(
          `insert into user_streak_points (org_id, community_id, user_id, streak_id, period, length, started, freezes, earn_anchor, extended_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [org, community, rewrite.userId, rewrite.streakId, p.period, p.length, p.started, p.freezes, p.earnAnchor, p.extendedAt],
        );
      }
    }
    for (const s of changes.stats) {
      this.run('update achievement_stats set completions = completions + ?, unlocks = unlocks + ? where achievement_id = ?', [
        s.completions,
        s.unlocks,
        s.achievementId,
      ]);
    }
    for (const p of changes.points) {
      this.run(
        `insert into user_points (org_id, community_id, user_id, system_id, total) values (?, ?, ?, ?, ?)
         on conflict (community_id, user_id, system_id) do update set total = round(user_points.total + excluded.total, 8)`,
        [org, community, p.userId, p.systemId, p.amount],
      );
    }
    for (const p of changes.pointsAwards) {
      this.run(
        `insert into points_awards (id, org_id, community_id, user_id, system_id, amount, total_after, trigger_type, trigger_id, award_id, event_id, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          p.id,
          org,
          community,
          p.user_id,
          p.system_id,
          p.amount,
          p.total_after,
          p.trigger_type,
          p.trigger_id ?? null,
          p.award_id ?? null,
          p.event_id ?? null,
          p.created_at,
        ],
      );
    }
    for (const r of changes.idempotency) {
      this.run(
        'insert into idempotency_keys (org_id, community_id, user_id, metric_id, key, event_id, response, created_at, fingerprint) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [org, community, r.userId, r.metricId, r.key, r.eventId, r.response, r.createdAt, r.fingerprint],
      );
    }
  }
}

function inner<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key);
  if (!m) map.set(key, (m = new Map()));
  return m;
}

/**
 * The ingest store on SQLite: prepared statements on the raw connection, one row at a time.
 * SQLite runs in-process, so a statement costs microseconds and there are no round trips to save;
 * a handful of prepared one-row statements beats building multi-row SQL for every batch. SQLite has
 * one writer at a time, so locking users is not needed.
 */
import type { DayTally, Tally } from '../../domain/evaluate.js';
import type { Target } from '../../domain/goals.js';
import type { StreakPoint } from '../../domain/streaks.js';
import type { User } from '../../domain/user.js';
import { toStreakPoint, toUser, userColumns } from '../mappers.js';
import type { UserRow } from '../schema.js';
import type { SqliteStatements } from '../sqlite-statements.js';
import type { Tenant } from '../tenant.js';
import {
  AwardRaceError,
  type HeldAward,
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

/**
 * `exclusive` runs a read holding the connection: outside a transaction, Kysely may be inside
 * another one on the same connection between two of its awaits, and a read must not see its
 * uncommitted rows. Inside a transaction it runs the read directly.
 */
export type Exclusive = <T>(read: () => T) => Promise<T>;

const TOTALS_OF_USER = 'select metric_id as id, total, count from user_metrics where community_id = ? and user_id = ?';
const COUNTERS_OF_USER = 'select achievement_id as id, total, count from achievement_counters where community_id = ? and user_id = ?';

export class SqliteIngestStore implements IngestStore {
  constructor(
    private readonly statements: SqliteStatements,
    private readonly exclusive: Exclusive,
  ) {}

  async lockUsers(): Promise<void> {
    // One writer at a time already.
  }

  findUsers(tenant: Tenant, ids: readonly string[]): Promise<Map<string, User>> {
    return this.exclusive(() => this.findUsersNow(tenant, ids));
  }

  private findUsersNow(tenant: Tenant, ids: readonly string[]): Map<string, User> {
    const out = new Map<string, User>();
    for (const id of ids) {
      const row = this.statements.get<UserRow>('select * from users where community_id = ? and id = ?', [tenant.communityId, id]);
      if (row) out.set(id, toUser(row));
    }
    return out;
  }

  findIdempotent(tenant: Tenant, keys: readonly IdempotencyLookup[]): Promise<Map<string, StoredAnswer>> {
    return this.exclusive(() => {
      const found = new Map<string, StoredAnswer>();
      for (const k of keys) {
        const row = this.statements.get<{ response: string; fingerprint: string | null }>(
          'select response, fingerprint from idempotency_keys where community_id = ? and user_id = ? and metric_id = ? and key = ?',
          [tenant.communityId, k.userId, k.metricId, k.key],
        );
        if (row)
          found.set(idempotencyKeyOf(k.userId, k.metricId, k.key), { response: JSON.parse(row.response), fingerprint: row.fingerprint });
      }
      return found;
    });
  }

  loadTotals(tenant: Tenant, userIds: readonly string[], metricIds: readonly string[]) {
    return this.exclusive(() => this.perUser(tenant, userIds, metricIds, TOTALS_OF_USER));
  }

  loadState(tenant: Tenant, q: StateQuery): Promise<LoadedState> {
    return this.exclusive(() => ({
      users: q.users ? this.findUsersNow(tenant, q.userIds) : new Map(),
      totals: this.perUser(tenant, q.userIds, q.metricIds, TOTALS_OF_USER),
      counters: this.perUser(tenant, q.userIds, q.counterIds, COUNTERS_OF_USER),
      held: this.loadHeldNow(tenant, q.userIds, q.heldIds),
      days: this.loadDaysNow(tenant, q.series, q.fromDay),
      streaks: this.loadStreakPointsNow(tenant, q.streaks, q.fromPeriod),
      targets: q.targets ? this.loadTargetsNow(tenant, q.userIds) : new Map(),
      points: q.points ? this.loadPointsNow(tenant, q.userIds) : new Map(),
    }));
  }

  /** A user's rows are few and share the key's prefix: one lookup a user, filtered here. */
  private perUser(tenant: Tenant, userIds: readonly string[], ids: readonly string[], text: string) {
    const wanted = new Set(ids);
    const out = new Map<string, Map<string, Tally>>();
    if (wanted.size === 0) return out;
    for (const userId of userIds) {
      for (const r of this.statements.all<{ id: string; total: number; count: number }>(text, [tenant.communityId, userId])) {
        if (wanted.has(r.id)) inner(out, userId).set(r.id, { total: r.total, count: r.count });
      }
    }
    return out;
  }

  private loadHeldNow(tenant: Tenant, userIds: readonly string[], achievementIds: readonly string[]): HeldAward[] {
    const wanted = new Set(achievementIds);
    const out: HeldAward[] = [];
    if (wanted.size === 0) return out;
    for (const userId of userIds) {
      const rows = this.statements.all<HeldAward>(
        `select user_id as userId, achievement_id as achievementId, tier_key as tierKey, period_key as periodKey
         from awards where community_id = ? and user_id = ?`,
        [tenant.communityId, userId],
      );
      for (const r of rows) if (wanted.has(r.achievementId)) out.push(r);
    }
    return out;
  }

  loadDays(tenant: Tenant, wanted: Wanted, fromDay: number): Promise<Map<string, Map<string, Map<number, DayTally>>>> {
    return this.exclusive(() => this.loadDaysNow(tenant, wanted, fromDay));
  }

  private loadDaysNow(tenant: Tenant, wanted: Wanted, fromDay: number): Map<string, Map<string, Map<number, DayTally>>> {
    const out = new Map<string, Map<string, Map<number, DayTally>>>();
    for (const [userId, seriesIds] of wanted) {
      for (const seriesId of seriesIds) {
        const rows = this.statements.all<{ day: number; total: number; count: number; first_at: number }>(
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

  loadStreakPoints(tenant: Tenant, wanted: Wanted, fromPeriod: number): Promise<Map<string, Map<string, StreakPoint[]>>> {
    return this.exclusive(() => this.loadStreakPointsNow(tenant, wanted, fromPeriod));
  }

  private loadStreakPointsNow(tenant: Tenant, wanted: Wanted, fromPeriod: number): Map<string, Map<string, StreakPoint[]>> {
    const out = new Map<string, Map<string, StreakPoint[]>>();
    const columns = 'period, length, started, freezes, earn_anchor, extended_at';
    const where = 'community_id = ? and user_id = ? and streak_id = ?';
    for (const [userId, streakIds] of wanted) {
      for (const streakId of streakIds) {
        const params = [tenant.communityId, userId, streakId, fromPeriod];
        type Row = Parameters<typeof toStreakPoint>[0];
        const rows = [
          ...this.statements.all<Row>(
            `select ${columns} from user_streak_points where ${where} and period < ? order by period desc limit 1`,
            params,
          ),
          ...this.statements.all<Row>(`select ${columns} from user_streak_points where ${where} and period >= ? order by period`, params),
        ];
        if (rows.length > 0) inner(out, userId).set(streakId, rows.map(toStreakPoint));
      }
    }
    return out;
  }

  private loadTargetsNow(tenant: Tenant, userIds: readonly string[]): Map<string, Map<string, Target>> {
    const out = new Map<string, Map<string, Target>>();
    for (const userId of userIds) {
      const rows = this.statements.all<{ metric_id: string; value: number; per: Target['per'] }>(
        'select metric_id, value, per from user_targets where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) inner(out, userId).set(r.metric_id, { value: r.value, per: r.per });
    }
    return out;
  }

  loadPoints(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
    return this.exclusive(() => this.loadPointsNow(tenant, userIds));
  }

  private loadPointsNow(tenant: Tenant, userIds: readonly string[]): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const userId of userIds) {
      const rows = this.statements.all<{ system_id: string; total: number }>(
        'select system_id, total from user_points where community_id = ? and user_id = ?',
        [tenant.communityId, userId],
      );
      for (const r of rows) inner(out, userId).set(r.system_id, r.total);
    }
    return out;
  }

  async write(tenant: Tenant, changes: IngestChanges): Promise<void> {
    const scope = [tenant.orgId, tenant.communityId];
    for (const a of changes.awards ?? []) {
      if (this.statements.run(insertSql(AWARDS), [...scope, ...AWARDS.values(a)]) !== 1) throw new AwardRaceError();
    }
    const created = changes.createdUsers ?? [];
    for (const u of created) this.statements.run(insertSql(USERS), [...scope, ...USERS.values(u)]);
    if (created.length > 0) {
      this.statements.run(
        `insert into community_user_counts (community_id, shard, users) values (?, ?, ?)
         on conflict (community_id, shard) do update set users = community_user_counts.users + excluded.users`,
        [tenant.communityId, countShard(created), created.length],
      );
    }
    for (const u of changes.updatedUsers ?? []) {
      const row = userColumns(u);
      this.statements.run(`update users set ${USER_PROFILE_COLUMNS.map((c) => `${c} = ?`).join(', ')} where community_id = ? and id = ?`, [
        ...USER_PROFILE_COLUMNS.map((c) => row[c]),
        tenant.communityId,
        u.id,
      ]);
    }
    this.insertAll(EVENTS, changes.events, scope);
    this.insertAll(TOTALS, changes.totals, scope);
    this.insertAll(COUNTERS, changes.counters, scope);
    this.insertAll(DAYS, changes.days, scope);
    for (const rewrite of changes.streaks ?? []) {
      this.statements.run('delete from user_streak_points where community_id = ? and user_id = ? and streak_id = ? and period >= ?', [
        tenant.communityId,
        rewrite.userId,
        rewrite.streakId,
        rewrite.from,
      ]);
    }
    this.insertAll(STREAK_POINTS, streakPointRows(changes.streaks ?? []), scope);
    for (const w of continuedStreaks(changes.streaks ?? [])) {
      this.statements.run(
        `update user_streak_points set lost_at = null
         where community_id = ? and user_id = ? and streak_id = ? and period >= ? and lost_at is not null
           and period = (select max(period) from user_streak_points
                         where community_id = ? and user_id = ? and streak_id = ? and period < ?)`,
        [tenant.communityId, w.userId, w.streakId, w.started, tenant.communityId, w.userId, w.streakId, w.from],
      );
    }
    this.insertAll(STATS, changes.stats, scope);
    this.insertAll(POINTS, changes.points, scope);
    this.insertAll(POINTS_AWARDS, changes.pointsAwards, scope);
    this.insertAll(IDEMPOTENCY, changes.idempotency, scope);
    this.insertAll(OUTBOX, changes.outbox, scope);
  }

  private insertAll<R>(table: TableWrite<R>, records: readonly R[] | undefined, scope: unknown[]): void {
    if (!records || records.length === 0) return;
    const text = insertSql(table);
    for (const r of records) this.statements.run(text, [...scope, ...table.values(r)]);
  }
}

const texts = new WeakMap<TableWrite<never>, string>();

/** The one-row insert of a table, merging into an existing row where the table says how. */
function insertSql<R>(table: TableWrite<R>): string {
  let text = texts.get(table as TableWrite<never>);
  if (text) return text;
  const names = table.columns.map(([name]) => name);
  text = `insert into ${table.table} (org_id, community_id, ${names.join(', ')}) values (?, ?, ${names.map(() => '?').join(', ')})`;
  if (table.upsert) {
    const sets = Object.entries(table.upsert.merge).map(
      ([column, merge]) => `${column} = ${merged(merge, `${table.table}.${column}`, `excluded.${column}`)}`,
    );
    text += ` on conflict (${table.upsert.key.join(', ')}) do update set ${sets.join(', ')}`;
  } else if (table.unique) {
    text += ` on conflict (${table.unique.join(', ')}) do nothing`;
  }
  texts.set(table as TableWrite<never>, text);
  return text;
}

/** A merge rule in SQLite's SQL. */
export function merged(merge: Merge, stored: string, added: string): string {
  switch (merge) {
    case 'roundedSum':
      return `round(${stored} + ${added}, ${VALUE_DECIMALS})`;
    case 'sum':
      return `${stored} + ${added}`;
    case 'earliest':
      return `min(${stored}, ${added})`;
    case 'latest':
      return `max(${stored}, ${added})`;
    case 'replace':
      return added;
  }
}

function inner<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key);
  if (!m) map.set(key, (m = new Map()));
  return m;
}

/**
 * The driver limit's write: per event, the event row and an upsert of its `user_metrics` total,
 * with the bare driver and no engine, one transaction per call. Scenario 1's limit calls it per
 * batch of 1,000; the two-row route (bench/two-row-server.ts) per group of single events.
 * SQLite: prepared statements, one row each (the fastest way with better-sqlite3). PostgreSQL:
 * one multi-row statement per table from arrays (unnest), totals summed per user and metric first
 * because one INSERT … ON CONFLICT cannot update a row twice.
 */
import pg from 'pg';
import { DEFAULT_TENANT } from '../../src/engine/bootstrap.js';
import { timeOrderedId } from '../../src/engine/ids.js';
import type { Dialect } from '../../src/store/dialect.js';
import type { BenchEvent } from './community.js';
import { openSqlite } from './databases.js';

const DAY = 86_400_000;

export interface TwoRowWriter {
  /** Writes the events' two rows each in one transaction. */
  write(events: readonly BenchEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A writer on the run's database. `connections`: PostgreSQL connections, as many as transactions
 * that may run at once (SQLite has one).
 */
export async function openTwoRowWriter(
  db: { dialect: Dialect; dataDir: string; url: string | undefined },
  connections = 1,
): Promise<TwoRowWriter> {
  const scope = DEFAULT_TENANT;
  if (db.dialect === 'sqlite') {
    const sqlite = openSqlite(db.dataDir);
    const metricIds = new Map(
      (sqlite.prepare('select key, id from metrics where community_id = ?').all(scope.communityId) as { key: string; id: string }[]).map(
        (r) => [r.key, r.id],
      ),
    );
    const insertEvent = sqlite.prepare(
      `insert into events (id, org_id, community_id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day)
       values (?, ?, ?, ?, ?, ?, null, ?, ?, ?)`,
    );
    const upsertTotal = sqlite.prepare(
      `insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at)
       values (?, ?, ?, ?, ?, 1, ?, ?)
       on conflict (community_id, user_id, metric_id) do update set
         total = round(user_metrics.total + excluded.total, 8), count = user_metrics.count + excluded.count,
         first_at = min(user_metrics.first_at, excluded.first_at), last_at = max(user_metrics.last_at, excluded.last_at)`,
    );
    const writeAll = sqlite.transaction((events: readonly BenchEvent[]) => {
      const now = Date.now();
      const day = Math.floor(now / DAY);
      for (const e of events) {
        const metricId = metricIds.get(e.metric) as string;
        insertEvent.run(timeOrderedId(now), scope.orgId, scope.communityId, e.user.id, metricId, e.value, now, now, day);
        upsertTotal.run(scope.orgId, scope.communityId, e.user.id, metricId, e.value, now, now);
      }
    });
    return {
      write: async (events) => {
        writeAll(events);
      },
      close: async () => {
        sqlite.close();
      },
    };
  }

  const pool = new pg.Pool({ connectionString: db.url, max: connections });
  const metricIds = new Map(
    (await pool.query<{ key: string; id: string }>('select key, id from metrics where community_id = $1', [scope.communityId])).rows.map(
      (r) => [r.key, r.id],
    ),
  );
  return {
    write: async (events) => {
      const now = Date.now();
      const day = Math.floor(now / DAY);
      const ids: string[] = [];
      const users: string[] = [];
      const metrics: string[] = [];
      const values: number[] = [];
      const totals = new Map<string, { user: string; metric: string; total: number; count: number }>();
      for (const e of events) {
        const metricId = metricIds.get(e.metric) as string;
        ids.push(timeOrderedId(now));
        users.push(e.user.id);
        metrics.push(metricId);
        values.push(e.value);
        const key = `${e.user.id}\u0000${metricId}`;
        const t = totals.get(key);
        if (t) {
          t.total += e.value;
          t.count += 1;
        } else totals.set(key, { user: e.user.id, metric: metricId, total: e.value, count: 1 });
      }
      // In key order, so that concurrent transactions lock shared totals in the same order (no deadlock).
      const t = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, x]) => x);
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `insert into events (id, org_id, community_id, user_id, metric_id, value, attributes, occurred_at, received_at, local_day)
           select id, $5, $6, user_id, metric_id, value, null, $7, $7, $8
           from unnest($1::text[], $2::text[], $3::text[], $4::float8[]) as x(id, user_id, metric_id, value)`,
          [ids, users, metrics, values, scope.orgId, scope.communityId, now, day],
        );
        await client.query(
          `insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at)
           select $5, $6, user_id, metric_id, total, count, $7, $7
           from unnest($1::text[], $2::text[], $3::float8[], $4::int[]) as x(user_id, metric_id, total, count)
           on conflict (community_id, user_id, metric_id) do update set
             total = round((user_metrics.total + excluded.total)::numeric, 8)::double precision,
             count = user_metrics.count + excluded.count,
             first_at = least(user_metrics.first_at, excluded.first_at), last_at = greatest(user_metrics.last_at, excluded.last_at)`,
          [t.map((x) => x.user), t.map((x) => x.metric), t.map((x) => x.total), t.map((x) => x.count), scope.orgId, scope.communityId, now],
        );
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

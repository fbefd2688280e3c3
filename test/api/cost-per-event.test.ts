import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/**
 * Cost per event must depend only on the achievements the event touches, never on the number of
 * users or the length of history. Timings are noisy, so this proves it structurally: the same
 * statements run for a small and a large community, and none of them scans a table.
 */
/**
 * The job runner and the webhook deliverer poll in the background; those statements (naming their
 * tables) are not the event's.
 */
const BACKGROUND = /\bjobs\b|\bwebhook_deliveries\b|\bdispatched_at\b/;

describe.each(DIALECTS)('cost per event (%s)', (dialect) => {
  async function traceOneEvent(users: number, historyPerUser: number) {
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    let tracing = false;
    const t = await startLaurel({
      dialect,
      onQuery: (text, parameters) => tracing && !BACKGROUND.test(text) && statements.push({ sql: text, parameters }),
    });
    try {
      await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
      for (const [key, threshold] of [
        ['w1', 10],
        ['w2', 1e9],
      ] as const) {
        await t.admin('POST', '/admin/v1/achievements', {
          key,
          name: key,
          criteria: { type: 'metric', metric: 'words', threshold },
          rewards: [{ type: 'points', system: 'xp', amount: 1 }],
          status: 'active',
        });
      }
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'mobile',
        name: 'mobile',
        criteria: { type: 'metric', metric: 'words', threshold: 1e9 },
        filters: { event: { source: 'm' } },
        status: 'active',
      });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'combo',
        name: 'combo',
        criteria: { type: 'composite', requires: ['w1', 'w2'] },
        status: 'active',
      });
      const events = [];
      for (let u = 0; u < users; u++)
        for (let h = 0; h < historyPerUser; h++)
          events.push({ metric: 'words', user: { id: `u${u}` }, value: 1, attributes: { source: 'm' } });
      for (let i = 0; i < events.length; i += 1000) await t.api('POST', '/v1/events', { events: events.slice(i, i + 1000) });
      // The first batch creates the built-in metrics; the next event reloads the rules once, untraced.
      await t.api('POST', '/v1/metrics/words/event', { user: { id: 'warm-up' }, value: 1 });

      tracing = true;
      const reply = await t.api(
        'POST',
        '/v1/metrics/words/event',
        { user: { id: 'u0' }, value: 1, attributes: { source: 'm' } },
        { 'idempotency-key': 'once' },
      );
      tracing = false;
      expect(reply.status).toBe(201);
      return statements.map((s) => s.sql);
    } finally {
      await t.close();
    }
  }

  it('runs the same statements for 10 users with 2 events each as for 1,000 users with 20 events each', async () => {
    const small = await traceOneEvent(10, 2);
    const large = await traceOneEvent(1000, 20);
    expect(large).toEqual(small);
    expect(small.length).toBeLessThan(20);
    // The trace holds the event's own writes (on SQLite they run outside Kysely, as prepared statements).
    expect(small.filter((s) => /insert into "?events"?/i.test(s))).toHaveLength(1);
  });

  it('reads and writes through indexes only: no statement scans a table', async () => {
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    let tracing = false;
    const t = await startLaurel({
      dialect,
      onQuery: (text, parameters) => tracing && !BACKGROUND.test(text) && statements.push({ sql: text, parameters }),
    });
    try {
      // Every kind of rule an event can touch, so every statement it can run is looked at.
      const setup = async (url: string, body: object) => expect((await t.admin('POST', url, body)).status).toBe(201);
      await setup('/admin/v1/points-systems', { key: 'xp', name: 'XP', levels: [{ key: 'l', name: 'L', points: 0 }] });
      await setup('/admin/v1/points-systems/xp/triggers', { type: 'metric', metric: 'words', metricThreshold: 2, points: 1 });
      await setup('/admin/v1/streaks', {
        key: 'daily',
        name: 'Daily',
        frequency: 'daily',
        metrics: [{ metric: 'words' }],
        freezes: { initial: 1, autoEarnEveryDays: 7, max: 2 },
      });
      const achievement = (key: string, criteria: object, extra: object = {}) =>
        setup('/admin/v1/achievements', { key, name: key, status: 'active', criteria, ...extra });
      await achievement('w', { type: 'metric', metric: 'words', threshold: 5 }, { rewards: [{ type: 'points', system: 'xp', amount: 3 }] });
      await achievement('c', { type: 'composite', requires: ['w'] });
      await achievement('window', { type: 'metric', metric: 'words', measure: 'count', threshold: 3, window: { days: 30 } });
      await achievement(
        'week',
        { type: 'metric', metric: 'words', beatPrevious: true, period: { unit: 'week' } },
        { policies: { repeat: 'per_period' } },
      );
      await achievement('mobile', { type: 'metric', metric: 'words', threshold: 50 }, { filters: { event: { source: 'app' } } });
      await achievement('streak', { type: 'streak', length: 2 });
      await achievement('year', { type: 'anniversary', years: 1 });
      await setup('/admin/v1/leaderboards', {
        key: 'lb',
        name: 'LB',
        rankBy: 'metric',
        metric: 'words',
        status: 'active',
        maxParticipants: 10,
      });
      await t.api('POST', '/v1/metrics/words/event', {
        user: { id: 'a' },
        value: 1,
        timestamp: new Date(t.clock.now() - 86_400_000).toISOString(),
      });
      await t.api('POST', '/v1/metrics/words/event', { user: { id: 'b' }, value: 1 });
      tracing = true;
      await t.api(
        'POST',
        '/v1/metrics/words/event',
        { user: { id: 'a' }, value: 9, attributes: { source: 'app' } },
        { 'idempotency-key': 'k' },
      );
      tracing = false;
      const details = await plansOf(t, statements);
      expect(details.length).toBeGreaterThan(0);
      // Only the statements' own VALUES lists and LIMIT-bounded subqueries may be scanned, never a table.
      const tables = await tablesOf(t);
      expect(details.filter((d) => /^SCAN (\w+)/.test(d) && tables.has(/^SCAN (\w+)/.exec(d)![1]!))).toEqual([]);
      expect(details.filter((d) => /Seq Scan/.test(d))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

async function tablesOf(t: TestLaurel): Promise<Set<string>> {
  if (t.schema !== null) return new Set();
  const db = new SQLite(`${t.dataDir}/laurel.db`, { readonly: true });
  try {
    return new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
  } finally {
    db.close();
  }
}

/** Each statement's query plan, line by line. PostgreSQL is told to avoid sequential scans, so one
 * appears only where no index can serve the statement (small tables would otherwise be scanned). */
async function plansOf(t: TestLaurel, statements: { sql: string; parameters: readonly unknown[] }[]): Promise<string[]> {
  const dml = statements.filter((s) => /^\s*(select|insert|update|delete)/i.test(s.sql));
  if (t.schema === null) {
    const db = new SQLite(`${t.dataDir}/laurel.db`, { readonly: true });
    try {
      return dml.flatMap((s) =>
        (db.prepare(`explain query plan ${s.sql}`).all(...(s.parameters as unknown[])) as { detail: string }[]).map((p) => p.detail),
      );
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`set search_path to ${t.schema}`);
    await client.query('set enable_seqscan = off');
    const lines: string[] = [];
    for (const s of dml) {
      const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${s.sql}`, s.parameters as unknown[]);
      lines.push(...plan.rows.map((r) => r['QUERY PLAN']));
    }
    return lines;
  } finally {
    await client.end();
  }
}

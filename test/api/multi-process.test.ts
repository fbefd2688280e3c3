/**
 * Several Laurel processes on one PostgreSQL database: they start together (migrations and first
 * start serialise themselves), then take thousands of concurrent events for a few users, some sent
 * twice with the same idempotency key to different processes. Every total must equal the sum of
 * distinct events, every tier must be awarded exactly once, and no request may fail.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

const KEY = 'multi-process-admin-key';
const PROCESSES = 3;
const EVENTS = 3000;
const USERS = 5;
const TIERS = [10, 50, 100, 500, 1000, 1500];

describe.skipIf(!DIALECTS.includes('postgres'))('several processes on one PostgreSQL database', () => {
  let schema: Awaited<ReturnType<typeof createSchema>>;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    schema = await createSchema();
    const env = {
      DATABASE_URL: POSTGRES_URL,
      LAUREL_DATABASE_SCHEMA: schema.name,
      LAUREL_MASTER_KEY: KEY,
      LAUREL_LOG_LEVEL: 'warn',
      LAUREL_DATABASE_POOL_SIZE: '8',
    };
    servers = await Promise.all(Array.from({ length: PROCESSES }, () => startServerProcess(env)));
  }, 120_000);

  afterAll(async () => {
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual(servers.map(() => 0));
    await schema.drop();
  });

  const call = async (server: ServerProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('counts every distinct event once and awards every tier exactly once', async () => {
    const [first] = servers as [ServerProcess];
    expect((await call(first, 'POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' })).status).toBe(201);
    const created = await call(first, 'POST', '/admin/v1/achievements', {
      key: 'grinder',
      name: 'Grinder',
      status: 'active',
      criteria: { type: 'metric', metric: 'work' },
      tiers: TIERS.map((threshold, i) => ({
        key: `t${i}`,
        name: `Tier ${i}`,
        threshold,
        rewards: [{ type: 'points', system: 'xp', amount: i + 1 }],
      })),
    });
    expect(created.status).toBe(201);

    // Events: values 1..5 for a few users; every fifth event carries a key that is sent three times.
    const sends: { user: string; value: number; key?: string }[] = [];
    const distinct = new Map<string, number>();
    for (let i = 0; i < EVENTS; i++) {
      const user = `u${i % USERS}`;
      const value = 1 + ((i * 7) % 5);
      distinct.set(user, (distinct.get(user) ?? 0) + value);
      if (i % 5 === 0) for (let r = 0; r < 3; r++) sends.push({ user, value, key: `k${i}` });
      else sends.push({ user, value });
    }
    sends.sort(() => Math.random() - 0.5);

    const statuses = new Map<number, number>();
    const started = performance.now();
    let next = 0;
    const worker = async (w: number) => {
      while (next < sends.length) {
        const s = sends[next++] as (typeof sends)[number];
        const server = servers[(next + w) % servers.length] as ServerProcess;
        const reply = await call(
          server,
          'POST',
          '/v1/metrics/work/event',
          { user: { id: s.user }, value: s.value },
          s.key ? { 'idempotency-key': s.key } : {},
        );
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 48 }, (_, w) => worker(w)));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${sends.length} requests (${EVENTS} distinct events, ${USERS} users) over ${PROCESSES} processes in ${seconds.toFixed(1)} s: ${Math.round(sends.length / seconds)} requests/s`,
    );

    const keyed = EVENTS / 5;
    expect(Object.fromEntries(statuses)).toEqual({ 201: EVENTS, 202: keyed * 2 });

    const db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    try {
      await db.query(`set search_path to ${schema.name}`);
      // The events sent, not the built-in ones they raised (member_joined, achievement_unlocked, …).
      const work = "metric_id = (select id from metrics where key = 'work')";
      const totals = await db.query<{ user_id: string; total: number; count: string }>(
        `select user_id, total, count from user_metrics where ${work}`,
      );
      expect(Object.fromEntries(totals.rows.map((r) => [r.user_id, r.total]))).toEqual(Object.fromEntries(distinct));
      const events = await db.query<{ n: string }>(`select count(*) as n from events where ${work}`);
      expect(Number(events.rows[0]?.n)).toBe(EVENTS);
      const awards = await db.query<{ user_id: string; tier_key: string; n: string }>(
        'select user_id, tier_key, count(*) as n from awards group by user_id, tier_key order by user_id, tier_key',
      );
      for (const [user, total] of distinct) {
        const expected = TIERS.flatMap((t, i) => (total >= t ? [`t${i}`] : []));
        const held = awards.rows.filter((r) => r.user_id === user);
        expect(held.map((r) => r.tier_key).sort()).toEqual(expected.sort());
        expect(held.every((r) => Number(r.n) === 1)).toBe(true);
        const points = await db.query<{ total: number }>('select total from user_points where user_id = $1', [user]);
        expect(points.rows[0]?.total).toBe(expected.reduce((sum, key) => sum + Number(key.slice(1)) + 1, 0));
      }
      const stats = await db.query<{ completions: number; unlocks: number }>('select completions, unlocks from achievement_stats');
      expect(stats.rows[0]).toMatchObject({ completions: USERS, unlocks: awards.rows.length });
    } finally {
      await db.end();
    }
  }, 300_000);
});

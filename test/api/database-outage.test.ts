/**
 * PostgreSQL going away under a running server process: its connections killed
 * (pg_terminate_backend, as a restart or failover does), or the database unreachable for a while.
 * The process must live on, answer 503 database_unavailable (never 500) and /readyz 503 while it
 * cannot reach the database, recover by itself, and count every event it acknowledged.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const KEY = 'database-outage-admin-key';

/** The test's metric only: joining also adds to the built-in member_joined. */
const WORK = "join metrics m on m.id = u.metric_id where m.key = 'work'";
describe.skipIf(!DIALECTS.includes('postgres'))('the database goes away (postgres)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  async function start(url: URL): Promise<{ server: ServerProcess; schema: string; appName: string }> {
    const schema = await createSchema();
    cleanup.push(() => schema.drop());
    const appName = `laurel_outage_${randomBytes(4).toString('hex')}`;
    url.searchParams.set('application_name', appName);
    const server = await startServerProcess({
      DATABASE_URL: url.toString(),
      LAUREL_DATABASE_SCHEMA: schema.name,
      LAUREL_MASTER_KEY: KEY,
      LAUREL_DATABASE_POOL_SIZE: '4',
    });
    cleanup.push(() => server.stop());
    return { server, schema: schema.name, appName };
  }

  const call = async (server: ServerProcess, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any, retryAfter: response.headers.get('retry-after') };
  };

  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], schema?: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      if (schema) await client.query(`set search_path to ${schema}`);
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  const terminate = async (appName: string) =>
    (await sql<{ pid: number }>('select pg_terminate_backend(pid) as pid from pg_stat_activity where application_name = $1', [appName]))
      .length;

  it('survives its connections being killed, idle and mid-stream, and loses no acknowledged event', async () => {
    const { server, schema, appName } = await start(new URL(POSTGRES_URL));
    expect((await call(server, 'POST', '/v1/metrics/work/event', { user: { id: 'u0' }, value: 1 })).status).toBe(201);

    // Idle: this alone used to end the process (an 'error' on the pool with nobody listening).
    expect(await terminate(appName)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.child.exitCode).toBeNull();
    let started = performance.now();
    expect((await call(server, 'POST', '/v1/metrics/work/event', { user: { id: 'u0' }, value: 1 })).status).toBe(201);
    const idleRecoveryMs = performance.now() - started;

    // Mid-stream: kill the connections three times while four clients send events.
    const acked = new Map<string, number>([['u0', 2]]);
    const statuses = new Map<string, number>();
    let sent = 2;
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const user = `u${(w + i) % 3}`;
        sent += 1;
        const reply = await call(server, 'POST', '/v1/metrics/work/event', { user: { id: user }, value: 1 });
        const label = `${reply.status}${reply.status >= 300 ? ` ${reply.body.code}` : ''}`;
        statuses.set(label, (statuses.get(label) ?? 0) + 1);
        if (reply.status === 201) acked.set(user, (acked.get(user) ?? 0) + 1);
      }
    };
    const workers = Promise.all([0, 1, 2, 3].map(worker));
    for (let k = 0; k < 3; k++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await terminate(appName);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await workers;
    started = performance.now();
    while ((await call(server, 'GET', '/readyz')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
    const readyAfterMs = performance.now() - started;

    expect(server.child.exitCode).toBeNull();
    // Only successes and 503 database_unavailable: no 500.
    expect([...statuses.keys()].every((s) => s === '201' || s === '503 database_unavailable')).toBe(true);
    const totals = await sql<{ user_id: string; total: number }>(`select u.user_id, u.total from user_metrics u ${WORK}`, [], schema);
    const counted = Object.fromEntries(totals.map((r) => [r.user_id, Number(r.total)]));
    expect(counted).toEqual(Object.fromEntries(acked));
    const ackedCount = [...acked.values()].reduce((a, b) => a + b, 0);
    console.log(
      `connection kill: ${sent} events sent, ${ackedCount} acknowledged, ${ackedCount - Object.values(counted).reduce((a, b) => a + b, 0)} lost; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}; first request after an idle kill took ${idleRecoveryMs.toFixed(0)} ms; ready ${readyAfterMs.toFixed(0)} ms after the stream`,
    );
  }, 60_000);

  it('answers 503 while the database is unreachable and recovers by itself when it is back', async () => {
    const target = new URL(POSTGRES_URL);
    const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.push(() => proxy.close());
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const { server, schema } = await start(viaProxy);
    expect((await call(server, 'POST', '/v1/metrics/work/event', { user: { id: 'u' }, value: 1 })).status).toBe(201);

    await proxy.cut();
    const ready = await call(server, 'GET', '/readyz');
    expect(ready).toMatchObject({ status: 503, body: { code: 'database_unavailable' } });
    const refused = await call(server, 'POST', '/v1/metrics/work/event', { user: { id: 'u' }, value: 1 });
    expect(refused).toMatchObject({ status: 503, body: { code: 'database_unavailable' } });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await call(server, 'GET', '/v1/users/u/achievements')).status).toBe(503);
    expect(server.child.exitCode).toBeNull();
    // The job runner polls every second meanwhile: its failures are the same outage, not news.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await proxy.restore();
    const started = performance.now();
    while ((await call(server, 'GET', '/readyz')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
    const recoveryMs = performance.now() - started;
    expect((await call(server, 'POST', '/v1/metrics/work/event', { user: { id: 'u' }, value: 1 })).status).toBe(201);
    // The metric's total (joining also counted on the built-in member_joined).
    const totals = await sql<{ total: number }>(`select u.total from user_metrics u ${WORK}`, [], schema);
    expect(totals.map((r) => Number(r.total))).toEqual([2]);

    // One log line names the outage and its cause, one says it ended.
    const log = server.output();
    expect(log.match(/Database unreachable/g)).toHaveLength(1);
    expect(log.match(/Database reachable again/g)).toHaveLength(1);
    expect(log).not.toMatch(/Job runner failed/);
    console.log(`database unreachable: ready again ${recoveryMs.toFixed(0)} ms after it came back`);
  }, 60_000);
});

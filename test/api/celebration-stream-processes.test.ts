/**
 * Celebration streams across processes on one PostgreSQL database: an event committed by one
 * process reaches a stream open on another within a second (NOTIFY, no polling), a batch naming
 * more members than a notice can hold still does, and a
 * celebration committed while the other's listening connection is cut reaches its stream as soon
 * as that connection is back, not at the next slow safety poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAFETY_POLL_MS } from '../../src/engine/celebration-hub.js';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { openSse, type SseStream } from '../support/sse.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const KEY = 'celebration-stream-admin-key';

describe.skipIf(!DIALECTS.includes('postgres'))('celebration streams over two processes (postgres)', () => {
  let schema: Awaited<ReturnType<typeof createSchema>>;
  let proxy: TcpProxy;
  /** A reaches the database directly; B through a proxy the test can cut. */
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    schema = await createSchema();
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const env = { LAUREL_DATABASE_SCHEMA: schema.name, LAUREL_MASTER_KEY: KEY, LAUREL_LOG_LEVEL: 'warn' };
    a = await startServerProcess({ ...env, DATABASE_URL: POSTGRES_URL });
    b = await startServerProcess({ ...env, DATABASE_URL: viaProxy.toString() });
    const admin = (path: string, body: unknown) => call(a, 'POST', path, body);
    await admin('/admin/v1/points-systems', { key: 'xp', name: 'XP', levels: [{ key: 'pro', name: 'Pro', points: 50 }] });
    await admin('/admin/v1/achievements', {
      key: 'first-lesson',
      name: 'First lesson',
      criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
      rewards: [{ type: 'points', system: 'xp', amount: 60 }],
      status: 'active',
    });
    // A's first event creates the metric and warms its code up: the latency measured is the news's.
    await call(a, 'POST', '/v1/metrics/lessons/event', { user: { id: 'warm-up' }, value: 1 });
  }, 120_000);

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    expect(await Promise.all([a?.stop(), b?.stop()])).toEqual([0, 0]);
    await proxy?.close();
    await schema?.drop();
  });

  const call = async (server: ServerProcess, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBeLessThan(300);
    return response.json();
  };
  const streamOnB = async (user: string): Promise<SseStream> => {
    await call(a, 'POST', '/v1/users', { id: user });
    const stream = await openSse(`${b.url}/v1/users/${user}/celebrations/stream`, { 'x-api-key': KEY });
    expect(stream.status).toBe(200);
    while (!stream.text().startsWith('retry:')) await new Promise((resolve) => setTimeout(resolve, 10));
    return stream;
  };
  const unlock = (user: string) => call(a, 'POST', '/v1/metrics/lessons/event', { user: { id: user }, value: 1 });

  it('sends an event committed by one process to a stream open on the other within a second', async () => {
    const stream = await streamOnB('ada');
    const sent = performance.now();
    await unlock('ada');
    const heard = await stream.next((e) => e.event === 'celebration', 1_000);
    const latencyMs = performance.now() - sent;
    await stream.close();
    expect(JSON.parse(heard.data)).toMatchObject({ kind: 'achievement', achievementKey: 'first-lesson' });
    expect(latencyMs).toBeLessThan(1_000);
    console.log(`a celebration committed on process A reached the stream on process B ${latencyMs.toFixed(0)} ms after the event was sent`);
  }, 30_000);

  it('wakes streams on the other process for a batch with too many members to name in one notice', async () => {
    // 200 members with 100-character ids: their names alone are well past the 8,000 bytes a NOTIFY may carry.
    const members = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')}-${'m'.repeat(96)}`);
    const last = members.at(-1) as string;
    const stream = await streamOnB(last);
    const opened = performance.now();
    const answer = await call(a, 'POST', '/v1/events', { events: members.map((id) => ({ metric: 'lessons', user: { id }, value: 1 })) });
    expect(answer.results).toHaveLength(members.length);
    // Within a second of the answer (a batch of 200 new members takes a while to commit on a busy machine).
    const heard = await stream.next((e) => e.event === 'celebration', 1_000);
    await stream.close();
    expect(JSON.parse(heard.data)).toMatchObject({ kind: 'achievement', achievementKey: 'first-lesson' });
    expect(performance.now() - opened).toBeLessThan(0.8 * SAFETY_POLL_MS);
  }, 30_000);

  it('loses no celebration committed while the listening connection is down', async () => {
    const stream = await streamOnB('bo');
    const opened = performance.now();
    await proxy.cut();
    await unlock('bo');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stream.events).toEqual([]);
    await proxy.restore();
    const restored = performance.now();
    const heard = await stream.next((e) => e.event === 'celebration', 6_000);
    const arrived = performance.now();
    await stream.close();
    expect(JSON.parse(heard.data)).toMatchObject({ kind: 'achievement' });
    // The stream's own safety poll comes no sooner than 80% of its period after it opened: this was the reconnection.
    expect(arrived - opened).toBeLessThan(0.8 * SAFETY_POLL_MS);
    console.log(
      `a celebration missed while listening was cut arrived ${(arrived - restored).toFixed(0)} ms after the connection came back`,
    );
  }, 30_000);
});

/**
 * Webhooks from three Laurel processes on one PostgreSQL database: 1,000 unlocks committed through
 * all three, one webhook, a real receiver checking both signatures. Every unlock must arrive, each
 * exactly once, never sent by two processes at the same time (the claims' SKIP LOCKED and leases),
 * and the delivery work must be shared between the processes.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { startVerifyingReceiver, type VerifyingReceiver } from '../support/verifying-receiver.js';

const KEY = 'webhook-processes-admin-key';
const PROCESSES = 3;
const UNLOCKS = 1000;
const BATCH = 25;

describe.skipIf(!DIALECTS.includes('postgres'))('webhooks from several processes on one PostgreSQL database', () => {
  let schema: Awaited<ReturnType<typeof createSchema>>;
  let servers: ServerProcess[] = [];
  let receiver: VerifyingReceiver;

  beforeAll(async () => {
    schema = await createSchema();
    receiver = await startVerifyingReceiver(() => servers.map((s) => s.child.pid as number));
    const env = {
      DATABASE_URL: POSTGRES_URL,
      LAUREL_DATABASE_SCHEMA: schema.name,
      LAUREL_MASTER_KEY: KEY,
      LAUREL_LOG_LEVEL: 'warn',
      LAUREL_DATABASE_POOL_SIZE: '8',
      LAUREL_WEBHOOK_ALLOW_PRIVATE: '1',
    };
    servers = await Promise.all(Array.from({ length: PROCESSES }, () => startServerProcess(env)));
  }, 120_000);

  afterAll(async () => {
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual(servers.map(() => 0));
    await receiver.close();
    await schema.drop();
  });

  const call = async (server: ServerProcess, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('delivers every unlock once, signed, never by two processes at once', async () => {
    const [first] = servers as [ServerProcess];
    const created = await call(first, 'POST', '/admin/v1/achievements', {
      key: 'first-step',
      name: 'First step',
      criteria: { type: 'metric', metric: 'steps', threshold: 1 },
      status: 'active',
    });
    expect(created.status).toBe(201);
    const hook = await call(first, 'POST', '/admin/v1/webhooks', { url: `${receiver.url}/hook`, eventTypes: ['achievement.completed'] });
    expect(hook.status).toBe(201);
    receiver.secret = hook.body.secret;
    // A few milliseconds per answer: a delivery sent twice at once would overlap at the receiver.
    receiver.delayMs = () => Math.floor(Math.random() * 8);

    // One unlock per user: batches of 25 users' events, sent to the processes in turn, 6 at a time.
    const completions = new Map<string, string>();
    const statuses = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      for (let b = next++; b * BATCH < UNLOCKS; b = next++) {
        const users = Array.from({ length: BATCH }, (_, i) => `u${b * BATCH + i}`);
        const reply = await call(servers[b % PROCESSES] as ServerProcess, 'POST', '/v1/events', {
          events: users.map((id) => ({ metric: 'steps', user: { id }, value: 1 })),
        });
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        users.forEach((user, i) => {
          const unlocked = reply.body.results?.[i]?.achievements?.[0]?.completionId;
          if (typeof unlocked === 'string') completions.set(user, unlocked);
        });
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const sentSeconds = (performance.now() - started) / 1000;
    expect(Object.fromEntries(statuses)).toEqual({ 200: UNLOCKS / BATCH });
    expect(completions.size).toBe(UNLOCKS);

    await receiver.waitForDelivered(UNLOCKS, 30_000);
    const deliveredSeconds = (performance.now() - started) / 1000;
    const db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    let rows: { status: string; attempts: number; n: number }[] = [];
    try {
      // The last outcomes are recorded just after their answers.
      for (let tries = 0; tries < 100; tries++) {
        rows = (
          await db.query<{ status: string; attempts: number; n: number }>(
            `select status, attempts, count(*)::int as n from ${schema.name}.webhook_deliveries group by status, attempts`,
          )
        ).rows;
        if (rows.length === 1 && rows[0]?.status === 'delivered') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await db.end();
    }
    const arrivals = [...receiver.arrivals.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${UNLOCKS} unlocks over ${PROCESSES} processes sent in ${sentSeconds.toFixed(1)} s, all delivered ${deliveredSeconds.toFixed(1)} s after the first; ` +
        `${arrivals} requests, most in flight for one event: ${receiver.maxInFlight()}; ` +
        `answered per process: ${JSON.stringify(Object.fromEntries(receiver.bySender))}`,
    );

    expect(receiver.invalid).toEqual([]);
    // Every unlock arrived, with its own completion, and nothing else did.
    const received = new Map(
      [...receiver.delivered.values()].map((body) => {
        const event = JSON.parse(body);
        expect(event.type).toBe('achievement.completed');
        return [event.user.id as string, event.achievement.completionId as string];
      }),
    );
    expect(received).toEqual(completions);
    // Exactly once: one request per event, never two in flight, one attempt each in the log.
    expect(arrivals).toBe(UNLOCKS);
    expect(receiver.maxInFlight()).toBe(1);
    expect(rows).toEqual([{ status: 'delivered', attempts: 1, n: UNLOCKS }]);
    // The processes shared the work: each delivered some.
    expect([...receiver.bySender.values()].reduce((a, b) => a + b, 0)).toBe(UNLOCKS);
    for (const server of servers) expect(receiver.bySender.get(server.child.pid as number) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});

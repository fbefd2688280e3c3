/**
 * A server process killed with SIGKILL between committing unlocks and delivering them: its receiver
 * holds every request unanswered, so at the kill some deliveries are claimed and in flight, some are
 * queued, and the last unlocks are not even fanned out yet. A new process on the same database must
 * deliver every unlock (at least once: the ones in flight again once their claims run out, 90 s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DELIVERY_LEASE_MS } from '../../src/engine/deliver-webhooks.js';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { startVerifyingReceiver } from '../support/verifying-receiver.js';

const KEY = 'webhook-kill-9-admin-key';
const BATCH = 100;

describe('kill -9 between commit and delivery', () => {
  it.concurrent.each(DIALECTS)(
    'loses no unlock: a new process delivers them all (%s)',
    async (dialect) => {
      const cleanup: (() => Promise<unknown>)[] = [];
      try {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-webhook-kill-'));
        const schema = dialect === 'postgres' ? await createSchema() : null;
        cleanup.push(async () => {
          await schema?.drop();
          fs.rmSync(dataDir, { recursive: true, force: true });
        });
        const receiver = await startVerifyingReceiver();
        cleanup.push(() => receiver.close());
        receiver.holding = true;
        const env = {
          LAUREL_DATA_DIR: dataDir,
          LAUREL_MASTER_KEY: KEY,
          LAUREL_LOG_LEVEL: 'warn',
          LAUREL_WEBHOOK_ALLOW_PRIVATE: '1',
          ...(schema ? { DATABASE_URL: POSTGRES_URL, LAUREL_DATABASE_SCHEMA: schema.name, LAUREL_DATABASE_POOL_SIZE: '4' } : {}),
        };
        const query = async <T>(text: string): Promise<T[]> => {
          if (schema) {
            const client = new pg.Client({ connectionString: POSTGRES_URL });
            await client.connect();
            try {
              await client.query(`set search_path to ${schema.name}`);
              return (await client.query(text)).rows as T[];
            } finally {
              await client.end();
            }
          }
          const db = new SQLite(path.join(dataDir, 'laurel.db'), { readonly: true });
          try {
            return db.prepare(text).all() as T[];
          } finally {
            db.close();
          }
        };

        const first: ServerProcess = await startServerProcess(env);
        cleanup.push(() => first.stop());
        const call = async (server: ServerProcess, method: string, url: string, body: unknown) => {
          const response = await fetch(`${server.url}${url}`, {
            method,
            headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: response.status, body: (await response.json()) as any };
        };
        const achievement = await call(first, 'POST', '/admin/v1/achievements', {
          key: 'first-step',
          name: 'First step',
          criteria: { type: 'metric', metric: 'steps', threshold: 1 },
          status: 'active',
        });
        expect(achievement.status).toBe(201);
        const hook = await call(first, 'POST', '/admin/v1/webhooks', {
          url: `${receiver.url}/hook`,
          eventTypes: ['achievement.completed'],
        });
        expect(hook.status).toBe(201);
        receiver.secret = hook.body.secret;

        const completions = new Map<string, string>();
        const unlock = async (from: number) => {
          const users = Array.from({ length: BATCH }, (_, i) => `u${from + i}`);
          const reply = await call(first, 'POST', '/v1/events', {
            events: users.map((id) => ({ metric: 'steps', user: { id }, value: 1 })),
          });
          expect(reply.status).toBe(200);
          for (const [i, user] of users.entries()) completions.set(user, reply.body.results[i].achievements[0].completionId);
        };
        await unlock(0);
        await unlock(BATCH);
        await unlock(2 * BATCH);
        // The deliverer has claimed deliveries and is stuck sending them: commit more, then kill.
        while (receiver.held() < 8) await new Promise((resolve) => setTimeout(resolve, 10));
        await unlock(3 * BATCH);
        const reachedUnanswered = receiver.arrivals.size;
        const exited = new Promise((resolve) => first.child.once('exit', resolve));
        first.child.kill('SIGKILL');
        await exited;
        const killedAt = Date.now();

        const [state] = await query<{ undispatched: number; claimed: number; queued: number; delivered: number }>(`
          select
            (select count(*) from outbox where dispatched_at is null) as undispatched,
            (select count(*) from webhook_deliveries where locked_until is not null) as claimed,
            (select count(*) from webhook_deliveries where status = 'pending' and locked_until is null) as queued,
            (select count(*) from webhook_deliveries where status = 'delivered') as delivered`);
        const atKill = {
          undispatched: Number(state?.undispatched),
          claimed: Number(state?.claimed),
          queued: Number(state?.queued),
          delivered: Number(state?.delivered),
        };
        // Every state an unlock can be in before its delivery is done, none delivered.
        expect(atKill.undispatched).toBeGreaterThan(0);
        expect(atKill.claimed).toBeGreaterThan(0);
        expect(atKill.queued).toBeGreaterThan(0);
        expect(atKill.delivered).toBe(0);
        expect(atKill.undispatched + atKill.claimed + atKill.queued).toBe(completions.size);

        receiver.holding = false;
        const second = await startServerProcess(env);
        cleanup.push(() => second.stop());
        await receiver.waitForDelivered(completions.size, DELIVERY_LEASE_MS + 30_000);
        const seconds = (Date.now() - killedAt) / 1000;

        expect(receiver.invalid).toEqual([]);
        const received = new Map(
          [...receiver.delivered.values()].map((body) => {
            const event = JSON.parse(body);
            return [event.user.id as string, event.achievement.completionId as string];
          }),
        );
        expect(received).toEqual(completions);
        // The events in flight at the kill arrived twice (at least once); deduplicated, each once.
        const twice = [...receiver.arrivals.values()].filter((n) => n > 1).length;
        expect(twice).toBeGreaterThan(0);
        expect(twice).toBeLessThanOrEqual(atKill.claimed);
        let log: { status: string; n: number }[] = [];
        for (let tries = 0; tries < 50; tries++) {
          log = await query<{ status: string; n: number }>('select status, count(*) as n from webhook_deliveries group by status');
          if (log.length === 1 && log[0]?.status === 'delivered') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(log.map((r) => ({ status: r.status, n: Number(r.n) }))).toEqual([{ status: 'delivered', n: completions.size }]);
        console.log(
          `webhook kill -9 (${dialect}): ${completions.size} unlocks; at the kill ${atKill.undispatched} not fanned out, ${atKill.queued} queued, ` +
            `${atKill.claimed} claimed by the killed process (${reachedUnanswered} of them held unanswered by the receiver); ` +
            `all delivered ${seconds.toFixed(1)} s after the kill, ${twice} of them twice`,
        );
      } finally {
        for (const step of cleanup.reverse()) await step();
      }
    },
    DELIVERY_LEASE_MS + 90_000,
  );
});

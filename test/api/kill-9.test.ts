/**
 * The server process killed with SIGKILL in the middle of a stream of events, then started again on
 * the same data: every event it acknowledged (2xx) must be counted in the totals. Events whose
 * answer never came may or may not be; none may be counted that was never sent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

const KEY = 'kill-9-admin-key';
const USERS = 4;

describe.each(DIALECTS)('kill -9 mid-stream (%s)', (dialect) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  async function totals(dataDir: string, schema: string | null): Promise<Record<string, number>> {
    if (schema) {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const rows = (
          await client.query<{ user_id: string; total: number }>(
            `select u.user_id, u.total from ${schema}.user_metrics u join ${schema}.metrics m on m.id = u.metric_id where m.key = 'work'`,
          )
        ).rows;
        return Object.fromEntries(rows.map((r) => [r.user_id, Number(r.total)]));
      } finally {
        await client.end();
      }
    }
    const db = new SQLite(path.join(dataDir, 'laurel.db'), { readonly: true });
    try {
      const rows = db
        .prepare("select u.user_id, u.total from user_metrics u join metrics m on m.id = u.metric_id where m.key = 'work'")
        .all() as { user_id: string; total: number }[];
      return Object.fromEntries(rows.map((r) => [r.user_id, r.total]));
    } finally {
      db.close();
    }
  }

  it('counts every acknowledged event after a restart on the same data', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-kill-'));
    const schema = dialect === 'postgres' ? await createSchema() : null;
    cleanup.push(async () => {
      await schema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const env = {
      LAUREL_DATA_DIR: dataDir,
      LAUREL_MASTER_KEY: KEY,
      LAUREL_LOG_LEVEL: 'warn',
      ...(schema ? { DATABASE_URL: POSTGRES_URL, LAUREL_DATABASE_SCHEMA: schema.name, LAUREL_DATABASE_POOL_SIZE: '4' } : {}),
    };
    const first: ServerProcess = await startServerProcess(env);
    cleanup.push(() => first.stop());

    const sent = new Map<string, number>();
    const acked = new Map<string, number>();
    let answered = 0;
    const add = (m: Map<string, number>, user: string) => m.set(user, (m.get(user) ?? 0) + 1);
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        const user = `u${(w + i) % USERS}`;
        add(sent, user);
        try {
          const response = await fetch(`${first.url}/v1/metrics/work/event`, {
            method: 'POST',
            headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
            body: JSON.stringify({ user: { id: user }, value: 1 }),
          });
          await response.arrayBuffer();
          expect(killed || response.status === 201).toBe(true);
          if (response.ok) add(acked, user);
          answered += 1;
        } catch {
          return; // The server is gone: this event was sent but never acknowledged.
        }
      }
    };
    const workers = Promise.all([0, 1, 2, 3].map(worker));
    while (answered < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    killed = true;
    first.child.kill('SIGKILL');
    await exited;
    await workers;

    const second = await startServerProcess(env);
    cleanup.push(() => second.stop());
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    const counted = await totals(dataDir, schema?.name ?? null);

    const sum = (m: Map<string, number> | Record<string, number>) =>
      [...(m instanceof Map ? m.values() : Object.values(m))].reduce((a, b) => a + b, 0);
    let lost = 0;
    for (const [user, n] of acked) lost += Math.max(0, n - (counted[user] ?? 0));
    console.log(
      `kill -9 (${dialect}): ${sum(sent)} events sent, ${sum(acked)} acknowledged, ${lost} acknowledged but lost, ${sum(counted) - sum(acked)} counted without an answer`,
    );
    expect(lost).toBe(0);
    for (const [user, n] of Object.entries(counted)) expect(n).toBeLessThanOrEqual(sent.get(user) ?? 0);
  }, 90_000);
});

/**
 * Storage that refuses writes (a full disk): SQLite's max_page_count makes every write that needs
 * a new page fail with SQLITE_FULL, as a full disk does. Writes must answer 503
 * storage_unavailable (not 500), /readyz must say not ready while they fail, the log must name the
 * cause once for the whole incident, and everything must work again once there is room.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLaurel, type Laurel } from '../../src/app.js';
import { loadSettings } from '../../src/config.js';
import { ManualClock } from '../../src/engine/clock.js';
import { ADMIN_KEY } from '../support/laurel.js';

describe('storage refusing writes (sqlite)', () => {
  let laurel: Laurel;
  let dataDir: string;
  afterEach(async () => {
    await laurel.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 storage_unavailable, fails /readyz, logs the cause once, and recovers', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-test-'));
    const log: { level: number; msg: string; cause?: string }[] = [];
    laurel = await createLaurel(loadSettings({}, { dataDir, masterKey: ADMIN_KEY }), {
      clock: new ManualClock(Date.parse('2026-03-02T10:00:00Z')),
      logger: pino({ level: 'info' }, { write: (line: string) => void log.push(JSON.parse(line)) }),
    });
    const send = async (user: string) => {
      const r = await laurel.app.inject({
        method: 'POST',
        url: '/v1/metrics/work/event',
        headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
        payload: JSON.stringify({ user: { id: user }, value: 1 }),
      });
      return { status: r.statusCode, body: r.json(), retryAfter: r.headers['retry-after'] };
    };
    const probe = async (url: string) => {
      const r = await laurel.app.inject({ method: 'GET', url });
      return { status: r.statusCode, body: r.json() };
    };
    let acked = 0;
    expect((await send('first')).status).toBe(201);
    acked += 1;

    const sqlite = laurel.ctx.store.database.sqlite as import('better-sqlite3').Database;
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    let failed: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 2000 && !failed; i++) {
      const reply = await send(`user-${i}-${'x'.repeat(100)}`);
      if (reply.status === 201) acked += 1;
      else failed = reply;
    }
    expect(failed).toMatchObject({ status: 503, body: { code: 'storage_unavailable' } });
    expect(Number(failed?.retryAfter)).toBeGreaterThan(0);
    expect(await probe('/readyz')).toMatchObject({ status: 503, body: { code: 'storage_unavailable' } });
    expect((await probe('/healthz')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await send(`more-${i}-${'x'.repeat(100)}`)).body.code).toBe('storage_unavailable');

    const incidents = log.filter((l) => l.level >= 40);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.msg).toMatch(/Storage failing: .*(full|SQLITE_FULL)/);
    expect(log.some((l) => /cannot rollback/.test(JSON.stringify(l)))).toBe(false);

    sqlite.pragma('max_page_count = 4294967294');
    expect((await send(`after-${'x'.repeat(100)}`)).status).toBe(201);
    acked += 1;
    expect((await probe('/readyz')).status).toBe(200);
    expect(log.filter((l) => /Storage accepting writes again/.test(l.msg))).toHaveLength(1);

    const total = sqlite
      .prepare("select sum(u.total) as total from user_metrics u join metrics m on m.id = u.metric_id where m.key = 'work'")
      .get() as { total: number };
    expect(total.total).toBe(acked);
  });
});

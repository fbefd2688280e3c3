/**
 * A key revoked through one process is refused by every other process on the same PostgreSQL
 * database at once, not when their key caches expire. The clocks here stand still, so a cache
 * entry never expires by itself: only the news of the revocation can make the other process refuse.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLaurel, type Laurel } from '../../src/app.js';
import { loadSettings } from '../../src/config.js';
import { DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

describe.skipIf(!DIALECTS.includes('postgres'))('revoking a key (postgres, two processes)', () => {
  let a: TestLaurel;
  let b: Laurel;
  let dataDir: string;
  afterEach(async () => {
    await b.close();
    await a.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is refused by the other process within a second', async () => {
    a = await startLaurel({ dialect: 'postgres' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-test-'));
    b = await createLaurel(loadSettings({}, { dataDir, masterKey: ADMIN_KEY, databaseUrl: POSTGRES_URL, databasePoolSize: 4 }), {
      clock: a.clock,
      logger: pino({ level: 'silent' }),
      databaseSchema: a.schema as string,
    });
    const created = await a.admin<{ id: string; key: string }>('POST', '/admin/v1/api-keys', { name: 'to revoke' });
    const onB = async () =>
      (await b.app.inject({ method: 'GET', url: '/v1/achievements', headers: { 'x-api-key': created.body.key } })).statusCode;
    // B has looked the key up and holds it in its cache.
    expect(await onB()).toBe(200);
    expect(await onB()).toBe(200);

    expect((await a.admin('DELETE', `/admin/v1/api-keys/${created.body.id}`)).status).toBe(200);
    const revokedAt = performance.now();
    let status = await onB();
    while (status !== 401 && performance.now() - revokedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      status = await onB();
    }
    const latencyMs = performance.now() - revokedAt;
    expect(status).toBe(401);
    console.log(`revocation reached the other process after ${latencyMs.toFixed(0)} ms`);
  }, 30_000);
});

/**
 * Rotating the widget secret through one process refuses the earlier tokens in every other process
 * on the same PostgreSQL database once their cached secret is 5 s old; a new widget origin is
 * allowed there within the same bound. A token signed with the new secret is accepted there at once
 * (a refused signature reads the secret again). The clocks here are one manual clock: only it moves the caches.
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

describe.skipIf(!DIALECTS.includes('postgres'))('widget secret and origins (postgres, two processes)', () => {
  let a: TestLaurel;
  let b: Laurel;
  let dataDir: string;
  afterEach(async () => {
    await b.close();
    await a.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    a = await startLaurel({ dialect: 'postgres' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-test-'));
    b = await createLaurel(loadSettings({}, { dataDir, masterKey: ADMIN_KEY, databaseUrl: POSTGRES_URL, databasePoolSize: 4 }), {
      clock: a.clock,
      logger: pino({ level: 'silent' }),
      databaseSchema: a.schema as string,
      startJobs: false,
    });
  };
  const onB = async (token: string) =>
    (await b.app.inject({ method: 'GET', url: '/v1/users/ada/achievements', headers: { authorization: `Bearer ${token}` } })).statusCode;

  it('reach the other process within 5 s', async () => {
    await start();
    const minted = await a.api<{ token: string }>('POST', '/v1/users/ada/widget-token', {});
    const onB = async (origin?: string) =>
      (
        await b.app.inject({
          method: 'GET',
          url: '/v1/users/ada/achievements',
          headers: { authorization: `Bearer ${minted.body.token}`, ...(origin ? { origin } : {}) },
        })
      ).statusCode;
    // A token minted by A, for a community B never saw a token of, is accepted by B at once.
    expect(await onB()).toBe(200);

    expect((await a.admin('POST', '/admin/v1/widget-secret/rotate')).status).toBe(200);
    a.clock.advance(5_000);
    expect(await onB()).toBe(401);

    const fresh = await a.api<{ token: string }>('POST', '/v1/users/ada/widget-token', {});
    const freshOnB = async (origin: string) =>
      (
        await b.app.inject({
          method: 'GET',
          url: '/v1/users/ada/achievements',
          headers: { authorization: `Bearer ${fresh.body.token}`, origin },
        })
      ).statusCode;
    expect(await freshOnB('https://app.example.com')).toBe(403);
    await a.admin('PATCH', '/admin/v1/settings', { widgetOrigins: ['https://app.example.com'] });
    a.clock.advance(5_000);
    expect(await freshOnB('https://app.example.com')).toBe(200);
  }, 30_000);

  it('accepts in the other process, at once, a token signed right after a rotation', async () => {
    await start();
    const mint = async () => (await a.api<{ token: string }>('POST', '/v1/users/ada/widget-token', {})).body.token;
    const before = await mint();
    // B now holds the secret in its cache.
    expect(await onB(before)).toBe(200);
    expect((await a.admin('POST', '/admin/v1/widget-secret/rotate')).status).toBe(200);
    const after = await mint();
    expect(await onB(after)).toBe(200);
    // Read again, B refuses the earlier tokens at once too.
    expect(await onB(before)).toBe(401);
    // Another rotation within the second: B reads again for a refused signature at most once a second.
    expect((await a.admin('POST', '/admin/v1/widget-secret/rotate')).status).toBe(200);
    const third = await mint();
    expect(await onB(third)).toBe(401);
    a.clock.advance(1_000);
    expect(await onB(third)).toBe(200);
  }, 30_000);
});

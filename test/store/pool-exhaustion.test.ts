/**
 * Every pooled PostgreSQL connection busy is load, not an outage: a request that cannot get a
 * connection in time is told 503 overloaded, and the process stays ready (a load balancer must not
 * pull every busy process).
 */
import os from 'node:os';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { LaurelError } from '../../src/domain/errors.js';
import type { AvailabilityReport } from '../../src/store/availability.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';

describe.skipIf(!DIALECTS.includes('postgres'))('an exhausted connection pool (postgres)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  it('refuses with 503 overloaded and stays ready', async () => {
    const schema = await createSchema();
    cleanup.push(() => schema.drop());
    const reports: AvailabilityReport[] = [];
    const database: Database = openDatabase({
      url: POSTGRES_URL,
      dataDir: os.tmpdir(),
      schema: schema.name,
      poolSize: 1,
      report: (r) => reports.push(r),
    });
    cleanup.push(() => database.close());
    const store = new Store(database);

    let refused: unknown;
    let outageMeanwhile: unknown;
    await database.db.connection().execute(async () => {
      refused = await sql`select 1`.execute(database.db).catch((error: unknown) => error);
      outageMeanwhile = await store.outage();
    });

    expect(refused).toBeInstanceOf(LaurelError);
    expect(refused).toMatchObject({ kind: 'unavailable', code: 'overloaded', details: { retryAfter: expect.any(Number) } });
    expect(outageMeanwhile).toBeNull();
    expect(reports).toEqual([]);
    expect(await store.outage()).toBeNull();
  }, 30_000);
});

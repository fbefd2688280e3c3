/**
 * A storage incident (writes failing, as on a full disk) ends only when a write commits: a commit
 * that only read (an ingest that only replays, say) succeeds on a full disk and proves nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { AvailabilityReport } from '../../src/store/availability.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';

describe('ending a storage incident (sqlite)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  it('takes a committed write, not a commit that only read', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-storage-'));
    const reports: AvailabilityReport[] = [];
    const database = openDatabase({ dataDir, report: (r) => reports.push(r) });
    cleanup.push(async () => {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    await migrateToLatest(database);
    const sqlite = database.sqlite as import('better-sqlite3').Database;
    await sql`create table filler (data text)`.execute(database.db);
    const write = () => database.db.transaction().execute((trx) => sql`insert into filler values (${'x'.repeat(64_000)})`.execute(trx));

    // A full disk: the file may not grow.
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    await expect(write()).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(database.availability.outage).toBe('storage');

    await database.db.transaction().execute((trx) => sql`select count(*) from filler`.execute(trx));
    expect(database.availability.outage).toBe('storage');
    expect(reports.map((r) => r.event)).toEqual(['down']);

    sqlite.pragma('max_page_count = 4294967294');
    await write();
    expect(database.availability.outage).toBeNull();
    expect(reports.map((r) => r.event)).toEqual(['down', 'up']);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCheckpointer } from '../../src/store/sqlite-checkpointer.js';

describe('SQLite log checkpoints in a worker thread', () => {
  let dir: string;
  let file: string;
  let db: SQLite.Database;
  let checkpointer: SqliteCheckpointer;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-checkpoint-'));
    file = path.join(dir, 'test.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = () => {
    db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('create table if not exists rows (id integer primary key, body text not null)');
    checkpointer = new SqliteCheckpointer(
      db,
      file,
      (message) => {
        throw new Error(message);
      },
      { watchMs: 20, checkpointMs: 10 },
    );
  };
  /** Roughly `pages` pages of new rows, in transactions of about 40 pages each. */
  const write = (pages: number) => {
    const insert = db.prepare('insert into rows (body) values (?)');
    const many = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run('x'.repeat(1000));
    });
    for (let i = 0; i < pages / 40; i++) many(160);
  };
  const until = async (condition: () => boolean) => {
    for (let waited = 0; !condition(); waited += 10) {
      if (waited > 10_000) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('stays out of the way of a small database, then takes over checkpoints once the log has filled', async () => {
    open();
    write(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(checkpointer.running).toBe(false);

    write(1200);
    await until(() => checkpointer.running);
    // The writer now checkpoints only past a far larger log; the worker copies pages into the file.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(100_000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024);
    const before = fs.statSync(file).size;
    write(2000);
    await until(() => fs.statSync(file).size > before + 4_000_000);

    await checkpointer.stop();
    db.close();
    // Closing the last connection checkpoints the rest: nothing is lost, and no log is left behind.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SQLite(file, { readonly: true });
    expect((reopened.prepare('select count(*) as n from rows').get() as { n: number }).n).toBe(160 * (5 + 30 + 50));
    reopened.close();
  });

  it('lets a process that closes its database and has nothing else to do exit normally', () => {
    // The worker does not keep the process alive, but closing must wait for it: a process whose
    // only pending work was that wait used to end with it unfinished (exit code 13).
    const script = path.join(dir, 'close.mts');
    fs.writeFileSync(
      script,
      `import SQLite from ${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))};
       import { SqliteCheckpointer } from ${JSON.stringify(path.resolve('src/store/sqlite-checkpointer.ts'))};
       const db = new SQLite(${JSON.stringify(file)});
       db.pragma('journal_mode = WAL');
       db.exec('create table rows (id integer primary key, body text not null)');
       const checkpointer = new SqliteCheckpointer(db, ${JSON.stringify(file)}, undefined, { watchMs: 20, checkpointMs: 10 });
       const insert = db.prepare('insert into rows (body) values (?)');
       db.transaction(() => { for (let i = 0; i < 8000; i++) insert.run('x'.repeat(1000)); })();
       while (!checkpointer.running) await new Promise((resolve) => setTimeout(resolve, 10));
       await checkpointer.stop();
       db.close();
       console.log('closed');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve('.'), encoding: 'utf8' });
    expect({ status: child.status, stdout: child.stdout.trim(), stderr: child.stderr }).toEqual({
      status: 0,
      stdout: 'closed',
      stderr: '',
    });
  });
});

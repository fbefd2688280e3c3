/**
 * A database of the run's own per dialect: a temporary directory for SQLite, a fresh database on
 * the PostgreSQL server (dropped afterwards). Plus a plain driver connection for the harness's own
 * set-based seeding, polling and limit measurements.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Dialect } from '../../src/store/dialect.js';

export interface BenchDatabase {
  dialect: Dialect;
  /** SQLite: holds laurel.db (and master.key if one is generated). PostgreSQL: scratch space. */
  dataDir: string;
  /** postgres://… of this run's database; undefined on SQLite. */
  url: string | undefined;
  /** Environment that points a `laurel serve` process at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createBenchDatabase(dialect: Dialect, postgresUrl: string): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `laurel-bench-${dialect}-`));
  if (dialect === 'sqlite') {
    return {
      dialect,
      dataDir,
      url: undefined,
      env: { LAUREL_DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `laurel_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    dataDir,
    url: url.toString(),
    env: { LAUREL_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A plain driver connection. SQL is written with $1, $2 … placeholders for both dialects. */
export interface RawConnection {
  dialect: Dialect;
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs statements that return nothing. */
  run(text: string, params?: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

export function openRaw(db: { dialect: Dialect; dataDir: string; url: string | undefined }): RawConnection {
  if (db.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: db.url });
    const ready = client.connect();
    return {
      dialect: 'postgres',
      query: async <T>(text: string, params: readonly unknown[] = []) => {
        await ready;
        return (await client.query(text, params as unknown[])).rows as T[];
      },
      run: async (text, params = []) => {
        await ready;
        await client.query(text, params as unknown[]);
      },
      close: async () => {
        await ready.catch(() => undefined);
        await client.end();
      },
    };
  }
  const sqlite = openSqlite(db.dataDir);
  const convert = (text: string, params: readonly unknown[]) => {
    const ordered: unknown[] = [];
    const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
      ordered.push(params[Number(n) - 1]);
      return '?';
    });
    return { sql, ordered };
  };
  return {
    dialect: 'sqlite',
    query: async <T>(text: string, params: readonly unknown[] = []) => {
      const { sql, ordered } = convert(text, params);
      return sqlite.prepare(sql).all(...ordered) as T[];
    },
    run: async (text, params = []) => {
      const { sql, ordered } = convert(text, params);
      if (ordered.length === 0 && !sql.includes('?')) sqlite.exec(sql);
      else sqlite.prepare(sql).run(...ordered);
    },
    close: async () => {
      sqlite.close();
    },
  };
}

/** The SQLite file with the pragmas Laurel itself uses (src/store/database.ts). */
export function openSqlite(dataDir: string): SQLite.Database {
  const sqlite = new SQLite(path.join(dataDir, 'laurel.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('temp_store = MEMORY');
  return sqlite;
}

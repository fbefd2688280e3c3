import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type LogConfig, Migrator, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { LaurelError } from '../domain/errors.js';
import { Availability, type AvailabilityReport } from './availability.js';
import type { Dialect } from './dialect.js';
import { outageOf } from './failures.js';
import { guarded } from './guarded-dialect.js';
import { migrationProvider } from './migrations/index.js';
import { Notifications } from './notifications.js';
import { CurrentSchemaPostgresDialect } from './pg-introspection.js';
import type { DB } from './schema.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';

export interface DatabaseOptions {
  /** postgres://… selects PostgreSQL; absent means the embedded SQLite file. */
  url?: string | undefined;
  /** Where the SQLite file lives. */
  dataDir: string;
  /** PostgreSQL pool size. */
  poolSize?: number | undefined;
  /** PostgreSQL schema to use (tests run each in their own). */
  schema?: string | undefined;
  /** Called with every SQL statement run (tests use it to check what the engine asks of the database). */
  onQuery?: ((sql: string, parameters: readonly unknown[]) => void) | undefined;
  /** Told about trouble in the background (SQLite's log checkpoints, lost PostgreSQL connections). */
  warn?: ((message: string) => void) | undefined;
  /** Told once when an outage starts (with its cause) and once when it ends. */
  report?: ((report: AvailabilityReport) => void) | undefined;
}

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Human-readable location, for logs ("sqlite:./data/laurel.db"). */
  location: string;
  /** The raw SQLite connection (the hot path uses its prepared statements directly). */
  sqlite?: SQLite.Database;
  /** The `onQuery` hook, for statements run outside Kysely (that hot path). */
  onQuery?: ((sql: string, parameters: readonly unknown[]) => void) | undefined;
  /** What the queries have met so far: whether the database is reachable and its storage takes writes. */
  availability: Availability;
  /** PostgreSQL's LISTEN/NOTIFY on a connection of its own; absent on SQLite (one process, nothing to tell). */
  notifications?: Notifications;
  close(): Promise<void>;
}

// int8 and numeric come back from pg as strings; every such column here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function openDatabase(options: DatabaseOptions): Database {
  const onQuery = options.onQuery;
  const log: LogConfig | undefined = onQuery
    ? (event) => {
        if (event.level === 'query') onQuery(event.query.sql, event.query.parameters);
      }
    : undefined;
  const availability = new Availability(options.report);
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    const config: pg.PoolConfig = {
      connectionString: options.url,
      // Shows in pg_stat_activity; an application_name in the URL wins.
      application_name: 'laurel',
      // A server that stops answering (not refusing) must not hold requests forever.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(options.schema ? { options: `-c search_path=${validSchemaName(options.schema)}` } : {}),
    };
    const pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
    // A connection dropped by the server (restart, failover, pg_terminate_backend) emits 'error',
    // on its pool when idle and on itself when checked out between two queries; with nobody
    // listening, that ends the process. The pool discards such connections and opens new ones.
    pool.on('connect', (client) => {
      client.on('error', (error) => options.warn?.(`A database connection was lost (${error.message}); it will be replaced`));
    });
    pool.on('error', () => undefined);
    const notifications = new Notifications(config, options.warn);
    const db = new Kysely<DB>({ dialect: guarded(new CurrentSchemaPostgresDialect({ pool }), availability), ...(log ? { log } : {}) });
    return {
      db,
      dialect: 'postgres',
      location: redactPassword(options.url),
      availability,
      notifications,
      close: async () => {
        await notifications.close();
        await db.destroy();
      },
    };
  }
  if (options.url) {
    throw new Error(`Unsupported database URL "${redactPassword(options.url)}": use postgres://…`);
  }
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'laurel.db');
  const sqlite = new SQLite(file);
  // WAL keeps readers off the writer's back; NORMAL sync is durable across process crashes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('temp_store = MEMORY');
  const checkpointer = new SqliteCheckpointer(sqlite, file, (message) => options.warn?.(`SQLite checkpoint worker: ${message}`));
  const totalChanges = sqlite.prepare('select total_changes()').pluck();
  const dialect = guarded(new SqliteDialect({ database: withStatementCache(sqlite) }), availability, {
    inTransaction: () => sqlite.inTransaction,
    totalChanges: () => totalChanges.get() as number,
  });
  const db = new Kysely<DB>({ dialect, ...(log ? { log } : {}) });
  const close = async () => {
    await checkpointer.stop();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', location: `sqlite:${file}`, sqlite, onQuery, availability, close };
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Waits for the database to answer, trying again with growing pauses (up to 5 s apart) for up to
 * `waitMs`: a database starting alongside Laurel (a container, a failover) should not stop it.
 * Errors other than an unreachable database (a wrong password, a missing database) fail at once.
 */
export async function waitForDatabase(database: Database, waitMs: number, log: (message: string) => void): Promise<void> {
  const deadline = performance.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await sql`select 1`.execute(database.db);
      if (attempt > 0) log(`The database at ${database.location} answers; starting`);
      return;
    } catch (error) {
      const cause = (error instanceof LaurelError && error.cause instanceof Error ? error.cause : error) as Error;
      if (outageOf(cause) === null) throw cause;
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `The database at ${database.location} did not answer within ${Math.round(waitMs / 1000)} s (LAUREL_DATABASE_WAIT_S): ${cause.message}`,
        );
      }
      if (attempt === 0)
        log(
          `The database at ${database.location} does not answer (${cause.message}); trying again for up to ${Math.round(waitMs / 1000)} s`,
        );
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5_000, left)));
    }
  }
}

/** Brings the schema to the latest version. Safe when several processes start at once. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: migrationProvider(database.dialect),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

function validSchemaName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a valid PostgreSQL schema name`);
  return name;
}

/**
 * Reuses prepared statements. Kysely's SQLite driver prepares every query anew, and preparing
 * costs more than running the small statements of the ingest path; one connection runs one query
 * at a time, so a statement is never in use twice.
 */
function withStatementCache(sqlite: SQLite.Database, size = 2000): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

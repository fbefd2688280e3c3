/**
 * Which SQL statements an operation costs, each timed. A CPU profile cannot say which query a
 * driver call belongs to (the engine awaits it, so its caller is not on the stack), so this
 * captures every statement of one operation through createLaurel's onQuery hook, then replays each
 * one with the bare driver inside a transaction that is rolled back, and times it.
 *
 *   node --import tsx bench/statement-timing.ts '<json: {dialect, dataDir, url, masterKey, users}>'
 *
 * Operations: one single event (as POST /v1/metrics/{key}/event runs it), one batch of 1,000
 * events (POST /v1/events), one read of a user's achievements with progress. Prints one line
 * `BENCH_RESULT {json}`; statements that fail on replay (e.g. a unique key the original run
 * already wrote) are reported with their error instead of a time.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import type { Dialect } from '../src/store/dialect.js';
import { eventSource, random, userId } from './lib/community.js';
import { openSqlite } from './lib/databases.js';
import { ROOT } from './lib/options.js';
import type { StatementTiming, TimedStatement } from './lib/statements.js';

const fromDist = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist/src', file)).href)) as T;
const { createLaurel } = await fromDist<typeof import('../src/app.js')>('app.js');
const { loadSettings } = await fromDist<typeof import('../src/config.js')>('config.js');
const { DEFAULT_TENANT } = await fromDist<typeof import('../src/engine/bootstrap.js')>('engine/bootstrap.js');
const { systemClock } = await fromDist<typeof import('../src/engine/clock.js')>('engine/clock.js');
const { ingestEvents } = await fromDist<typeof import('../src/engine/ingest/ingest-events.js')>('engine/ingest/ingest-events.js');
const { userAchievements } = await fromDist<typeof import('../src/engine/read-achievements.js')>('engine/read-achievements.js');

interface Args {
  dialect: Dialect;
  dataDir: string;
  url: string | undefined;
  masterKey: string;
  users: number;
}

const REPLAYS = 5;
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

let capture: { sql: string; parameters: readonly unknown[] }[] | null = null;
const laurel = await createLaurel(
  loadSettings(
    {},
    { dataDir: args.dataDir, masterKey: args.masterKey, logLevel: 'silent', ...(args.url ? { databaseUrl: args.url } : {}) },
  ),
  { clock: systemClock, logger: pino({ level: 'silent' }), onQuery: (sql, parameters) => capture?.push({ sql, parameters }) },
);
const events = eventSource(900, args.users);
const pick = random(901);
const operations: { name: string; run: () => Promise<unknown> }[] = [
  {
    name: 'single event (POST /v1/metrics/{key}/event)',
    run: () => ingestEvents(laurel.ctx, DEFAULT_TENANT, [events()], { locale: 'en', batch: false }),
  },
  {
    name: 'batch of 1,000 events (POST /v1/events)',
    run: () => ingestEvents(laurel.ctx, DEFAULT_TENANT, Array.from({ length: 1000 }, events), { locale: 'en', batch: true }),
  },
  {
    name: "read of a user's achievements with progress (GET /v1/users/{id}/achievements?includeIncomplete=true)",
    run: () =>
      userAchievements(laurel.ctx, DEFAULT_TENANT, userId(Math.floor(pick() * args.users)), { includeIncomplete: true, locale: 'en' }),
  },
];

const captured: { operation: string; engineMs: number; statements: { sql: string; parameters: readonly unknown[] }[] }[] = [];
for (const op of operations) {
  for (let i = 0; i < 3; i++) await op.run(); // warm the engine's caches and the JIT
  capture = [];
  const start = process.hrtime.bigint();
  await op.run();
  const engineMs = Number(process.hrtime.bigint() - start) / 1e6;
  captured.push({ operation: op.name, engineMs, statements: capture });
  capture = null;
}
await laurel.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;

async function replaySqlite(): Promise<StatementTiming[]> {
  const db = openSqlite(args.dataDir);
  const out: StatementTiming[] = [];
  try {
    for (const op of captured) {
      const statements: TimedStatement[] = [];
      for (const { sql, parameters } of op.statements) {
        const t: TimedStatement = { sql, parameters: parameters.length, ms: null, rows: null, error: null, plan: null };
        if (/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql)) continue;
        try {
          const statement = db.prepare(sql);
          const times: number[] = [];
          for (let i = 0; i < REPLAYS; i++) {
            db.exec('begin');
            try {
              const start = process.hrtime.bigint();
              const result = statement.reader
                ? statement.all(...(parameters as unknown[])).length
                : statement.run(...(parameters as unknown[])).changes;
              times.push(Number(process.hrtime.bigint() - start) / 1e6);
              t.rows = result;
            } finally {
              db.exec('rollback');
            }
          }
          t.ms = median(times);
          t.plan = (db.prepare(`explain query plan ${sql}`).all(...(parameters as unknown[])) as { detail: string }[]).map((r) => r.detail);
        } catch (error) {
          t.error = message(error);
        }
        statements.push(t);
      }
      out.push({ operation: op.operation, engineMs: op.engineMs, statements });
    }
  } finally {
    db.close();
  }
  return out;
}

async function replayPostgres(): Promise<StatementTiming[]> {
  const client = new pg.Client({ connectionString: args.url });
  await client.connect();
  const out: StatementTiming[] = [];
  try {
    for (const op of captured) {
      const statements: TimedStatement[] = [];
      for (const { sql, parameters } of op.statements) {
        if (/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(sql)) continue;
        const t: TimedStatement = { sql, parameters: parameters.length, ms: null, rows: null, error: null, plan: null };
        const times: number[] = [];
        try {
          for (let i = 0; i < REPLAYS; i++) {
            await client.query('begin');
            try {
              const start = process.hrtime.bigint();
              const result = await client.query(sql, parameters as unknown[]);
              times.push(Number(process.hrtime.bigint() - start) / 1e6);
              t.rows = result.rowCount ?? result.rows.length;
            } finally {
              await client.query('rollback');
            }
          }
          t.ms = median(times);
          await client.query('begin');
          try {
            const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, parameters as unknown[]);
            t.plan = plan.rows.map((r) => r['QUERY PLAN']);
          } finally {
            await client.query('rollback');
          }
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          t.error = message(error);
        }
        statements.push(t);
      }
      out.push({ operation: op.operation, engineMs: op.engineMs, statements });
    }
  } finally {
    await client.end();
  }
  return out;
}

const timings = args.dialect === 'postgres' ? await replayPostgres() : await replaySqlite();
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ timings })}\n`);

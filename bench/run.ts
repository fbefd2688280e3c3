/**
 * `npm run bench [-- --quick] [-- --dialect sqlite|postgres] [-- --profile] [-- --only notifications]`: Laurel's benchmark.
 *
 * For each database (SQLite, then PostgreSQL), on a database of the run's own: a community of 100
 * active achievements on 10 metrics and its users' history (through batch ingest), then
 *   1. engine ingest in batches of 1,000 (the use case, in a process of its own),
 *   6. its limit: the same writes with the bare driver, in a process of its own,
 *   (--profile: CPU profiles of scenario 1, of the single-event HTTP run and of the reads, a heap
 *    summary, and the SQL statements of one event, one batch and one read, each timed),
 *   2. HTTP single events at 32 connections and 1,000-event batches (autocannon against the
 *      compiled server, `node dist/src/cli/laurel.js serve`, in a process of its own),
 *   4. reads of one user's 100 achievements with progress,
 *   3. backfill of an achievement a million more users already qualify for, next to a bare
 *      INSERT … SELECT of the same awards (after the reads: it adds those users),
 *   5. the server's peak RSS through 2–4,
 *   6. the HTTP limits: a Fastify route doing the driver limit's two-row write per event with
 *      Laurel's group commit, under the single-event load (after the server has stopped, so that
 *      Laurel's own figures see the data they saw before it existed); and Fastify answering the
 *      same bodies as constant JSON under the same loads,
 *   7. notifications (bench/lib/notifications.ts): batch ingest with one subscribed webhook against
 *      the same ingest without, and 10,000 queued deliveries drained to a local receiver
 *      (`--only notifications`: after the setup, this scenario alone).
 * Prints a Markdown table (progress goes to stderr) and writes bench/results/<timestamp>.json and
 * bench/results/latest.json (profiles under bench/results/profiles/<timestamp>/).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Dialect } from '../src/store/dialect.js';
import { postgresProblem } from '../src/store/postgres-probe.js';
import { renderHeapSummary, summariseHeap } from './heap-summary.js';
import {
  MASTER_KEY,
  runScript,
  runWorker,
  type Server,
  startConstantServer,
  startLaurelServer,
  startTwoRowServer,
} from './lib/children.js';
import { eventSource, random, userId } from './lib/community.js';
import { type BenchDatabase, createBenchDatabase, openRaw, type RawConnection } from './lib/databases.js';
import { type LoadResult, load, request } from './lib/load.js';
import { notifications } from './lib/notifications.js';
import { type Options, parseOptions, ROOT } from './lib/options.js';
import { type DialectResults, type IngestResult, markdownTable, notes, type Report, rowsOf } from './lib/report.js';
import { renderStatementTimings, type StatementTiming } from './lib/statements.js';
import { type CpuProfile, renderSummary, summarise } from './profile-summary.js';

/** Which database's run a log line belongs to (quick runs do both at once). */
const running = new AsyncLocalStorage<Dialect>();
const log = (message: string) => {
  const dialect = running.getStore();
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}${dialect ? ` ${dialect}` : ''}] ${message}\n`);
};
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const DB_NAME: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

function build(): void {
  log('Compiling dist/ (tsc -p tsconfig.build.json)');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`The build failed:\n${result.stdout}${result.stderr}`);
}

async function machine(options: Options, dialects: Dialect[]): Promise<Record<string, string | number>> {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const info: Record<string, string | number> = {
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    sqlite: (new SQLite(':memory:').prepare('select sqlite_version() as v').get() as { v: string }).v,
  };
  if (dialects.includes('postgres')) {
    const client = new pg.Client({ connectionString: options.postgresUrl });
    await client.connect();
    try {
      info.postgres = (await client.query<{ v: string }>('select version() as v')).rows[0]?.v ?? 'unknown';
      for (const setting of ['shared_buffers', 'work_mem', 'synchronous_commit', 'fsync', 'autovacuum', 'max_connections']) {
        info[`postgres.${setting}`] = (await client.query<{ v: string }>(`select current_setting('${setting}') as v`)).rows[0]?.v ?? '';
      }
    } finally {
      await client.end();
    }
  }
  return info;
}

/**
 * Waits until the server has finished what a load run left in flight: /healthz runs `select 1`,
 * which on SQLite queues behind every transaction waiting for the connection.
 */
async function drain(url: string): Promise<void> {
  const response = await fetch(`${url}/healthz`);
  await response.text();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** A warm-up run whose numbers are thrown away, then the measured run. */
async function measuredLoad(
  options: Options,
  spec: Parameters<typeof load>[0],
  label: string,
  warmup: Partial<Parameters<typeof load>[0]> = { seconds: options.sizes.warmupSeconds },
): Promise<LoadResult> {
  if (warmup.amount !== 0 && warmup.seconds !== 0) {
    await load({ ...spec, ...warmup });
    await drain(spec.url);
  }
  const result = await load(spec);
  await drain(spec.url);
  log(
    `  ${label}: ${Math.round(result.rps)} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms` +
      (result.non2xx + result.errors > 0
        ? `, ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodes)}, ${result.errors} errors`
        : ''),
  );
  return result;
}

function singleEventRequests(seed: number, users: number) {
  const next = eventSource(seed, users);
  return () => {
    const e = next();
    return { path: `/v1/metrics/${e.metric}/event`, body: JSON.stringify({ user: e.user, value: e.value }) };
  };
}

function batchRequests(seed: number, users: number) {
  const next = eventSource(seed, users);
  return () => ({ path: '/v1/events', body: JSON.stringify({ events: Array.from({ length: 1000 }, next) }) });
}

function readRequests(seed: number, users: number) {
  const next = random(seed);
  return () => ({ path: `/v1/users/${userId(Math.floor(next() * users))}/achievements?includeIncomplete=true` });
}

/**
 * What autovacuum would have done after a bulk load: planner statistics and the visibility map.
 * (The PostgreSQL server this was written on runs with autovacuum off, and a freshly loaded table
 * without statistics gets plans for an empty one.) Only this run's own database is touched.
 * SQLite is left as Laurel leaves it: Laurel never runs ANALYZE there.
 */
async function autovacuum(raw: RawConnection): Promise<void> {
  if (raw.dialect !== 'postgres') return;
  const start = process.hrtime.bigint();
  await raw.run('vacuum analyze');
  log(`  vacuum analyze (as autovacuum would) in ${seconds(start).toFixed(1)} s`);
}

/** Scenario 3 and its limit. The server is running; qualifying users are seeded here with set-based SQL. */
async function backfill(options: Options, raw: RawConnection, server: Server, results: DialectResults): Promise<void> {
  const users = options.sizes.backfillUsers;
  const admin = { 'x-api-key': MASTER_KEY };
  const created = await request(server.url, 'POST', '/admin/v1/achievements', admin, {
    key: 'bench-backfill',
    name: 'Backfill benchmark',
    criteria: { type: 'metric', metric: 'backfill_points', threshold: 100 },
    rewards: [{ type: 'badge' }],
  });
  if (created.status !== 201) throw new Error(`Creating the backfill achievement answered ${created.status}: ${created.text}`);
  const [metric] = await raw.query<{ id: string }>(`select id from metrics where community_id = 'default' and key = 'backfill_points'`);
  const [achievement] = await raw.query<{ id: string }>(
    `select id from achievements where community_id = 'default' and key = 'bench-backfill'`,
  );
  if (!metric || !achievement) throw new Error('The backfill achievement or its metric is missing');

  log(`  seeding ${users.toLocaleString('en-US')} qualifying users with set-based SQL`);
  const now = Date.now();
  const seedStart = process.hrtime.bigint();
  if (raw.dialect === 'postgres') {
    const id = `'bf-' || lpad(g::text, 7, '0')`;
    await raw.run(
      `insert into users (org_id, community_id, id, name, email, tz, attributes, subscribe_to_emails, device_tokens, created_at, updated_at)
       select 'default', 'default', ${id}, null, null, 'UTC', '{}', 1, null, $1, $1 from generate_series(1, $2::int) g`,
      [now, users],
    );
    await raw.run(
      `insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at)
       select 'default', 'default', ${id}, $3, 100 + (g % 900), 1 + g % 20, $1, $1 from generate_series(1, $2::int) g`,
      [now, users, metric.id],
    );
    // Deterministic planner statistics and visibility map for both the limit and Laurel (autovacuum would get there eventually).
    await raw.run('vacuum analyze users');
    await raw.run('vacuum analyze user_metrics');
    await raw.run('vacuum analyze awards');
  } else {
    const g = `with recursive g(n) as (select 1 union all select n + 1 from g where n < $2)`;
    await raw.run('begin');
    await raw.run(
      `${g} insert into users (org_id, community_id, id, name, email, tz, attributes, subscribe_to_emails, device_tokens, created_at, updated_at)
       select 'default', 'default', printf('bf-%07d', n), null, null, 'UTC', '{}', 1, null, $1, $1 from g`,
      [now, users],
    );
    await raw.run(
      `${g} insert into user_metrics (org_id, community_id, user_id, metric_id, total, count, first_at, last_at)
       select 'default', 'default', printf('bf-%07d', n), $3, 100 + (n % 900), 1 + n % 20, $1, $1 from g`,
      [now, users, metric.id],
    );
    await raw.run('commit');
    await raw.run('pragma wal_checkpoint(TRUNCATE)');
  }
  const seedSeconds = seconds(seedStart);

  // The limit: the same grants with one bare INSERT … SELECT, into a copy of the awards table
  // (same columns, constraints, indexes and rows), so that it starts from the state Laurel starts from.
  log('  limit: bare INSERT … SELECT of the same awards into a copy of the awards table');
  if (raw.dialect === 'postgres') {
    await raw.run('create table awards_limit (like awards including all)');
    await raw.run('insert into awards_limit select * from awards');
    await raw.run('vacuum analyze awards_limit');
  } else {
    const ddl = await raw.query<{ sql: string }>(
      `select sql from sqlite_master where tbl_name = 'awards' and sql is not null order by type desc`,
    );
    for (const { sql } of ddl) await raw.run(sql.replaceAll('"awards_', '"awards_limit_').replaceAll('"awards"', '"awards_limit"'));
    await raw.run('insert into awards_limit select * from awards');
    await raw.run('pragma wal_checkpoint(TRUNCATE)');
  }
  const newId = raw.dialect === 'postgres' ? 'gen_random_uuid()::text' : 'lower(hex(randomblob(16)))';
  const rawStart = process.hrtime.bigint();
  await raw.run('begin');
  await raw.run(
    `insert into awards_limit (id, org_id, community_id, user_id, achievement_id, tier_key, period_key, achieved_at, event_id, source, backfilled, rewards, backfill_run)
     select ${newId}, 'default', 'default', m.user_id, $1, '', '', $2, null, 'backfill', 1, '[{"type":"badge"}]', 'limit'
     from user_metrics m where m.community_id = 'default' and m.metric_id = $3 and m.total >= 100`,
    [achievement.id, now, metric.id],
  );
  await raw.run('commit');
  const rawSeconds = seconds(rawStart);
  const [rawCount] = await raw.query<{ n: number | string }>(`select count(*) as n from awards_limit where backfill_run = 'limit'`);
  await raw.run('drop table awards_limit');
  if (raw.dialect === 'sqlite') await raw.run('pragma wal_checkpoint(TRUNCATE)');
  results.rawBackfill = { seconds: rawSeconds, rows: Number(rawCount?.n ?? 0) };
  log(`  limit: ${results.rawBackfill.rows} rows in ${rawSeconds.toFixed(2)} s`);

  log('  PATCH status active, then poll the job until it is done');
  const start = process.hrtime.bigint();
  const patched = await request<{ backfill: { jobId: string; status: string; granted: number | null } | null }>(
    server.url,
    'PATCH',
    '/admin/v1/achievements/bench-backfill',
    admin,
    { status: 'active' },
  );
  const patchSeconds = seconds(start);
  if (patched.status !== 200 || !patched.body.backfill) throw new Error(`PATCH answered ${patched.status}: ${patched.text.slice(0, 500)}`);
  const jobId = patched.body.backfill.jobId;
  let job = {
    status: patched.body.backfill.status,
    result: JSON.stringify({ granted: patched.body.backfill.granted }) as string | null,
    last_error: null as string | null,
  };
  while (job.status !== 'done' && job.status !== 'failed') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [row] = await raw.query<{ status: string; result: string | null; last_error: string | null }>(
      'select status, result, last_error from jobs where id = $1',
      [jobId],
    );
    if (!row) throw new Error(`Job ${jobId} disappeared`);
    job = row;
  }
  const total = seconds(start);
  if (job.status === 'failed') throw new Error(`The backfill job failed: ${job.last_error}`);
  const [written] = await raw.query<{ n: number | string }>('select count(*) as n from awards where achievement_id = $1', [achievement.id]);
  results.backfill = {
    users,
    seconds: total,
    granted: Number((JSON.parse(job.result ?? '{}') as { granted?: number }).granted ?? NaN),
    awardsWritten: Number(written?.n ?? 0),
    patchSeconds,
    statusInResponse: patched.body.backfill.status,
    seedSeconds,
  };
  log(`  backfill: ${results.backfill.awardsWritten} awards in ${total.toFixed(2)} s`);
  if (results.backfill.awardsWritten !== users)
    throw new Error(`The backfill wrote ${results.backfill.awardsWritten} awards, expected ${users}`);
}

function summariseProfile(dir: string, name: string, results: DialectResults): void {
  const file = path.join(dir, `${name}.cpuprofile`);
  if (!fs.existsSync(file)) throw new Error(`No CPU profile at ${file}`);
  const summary = summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, 25);
  const text = renderSummary(name, summary, 25);
  fs.writeFileSync(path.join(dir, `${name}.md`), text);
  results.profiles = { ...results.profiles, [name]: { file: path.relative(ROOT, file), summary } };
  log(`  profile summary written to ${path.relative(ROOT, path.join(dir, `${name}.md`))}`);
}

/**
 * --profile: where the time goes, on the same data as the measured runs (before them, since the
 * backfill scenario adds a million users). CPU profiles of scenario 1's batches, of the
 * single-event HTTP run and of the 1-connection reads; the live heap of the engine process after
 * scenario 1; and the SQL statements of one event, one batch and one read, each timed.
 */
async function profile(
  options: Options,
  db: BenchDatabase,
  ingestArgs: Record<string, unknown>,
  headers: Record<string, string>,
  profileDir: string,
  results: DialectResults,
): Promise<void> {
  const s = options.sizes;
  const dialect = db.dialect;
  log('Profiling scenario 1 (the measured batches, in the engine process)');
  const name = `${dialect}-engine-ingest`;
  const heapFile = path.join(profileDir, `${dialect}-engine-heap.heapsnapshot`);
  await runWorker('ingest', { ...ingestArgs, seed: 700, cpuProfile: path.join(profileDir, `${name}.cpuprofile`), heapSnapshot: heapFile });
  summariseProfile(profileDir, name, results);
  const heap = summariseHeap(JSON.parse(fs.readFileSync(heapFile, 'utf8')) as Parameters<typeof summariseHeap>[0], 25);
  fs.writeFileSync(path.join(profileDir, `${dialect}-engine-heap.md`), renderHeapSummary(`${dialect}-engine-heap`, heap, 25));
  results.heap = heap;
  fs.rmSync(heapFile); // hundreds of MB; the summary is what the report needs

  log('Profiling the single-event HTTP run and the 1-connection reads (each load run, in the server process)');
  const profiled = await startLaurelServer(db.env, true);
  const runs = [
    {
      name: `${dialect}-http-single`,
      spec: {
        url: profiled.url,
        connections: s.connections,
        seconds: s.loadSeconds,
        method: 'POST',
        headers,
        next: singleEventRequests(800, s.users),
      },
    },
    {
      name: `${dialect}-http-reads`,
      spec: {
        url: profiled.url,
        connections: 1,
        seconds: s.loadSeconds,
        method: 'GET',
        headers: { 'x-api-key': headers['x-api-key'] as string },
        next: readRequests(801, s.users),
      },
    },
  ] as const;
  try {
    for (const { name: runName, spec } of runs) {
      await load({ ...spec, seconds: s.warmupSeconds });
      await drain(profiled.url);
      await profiled.startCpuProfile();
      const result = await load(spec);
      await drain(profiled.url);
      await profiled.stopCpuProfile(path.join(profileDir, `${runName}.cpuprofile`));
      log(`  ${runName} (profiled): ${Math.round(result.rps)} req/s, p99 ${result.latencyMs.p99.toFixed(2)} ms`);
    }
  } finally {
    await profiled.stop();
  }
  for (const { name: runName } of runs) summariseProfile(profileDir, runName, results);

  log('Timing the SQL statements of one event, one batch and one read');
  const { timings } = await runScript<{ timings: StatementTiming[] }>('bench/statement-timing.ts', {
    dialect,
    dataDir: db.dataDir,
    url: db.url,
    masterKey: MASTER_KEY,
    users: s.users,
  });
  const statementsName = `${dialect}-statements`;
  fs.writeFileSync(path.join(profileDir, `${statementsName}.md`), renderStatementTimings(statementsName, timings));
  results.statements = timings;
  log(`  written to ${path.relative(ROOT, path.join(profileDir, `${statementsName}.md`))}`);
}

type ConstantLimits = Pick<DialectResults, 'constantSingle' | 'constantReads' | 'constantReadsSerial' | 'constantPeakRssBytes'>;

/** Scenario 6's HTTP limit: Fastify answering the captured bodies as constants, under the same loads. */
async function constantLimits(options: Options, bodiesFile: string, headers: Record<string, string>): Promise<ConstantLimits> {
  const s = options.sizes;
  log('Scenario 6: constant-JSON Fastify server under the same load');
  const constant = await startConstantServer(bodiesFile);
  const readHeaders = { 'x-api-key': headers['x-api-key'] as string };
  try {
    const limits: ConstantLimits = {
      constantSingle: await measuredLoad(
        options,
        {
          url: constant.url,
          connections: s.connections,
          seconds: s.loadSeconds,
          method: 'POST',
          headers,
          next: singleEventRequests(400, s.users),
        },
        'constant JSON, single event',
      ),
      constantReads: await measuredLoad(
        options,
        {
          url: constant.url,
          connections: s.connections,
          seconds: s.loadSeconds,
          method: 'GET',
          headers: readHeaders,
          next: readRequests(600, s.users),
        },
        'constant JSON, reads',
      ),
      constantReadsSerial: await measuredLoad(
        options,
        {
          url: constant.url,
          connections: 1,
          seconds: s.loadSeconds,
          method: 'GET',
          headers: readHeaders,
          next: readRequests(601, s.users),
        },
        'constant JSON, reads, 1 connection',
      ),
    };
    return { ...limits, constantPeakRssBytes: constant.peakRss() };
  } finally {
    await constant.stop();
  }
}

/**
 * Scenario 6's limit of single events over HTTP: the two-row route (bench/two-row-server.ts) on
 * this run's database, under the single-event load Laurel had (same events, same connections).
 */
async function twoRowLimit(
  options: Options,
  db: BenchDatabase,
  raw: RawConnection,
  bodiesFile: string,
  headers: Record<string, string>,
): Promise<Pick<DialectResults, 'twoRowSingle' | 'twoRowPeakRssBytes'>> {
  const s = options.sizes;
  log(`Scenario 6: the two-row route with group commit, single event, ${s.connections} connections`);
  // The backfill left its awards in SQLite's log; the route should not pay for copying them back.
  if (raw.dialect === 'sqlite') await raw.run('pragma wal_checkpoint(TRUNCATE)');
  const route = await startTwoRowServer(db, bodiesFile);
  try {
    const twoRowSingle = await measuredLoad(
      options,
      {
        url: route.url,
        connections: s.connections,
        seconds: s.loadSeconds,
        method: 'POST',
        headers,
        next: singleEventRequests(400, s.users),
      },
      'two-row route, single event',
    );
    return { twoRowSingle, twoRowPeakRssBytes: route.peakRss() };
  } finally {
    await route.stop();
  }
}

async function runDialect(
  options: Options,
  dialect: Dialect,
  profileDir: string,
  shared: { constant?: Promise<ConstantLimits> },
): Promise<DialectResults> {
  const results: DialectResults = { dialect };
  const s = options.sizes;
  const db: BenchDatabase = await createBenchDatabase(dialect, options.postgresUrl);
  let raw: RawConnection | null = null;
  const dbArgs = { dialect, dataDir: db.dataDir, url: db.url, masterKey: MASTER_KEY };
  try {
    log(`setting up the community and seeding ${s.users.toLocaleString('en-US')} users' history through batch ingest`);
    const setup = await runWorker<{
      appKey: string;
      achievements: number;
      historyEvents: number;
      seedSeconds: number;
      seedEventsPerSecond: number;
      historyUnlocks: number;
    }>('setup', { ...dbArgs, users: s.users, historyEvents: s.historyEvents, historyDays: s.historyDays, seed: 1 });
    results.setup = {
      achievements: setup.achievements,
      users: s.users,
      historyEvents: setup.historyEvents,
      seedSeconds: setup.seedSeconds,
      seedEventsPerSecond: setup.seedEventsPerSecond,
      historyUnlocks: setup.historyUnlocks,
    };
    log(`  ${setup.historyEvents} events of history in ${setup.seedSeconds.toFixed(1)} s`);
    raw = openRaw(db);
    await autovacuum(raw);
    const scenario7 = async (open: RawConnection) => {
      log('Scenario 7: batch ingest with and without a webhook subscribed to every event; draining queued deliveries');
      results.notifications = await notifications(s, db, open, setup.appKey, log);
    };
    if (options.only === 'notifications') {
      await scenario7(raw);
      return results;
    }

    log('Scenario 1: engine ingest, batches of 1,000');
    const ingestArgs = { ...dbArgs, users: s.users, events: s.ingestEvents, warmupBatches: s.warmupBatches };
    results.ingest = await runWorker<IngestResult>('ingest', { ...ingestArgs, seed: 100 });
    log(`  ${Math.round(results.ingest.eventsPerSecond)} events/s`);
    log('Scenario 6: the same writes with the bare driver');
    results.rawIngest = await runWorker<IngestResult>('raw-ingest', { ...ingestArgs, seed: 200 });
    log(`  ${Math.round(results.rawIngest.eventsPerSecond)} events/s`);

    await autovacuum(raw);
    const headers = { 'x-api-key': setup.appKey, 'content-type': 'application/json' };
    if (options.profile) await profile(options, db, ingestArgs, headers, profileDir, results);

    log('Starting the server (node dist/src/cli/laurel.js serve)');
    const server = await startLaurelServer(db.env);
    // The server's peak RSS so far after each scenario, to tell which one sets it.
    const peakAfter: Record<string, number> = {};
    const bodiesFile = path.join(db.dataDir, 'bodies.json');
    try {
      const one = singleEventRequests(300, s.users)();
      const event = await request(server.url, 'POST', one.path, headers, JSON.parse(one.body as string));
      const reads = await request(server.url, 'GET', readRequests(301, s.users)().path, { 'x-api-key': setup.appKey });
      const batch = await request(server.url, 'POST', '/v1/events', headers, JSON.parse(batchRequests(302, s.users)().body));
      for (const [what, r] of [
        ['event', event],
        ['reads', reads],
        ['batch', batch],
      ] as const) {
        if (r.status >= 300) throw new Error(`Sample ${what} request answered ${r.status}: ${r.text.slice(0, 500)}`);
      }
      fs.writeFileSync(bodiesFile, JSON.stringify({ event: event.body, batch: batch.body, reads: reads.body }));
      results.bodies = { eventResponseBytes: Buffer.byteLength(event.text), readsResponseBytes: Buffer.byteLength(reads.text) };

      log(`Scenario 2: HTTP single event, ${s.connections} connections`);
      results.httpSingle = await measuredLoad(
        options,
        {
          url: server.url,
          connections: s.connections,
          seconds: s.loadSeconds,
          method: 'POST',
          headers,
          next: singleEventRequests(400, s.users),
        },
        'single event',
      );
      peakAfter.single = server.peakRss();
      log(`Scenario 2: HTTP batch, ${s.batchConnections} connections`);
      const batchLoad = await measuredLoad(
        options,
        {
          url: server.url,
          connections: s.batchConnections,
          seconds: 3600,
          amount: s.batchRequests,
          method: 'POST',
          headers,
          next: batchRequests(500, s.users),
        },
        'batch',
        { amount: s.batchWarmupRequests },
      );
      results.httpBatch = { ...batchLoad, eventsPerSecond: batchLoad.rps * 1000 };
      peakAfter.batch = server.peakRss();

      log(`Scenario 4: reads, ${s.connections} connections and 1 connection`);
      const readHeaders = { 'x-api-key': setup.appKey };
      results.reads = await measuredLoad(
        options,
        {
          url: server.url,
          connections: s.connections,
          seconds: s.loadSeconds,
          method: 'GET',
          headers: readHeaders,
          next: readRequests(600, s.users),
        },
        'reads',
      );
      results.readsSerial = await measuredLoad(
        options,
        { url: server.url, connections: 1, seconds: s.loadSeconds, method: 'GET', headers: readHeaders, next: readRequests(601, s.users) },
        'reads, 1 connection',
      );
      peakAfter.reads = server.peakRss();

      log(`Scenario 3: backfill to ${s.backfillUsers.toLocaleString('en-US')} users`);
      await backfill(options, raw, server, results);
    } finally {
      const peak = server.peakRss();
      const code = await server.stop();
      results.memory = {
        serverPeakRssBytes: peak,
        serverPeakAfter: peakAfter,
        engineWorkerPeakRssBytes: results.ingest.peakRssBytes,
        rawWorkerPeakRssBytes: results.rawIngest.peakRssBytes,
      };
      log(`Scenario 5: server peak RSS ${Math.round(peak / 1024 / 1024)} MB (server exited with ${code})`);
    }

    Object.assign(results, await twoRowLimit(options, db, raw, bodiesFile, headers));
    // Full runs measure the constant-JSON limit right after each database's run; quick runs, which
    // do both databases at once, measure it once.
    const limits =
      options.mode === 'quick'
        ? await (shared.constant ??= constantLimits(options, bodiesFile, headers))
        : await constantLimits(options, bodiesFile, headers);
    Object.assign(results, limits);
    // Last, so that the outbox events and deliveries it adds weigh on no other scenario.
    await scenario7(raw);
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${DB_NAME[dialect]} failed: ${results.error}`);
  } finally {
    await raw?.close().catch(() => undefined);
    await db.drop().catch((error: unknown) => log(`Could not drop the ${dialect} database: ${String(error)}`));
  }
  return results;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const profileDir = path.join(options.resultsDir, 'profiles', stamp);
  if (options.profile) fs.mkdirSync(profileDir, { recursive: true });
  build();

  const dialects: DialectResults[] = [];
  const runnable: Dialect[] = [];
  for (const dialect of options.dialects) {
    if (dialect !== 'postgres') {
      runnable.push(dialect);
      continue;
    }
    const problem = await postgresProblem(options.postgresUrl);
    if (problem === null) runnable.push(dialect);
    else if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required when CI=true, but ${options.postgresUrl} is unreachable: ${problem}`);
    } else {
      const why = `PostgreSQL at ${options.postgresUrl} is unreachable (${problem}); set CI=true to make this an error`;
      log(`Skipping PostgreSQL: ${why}`);
      dialects.push({ dialect, skipped: why });
    }
  }
  const info = await machine(options, runnable);
  log(`${options.mode} run on ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}`);
  const shared = {};
  const run = (dialect: Dialect) => running.run(dialect, () => runDialect(options, dialect, profileDir, shared));
  if (options.mode === 'quick') {
    // Quick runs only check that every scenario works: both databases at once, to stay well under a minute.
    dialects.push(...(await Promise.all(runnable.map(run))));
  } else {
    for (const dialect of runnable) dialects.push(await run(dialect));
  }
  dialects.sort((a, b) => options.dialects.indexOf(a.dialect) - options.dialects.indexOf(b.dialect));

  const rows = dialects.flatMap((d) => rowsOf(d));
  const report: Report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: options.mode,
    sizes: options.sizes,
    machine: info,
    dialects,
    rows,
  };
  fs.mkdirSync(options.resultsDir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const file = path.join(options.resultsDir, `${stamp}.json`);
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(options.resultsDir, 'latest.json'), json);

  const out = [
    `## Laurel benchmark (${options.mode}${options.mode === 'quick' ? ': small sizes, both databases at once; the numbers only show that each scenario runs, the targets are for the full run' : ''})`,
    '',
    `${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}, SQLite ${info.sqlite}${info.postgres ? `, ${String(info.postgres).split(' on ')[0]}` : ''}; ` +
      `${options.sizes.users.toLocaleString('en-US')} users, ${options.sizes.connections} connections, ${options.sizes.loadSeconds} s per HTTP run.`,
    '',
    markdownTable(rows),
    notes(dialects),
    `Results: ${path.relative(process.cwd(), file)} (and latest.json)` +
      (options.profile ? `; profiles: ${path.relative(process.cwd(), profileDir)}` : ''),
    '',
  ];
  process.stdout.write(out.join('\n'));
  if (options.profile) {
    for (const d of dialects) {
      for (const [name, p] of Object.entries(d.profiles ?? {})) process.stdout.write(`\n${renderSummary(name, p.summary, 15)}`);
      if (d.statements) process.stdout.write(`\n${renderStatementTimings(`${d.dialect}-statements`, d.statements)}`);
      if (d.heap) process.stdout.write(`\n${renderHeapSummary(`${d.dialect}-engine-heap`, d.heap, 15)}`);
    }
  }
  return dialects.some((d) => d.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

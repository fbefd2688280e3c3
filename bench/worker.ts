/**
 * A child process of the benchmark that drives the engine (or the bare driver) directly, so that
 * each measurement has a process of its own: its own memory peak, its own CPU profile.
 *
 *   node --import tsx bench/worker.ts <task> '<json arguments>'
 *
 * Tasks: setup (community through the admin API, then the users' history through batch ingest on a
 * clock walking through past days), ingest (scenario 1), raw-ingest (scenario 1's limit).
 * Prints one line `BENCH_RESULT {json}`.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { pino } from 'pino';
import type { Laurel } from '../src/app.js';
import type { Clock } from '../src/engine/clock.js';
import type { EventInput } from '../src/engine/ingest/ingest-events.js';
import type { Dialect } from '../src/store/dialect.js';
import { memoryOf } from './lib/children.js';
import { type BenchEvent, communityRequests, eventSource, random, timeZoneOf, userId } from './lib/community.js';
import { startCpuProfile } from './lib/cpu-profiler.js';
import { percentile } from './lib/load.js';
import { ROOT } from './lib/options.js';
import { openTwoRowWriter } from './lib/two-row-write.js';

// The engine is loaded from the compiled dist/ (as the server runs it), not through tsx: the
// same code as in production, and CPU profiles whose positions map back to src/ via source maps.
const fromDist = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist/src', file)).href)) as T;
const { createLaurel } = await fromDist<typeof import('../src/app.js')>('app.js');
const { loadSettings } = await fromDist<typeof import('../src/config.js')>('config.js');
const { DEFAULT_TENANT } = await fromDist<typeof import('../src/engine/bootstrap.js')>('engine/bootstrap.js');
const { ManualClock, systemClock } = await fromDist<typeof import('../src/engine/clock.js')>('engine/clock.js');
const { ingestEvents } = await fromDist<typeof import('../src/engine/ingest/ingest-events.js')>('engine/ingest/ingest-events.js');

const DAY = 86_400_000;
const BATCH = 1000;

interface DatabaseArgs {
  dialect: Dialect;
  dataDir: string;
  url: string | undefined;
  masterKey: string;
}

async function open(args: DatabaseArgs, clock: Clock): Promise<Laurel> {
  return createLaurel(
    loadSettings(
      {},
      { dataDir: args.dataDir, masterKey: args.masterKey, logLevel: 'silent', ...(args.url ? { databaseUrl: args.url } : {}) },
    ),
    { clock, logger: pino({ level: 'silent' }) },
  );
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The community through the admin API, an application key, then every user's history. */
async function setup(args: DatabaseArgs & { users: number; historyEvents: number; historyDays: number; seed: number }) {
  const firstDay = Math.floor(Date.now() / DAY) - args.historyDays;
  const clock = new ManualClock(firstDay * DAY + 8 * 3_600_000);
  const laurel = await open(args, clock);
  const admin = async (method: string, url: string, body: unknown) => {
    const response = await laurel.app.inject({
      method: method as 'POST',
      url,
      headers: { 'x-api-key': args.masterKey, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
    return JSON.parse(response.body) as Record<string, unknown>;
  };
  const communityStart = process.hrtime.bigint();
  let achievements = 0;
  for (const r of communityRequests()) {
    await admin(r.method, r.url, r.body);
    if (r.url.endsWith('/achievements')) achievements++;
  }
  const appKey = (await admin('POST', '/admin/v1/api-keys', { name: 'bench' })).key as string;
  const communitySeconds = seconds(communityStart);

  // History: every user once (in a shuffled order), then random users; spread over the days.
  const next = random(args.seed);
  const order = Array.from({ length: args.users }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const more = eventSource(args.seed + 1, args.users);
  const events: BenchEvent[] = Array.from({ length: Math.max(args.historyEvents, args.users) }, (_, i) => {
    const e = more();
    if (i >= order.length) return e;
    const n = order[i] as number;
    return { ...e, user: { id: userId(n), tz: timeZoneOf(n) } };
  });
  const batches = Math.ceil(events.length / BATCH);
  const perDay = Math.ceil(batches / args.historyDays);
  const seedStart = process.hrtime.bigint();
  let unlocks = 0;
  for (let b = 0; b < batches; b++) {
    const day = Math.floor(b / perDay);
    const slot = b % perDay;
    clock.set((firstDay + day) * DAY + 8 * 3_600_000 + Math.floor((slot * 12 * 3_600_000) / perDay));
    const outcomes = await ingestEvents(ctxOf(laurel), DEFAULT_TENANT, events.slice(b * BATCH, (b + 1) * BATCH), {
      locale: 'en',
      batch: true,
    });
    for (const o of outcomes) unlocks += o.response.achievements.length;
  }
  const seedSeconds = seconds(seedStart);
  await laurel.close();
  return {
    appKey,
    achievements,
    communitySeconds,
    historyEvents: events.length,
    seedSeconds,
    seedEventsPerSecond: events.length / seedSeconds,
    historyUnlocks: unlocks,
  };
}

const ctxOf = (laurel: Laurel) => laurel.ctx;

function makeBatches(seed: number, users: number, count: number): BenchEvent[][] {
  const source = eventSource(seed, users);
  const out: BenchEvent[][] = [];
  for (let i = 0; i < count; i++) out.push(Array.from({ length: BATCH }, source));
  return out;
}

interface IngestArgs extends DatabaseArgs {
  users: number;
  events: number;
  warmupBatches: number;
  seed: number;
  /** Write a CPU profile of the measured batches (not of start-up or warm-up) to this file. */
  cpuProfile?: string;
  /** After the measured batches, write a heap snapshot (what stays reachable) to this file. */
  heapSnapshot?: string;
}

function summary(batchSeconds: number[], total: number) {
  const sorted = [...batchSeconds].sort((a, b) => a - b);
  return {
    events: batchSeconds.length * BATCH,
    seconds: total,
    eventsPerSecond: (batchSeconds.length * BATCH) / total,
    batchMs: { p50: percentile(sorted, 50) * 1000, p99: percentile(sorted, 99) * 1000, max: (sorted.at(-1) ?? NaN) * 1000 },
  };
}

/** Scenario 1: batches of 1,000 through the ingest use case, one after the other. */
async function ingest(args: IngestArgs) {
  const laurel = await open(args, systemClock);
  const warm = makeBatches(args.seed, args.users, args.warmupBatches);
  const measured = makeBatches(args.seed + 7, args.users, Math.ceil(args.events / BATCH));
  const run = (batch: EventInput[]) => ingestEvents(laurel.ctx, DEFAULT_TENANT, batch, { locale: 'en', batch: true });
  for (const batch of warm) await run(batch);
  const times: number[] = [];
  let unlocks = 0;
  const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const stopProfile = args.cpuProfile ? await startCpuProfile() : null;
  const start = process.hrtime.bigint();
  for (const batch of measured) {
    const t = process.hrtime.bigint();
    const outcomes = await run(batch);
    times.push(seconds(t));
    for (const o of outcomes) unlocks += o.response.achievements.length;
    const m = process.memoryUsage();
    for (const k of Object.keys(memory) as (keyof typeof memory)[]) memory[k] = Math.max(memory[k], m[k]);
  }
  const total = seconds(start);
  if (stopProfile && args.cpuProfile) await stopProfile(args.cpuProfile);
  if (args.heapSnapshot) v8.writeHeapSnapshot(args.heapSnapshot);
  await laurel.close();
  // The highest of each process.memoryUsage() figure seen after a batch, in bytes.
  return { ...summary(times, total), unlocks, memory };
}

/** Scenario 1's limit: the same writes per event with the bare driver and no engine, one transaction per batch. */
async function rawIngest(args: IngestArgs) {
  const warm = makeBatches(args.seed, args.users, args.warmupBatches);
  const measured = makeBatches(args.seed + 7, args.users, Math.ceil(args.events / BATCH));
  const writer = await openTwoRowWriter(args);
  for (const batch of warm) await writer.write(batch);
  const times: number[] = [];
  const start = process.hrtime.bigint();
  for (const batch of measured) {
    const t = process.hrtime.bigint();
    await writer.write(batch);
    times.push(seconds(t));
  }
  const total = seconds(start);
  await writer.close();
  return summary(times, total);
}

const tasks: Record<string, (args: any) => Promise<object>> = { setup, ingest, 'raw-ingest': rawIngest };

const [task, json] = process.argv.slice(2);
const handler = tasks[task ?? ''];
if (!handler) {
  process.stderr.write(`Unknown task "${task}" (one of ${Object.keys(tasks).join(', ')})\n`);
  process.exit(2);
}
try {
  const result = await handler(JSON.parse(json ?? '{}'));
  const peak = memoryOf(process.pid)?.peak ?? process.resourceUsage().maxRSS * 1024;
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ...result, peakRssBytes: peak })}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}

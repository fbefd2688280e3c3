/**
 * The results: one row per measure, each beside its limit and its targets, rendered as a Markdown
 * table. The targets are the performance issue's table; issue 7's remain (so labelled) on the
 * measures that table does not cover; issue 13's are the notification scenario's.
 */
import type { Dialect } from '../../src/store/dialect.js';
import type { HeapSummary } from '../heap-summary.js';
import type { ProfileSummary } from '../profile-summary.js';
import type { LoadResult } from './load.js';
import type { NotificationResults } from './notifications.js';
import type { Sizes } from './options.js';
import type { StatementTiming } from './statements.js';

export interface IngestResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  batchMs: { p50: number; p99: number; max: number };
  unlocks?: number;
  peakRssBytes: number;
  /** Highest process.memoryUsage() figures seen between batches (engine only). */
  memory?: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
}

export interface BackfillResult {
  users: number;
  /** From sending the PATCH to seeing the job done, wall clock. */
  seconds: number;
  granted: number;
  awardsWritten: number;
  /** How long the PATCH took to answer, and what it said about the job. */
  patchSeconds: number;
  statusInResponse: string;
  /** Seeding the qualifying users with set-based SQL (not part of the measure). */
  seedSeconds: number;
}

export interface DialectResults {
  dialect: Dialect;
  skipped?: string;
  error?: string;
  setup?: {
    achievements: number;
    users: number;
    historyEvents: number;
    seedSeconds: number;
    seedEventsPerSecond: number;
    historyUnlocks: number;
  };
  ingest?: IngestResult;
  rawIngest?: IngestResult;
  httpSingle?: LoadResult;
  /** The two-row route (the driver limit's writes with Laurel's group commit) under the single-event load. */
  twoRowSingle?: LoadResult;
  /** Peak RSS of the two-row route's server through its run. */
  twoRowPeakRssBytes?: number;
  constantSingle?: LoadResult;
  httpBatch?: LoadResult & { eventsPerSecond: number };
  reads?: LoadResult;
  readsSerial?: LoadResult;
  constantReads?: LoadResult;
  constantReadsSerial?: LoadResult;
  /** Peak RSS of the constant-JSON server through its runs. */
  constantPeakRssBytes?: number;
  backfill?: BackfillResult;
  rawBackfill?: { seconds: number; rows: number };
  memory?: {
    serverPeakRssBytes: number;
    /** Peak so far after the single-event, batch, reads scenarios (bytes). */
    serverPeakAfter?: Record<string, number>;
    engineWorkerPeakRssBytes: number;
    rawWorkerPeakRssBytes: number;
  };
  bodies?: { eventResponseBytes: number; readsResponseBytes: number };
  profiles?: Record<string, { file: string; summary: ProfileSummary }>;
  statements?: StatementTiming[];
  /** The engine process's live heap after scenario 1's batches (--profile). */
  heap?: HeapSummary;
  notifications?: NotificationResults;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  mode: 'full' | 'quick';
  sizes: Sizes;
  machine: Record<string, string | number>;
  dialects: DialectResults[];
  rows: Row[];
}

export interface Check {
  text: string;
  pass: boolean;
}

export interface Row {
  id: string;
  scenario: string;
  dialect: Dialect;
  laurel: string;
  value: number;
  limit: string | null;
  limitValue: number | null;
  /** Laurel ÷ limit. */
  ratio: number | null;
  ratioText: string | null;
  target: Check | null;
  ratioTarget: Check | null;
}

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const s1 = (v: number) => `${v.toFixed(2)} s`;
const mb = (v: number) => `${Math.round(v / 1024 / 1024)} MB`;
const DB_NAME: Record<Dialect, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const atLeast = (value: number, min: number, text: string): Check => ({ text, pass: value >= min });
const atMost = (value: number, max: number, text: string): Check => ({ text, pass: value <= max });

/** Every measure of one dialect, each next to its limit and its targets. */
export function rowsOf(r: DialectResults): Row[] {
  const rows: Row[] = [];
  const sqlite = r.dialect === 'sqlite';
  const row = (partial: Omit<Row, 'dialect' | 'ratio' | 'ratioText'> & { ratio?: 'share' | 'times' }): void => {
    const ratio = partial.limitValue ? partial.value / partial.limitValue : null;
    const ratioText =
      ratio === null ? null : partial.ratio === 'times' ? `${ratio.toFixed(2)}× limit` : `${(100 * ratio).toFixed(1)} % of limit`;
    rows.push({ ...partial, dialect: r.dialect, ratio, ratioText });
  };

  if (r.ingest) {
    const v = r.ingest.eventsPerSecond;
    const limit = r.rawIngest?.eventsPerSecond ?? null;
    const share = sqlite ? 0.4 : 0.25;
    row({
      id: 'ingest',
      scenario: '1. Engine ingest, batches of 1,000',
      laurel: `${n0(v)} events/s`,
      value: v,
      limit: limit === null ? null : `${n0(limit)} events/s (driver, no engine)`,
      limitValue: limit,
      target: sqlite ? null : atLeast(v, 10_000, '≥ 10,000 events/s'),
      ratioTarget: limit === null ? null : atLeast(v / limit, share, `≥ ${100 * share} % of limit`),
    });
  }
  if (r.httpSingle) {
    const h = r.httpSingle;
    const c = r.constantSingle;
    const min = sqlite ? 5_000 : 2_000;
    row({
      id: 'http-single-rps',
      scenario: `2. HTTP single event, ${h.connections} connections: throughput`,
      laurel: `${n0(h.rps)} req/s`,
      value: h.rps,
      limit: c ? `${n0(c.rps)} req/s (constant JSON)` : null,
      limitValue: c?.rps ?? null,
      target: atLeast(h.rps, min, `≥ ${n0(min)} req/s`),
      ratioTarget: null,
    });
    row({
      id: 'http-single-p50',
      scenario: '2. HTTP single event: p50 latency',
      laurel: ms(h.latencyMs.p50),
      value: h.latencyMs.p50,
      limit: c ? ms(c.latencyMs.p50) : null,
      limitValue: c?.latencyMs.p50 ?? null,
      ratio: 'times',
      target: null,
      ratioTarget: null,
    });
    const max = sqlite ? 15 : 25;
    row({
      id: 'http-single-p99',
      scenario: '2. HTTP single event: p99 latency',
      laurel: ms(h.latencyMs.p99),
      value: h.latencyMs.p99,
      limit: c ? ms(c.latencyMs.p99) : null,
      limitValue: c?.latencyMs.p99 ?? null,
      ratio: 'times',
      target: atMost(h.latencyMs.p99, max, `≤ ${max} ms`),
      ratioTarget: null,
    });
    const t = r.twoRowSingle;
    row({
      id: 'http-single-route-rps',
      scenario: '2. HTTP single event vs a route doing the same two-row writes: throughput',
      laurel: `${n0(h.rps)} req/s`,
      value: h.rps,
      limit: t ? `${n0(t.rps)} req/s (two-row route, group commit)` : null,
      limitValue: t?.rps ?? null,
      target: null,
      ratioTarget: sqlite && t ? atLeast(h.rps / t.rps, 0.5, '≥ 50 % of limit') : null,
    });
    row({
      id: 'http-single-route-p50',
      scenario: '2. HTTP single event vs the two-row route: p50 latency',
      laurel: ms(h.latencyMs.p50),
      value: h.latencyMs.p50,
      limit: t ? ms(t.latencyMs.p50) : null,
      limitValue: t?.latencyMs.p50 ?? null,
      ratio: 'times',
      target: null,
      ratioTarget: null,
    });
    row({
      id: 'http-single-route-p99',
      scenario: '2. HTTP single event vs the two-row route: p99 latency',
      laurel: ms(h.latencyMs.p99),
      value: h.latencyMs.p99,
      limit: t ? ms(t.latencyMs.p99) : null,
      limitValue: t?.latencyMs.p99 ?? null,
      ratio: 'times',
      target: null,
      ratioTarget: null,
    });
  }
  if (r.httpBatch) {
    const limit = r.rawIngest?.eventsPerSecond ?? null;
    row({
      id: 'http-batch',
      scenario: `2. HTTP batch POST /v1/events (1,000 events), ${r.httpBatch.connections} connections`,
      laurel: `${n0(r.httpBatch.eventsPerSecond)} events/s`,
      value: r.httpBatch.eventsPerSecond,
      limit: limit === null ? null : `${n0(limit)} events/s (driver, no engine)`,
      limitValue: limit,
      target: null,
      ratioTarget: null,
    });
  }
  if (r.backfill) {
    const b = r.backfill;
    const limit = r.rawBackfill?.seconds ?? null;
    row({
      id: 'backfill',
      scenario: `3. Backfill to ${n0(b.users)} qualifying users`,
      laurel: s1(b.seconds),
      value: b.seconds,
      limit: limit === null ? null : `${s1(limit)} (bare INSERT … SELECT)`,
      limitValue: limit,
      ratio: 'times',
      target: atMost(b.seconds, 10, b.users === 1_000_000 ? '≤ 10 s (issue 7)' : '≤ 10 s (issue 7, for 1,000,000)'),
      ratioTarget: limit === null ? null : atMost(b.seconds / limit, 2, '≤ 2× limit (issue 7)'),
    });
  }
  if (r.reads) {
    const c = r.constantReads;
    row({
      id: 'reads-rps',
      scenario: `4. GET user achievements (100, with progress), ${r.reads.connections} connections: throughput`,
      laurel: `${n0(r.reads.rps)} req/s`,
      value: r.reads.rps,
      limit: c ? `${n0(c.rps)} req/s (constant JSON, same body)` : null,
      limitValue: c?.rps ?? null,
      target: null,
      ratioTarget: null,
    });
    row({
      id: 'reads-p99',
      scenario: `4. GET user achievements, ${r.reads.connections} connections: p99 latency`,
      laurel: ms(r.reads.latencyMs.p99),
      value: r.reads.latencyMs.p99,
      limit: c ? ms(c.latencyMs.p99) : null,
      limitValue: c?.latencyMs.p99 ?? null,
      ratio: 'times',
      target: null,
      ratioTarget: c ? atMost(r.reads.latencyMs.p99 / c.latencyMs.p99, 1.5, '≤ 1.5× limit') : null,
    });
  }
  if (r.readsSerial) {
    const max = sqlite ? 5 : 10;
    row({
      id: 'reads-serial-p99',
      scenario: '4. GET user achievements, 1 connection: p99 latency',
      laurel: ms(r.readsSerial.latencyMs.p99),
      value: r.readsSerial.latencyMs.p99,
      limit: r.constantReadsSerial ? ms(r.constantReadsSerial.latencyMs.p99) : null,
      limitValue: r.constantReadsSerial?.latencyMs.p99 ?? null,
      ratio: 'times',
      target: atMost(r.readsSerial.latencyMs.p99, max, `≤ ${max} ms (issue 7)`),
      ratioTarget: null,
    });
  }
  if (r.memory) {
    row({
      id: 'rss-server',
      scenario: '5. Peak RSS of the server process (scenarios 2–4)',
      laurel: mb(r.memory.serverPeakRssBytes),
      value: r.memory.serverPeakRssBytes / 1024 / 1024,
      limit: r.constantPeakRssBytes ? `${mb(r.constantPeakRssBytes)} (constant-JSON server)` : null,
      limitValue: r.constantPeakRssBytes ? r.constantPeakRssBytes / 1024 / 1024 : null,
      ratio: 'times',
      target: atMost(r.memory.serverPeakRssBytes / 1024 / 1024, 250, '≤ 250 MB'),
      ratioTarget: null,
    });
    row({
      id: 'rss-engine',
      scenario: '5. Peak RSS of the engine process (scenario 1)',
      laurel: mb(r.memory.engineWorkerPeakRssBytes),
      value: r.memory.engineWorkerPeakRssBytes / 1024 / 1024,
      limit: `${mb(r.memory.rawWorkerPeakRssBytes)} (driver, no engine)`,
      limitValue: r.memory.rawWorkerPeakRssBytes / 1024 / 1024,
      ratio: 'times',
      target: atMost(r.memory.engineWorkerPeakRssBytes / 1024 / 1024, 300, '≤ 300 MB (issue 7)'),
      ratioTarget: null,
    });
  }
  if (r.notifications) {
    const w = r.notifications;
    const ratio = (a: number, b: number) => atLeast(a / b, 0.9, '≥ 90 % of limit (issue 13)');
    row({
      id: 'webhook-ingest',
      scenario: '7. HTTP batch ingest with one subscribed webhook: while sending',
      laurel: `${n0(w.withWebhook.eventsPerSecond)} events/s`,
      value: w.withWebhook.eventsPerSecond,
      limit: `${n0(w.withoutWebhook.eventsPerSecond)} events/s (same ingest, webhook disabled)`,
      limitValue: w.withoutWebhook.eventsPerSecond,
      target: null,
      ratioTarget: ratio(w.withWebhook.eventsPerSecond, w.withoutWebhook.eventsPerSecond),
    });
    row({
      id: 'webhook-ingest-sustained',
      scenario: '7. HTTP batch ingest with one subscribed webhook: until every event is delivered',
      laurel: `${n0(w.withWebhook.sustainedEventsPerSecond)} events/s`,
      value: w.withWebhook.sustainedEventsPerSecond,
      limit: `${n0(w.withoutWebhook.sustainedEventsPerSecond)} events/s (same ingest, webhook disabled)`,
      limitValue: w.withoutWebhook.sustainedEventsPerSecond,
      target: null,
      ratioTarget: ratio(w.withWebhook.sustainedEventsPerSecond, w.withoutWebhook.sustainedEventsPerSecond),
    });
    const target = w.drain.deliveries === 10_000 ? '≤ 10 s (issue 13)' : '≤ 10 s (issue 13, for 10,000)';
    row({
      id: 'webhook-drain',
      scenario: `7. ${n0(w.drain.deliveries)} queued deliveries drained to a local receiver`,
      laurel: s1(w.drain.seconds),
      value: w.drain.seconds,
      limit: null,
      limitValue: null,
      target: sqlite ? atMost(w.drain.seconds, 10, target) : null,
      ratioTarget: null,
    });
  }
  return rows;
}

const mark = (c: Check | null) => (c === null ? '' : c.pass ? 'met' : '**missed**');

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| Scenario | DB | Laurel | Limit (same run) | Laurel vs limit | Target | Met | Target vs limit | Met |',
    '|---|---|---:|---:|---:|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.scenario} | ${DB_NAME[r.dialect]} | ${r.laurel} | ${r.limit ?? '—'} | ${r.ratioText ?? '—'} | ${r.target?.text ?? '—'} | ${mark(r.target)} | ${r.ratioTarget?.text ?? '—'} | ${mark(r.ratioTarget)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Lines under the table: what each dialect's run did besides the measures. */
export function notes(results: readonly DialectResults[]): string {
  const out: string[] = [];
  for (const r of results) {
    const name = DB_NAME[r.dialect];
    if (r.skipped) {
      out.push(`- ${name}: skipped: ${r.skipped}`);
      continue;
    }
    if (r.error) out.push(`- ${name}: **error**: ${r.error.split('\n')[0]}`);
    if (r.setup) {
      out.push(
        `- ${name}: community of ${r.setup.achievements} active achievements; ${n0(r.setup.users)} users seeded with ${n0(r.setup.historyEvents)} events of history through batch ingest ` +
          `(${n0(r.setup.seedEventsPerSecond)} events/s, ${(r.setup.historyUnlocks / r.setup.historyEvents).toFixed(2)} unlocks per event).`,
      );
    }
    if (r.ingest) {
      out.push(
        `- ${name}, scenario 1: ${n0(r.ingest.events)} events, ${((r.ingest.unlocks ?? 0) / r.ingest.events).toFixed(2)} unlocks per event; ` +
          `batch time p50 ${ms(r.ingest.batchMs.p50)}, p99 ${ms(r.ingest.batchMs.p99)} (driver only: p50 ${r.rawIngest ? ms(r.rawIngest.batchMs.p50) : '—'})` +
          (r.ingest.memory
            ? `; memory between batches at most: heap ${mb(r.ingest.memory.heapUsed)} used of ${mb(r.ingest.memory.heapTotal)}, external ${mb(r.ingest.memory.external)}, RSS ${mb(r.ingest.memory.rss)}.`
            : '.'),
      );
    }
    for (const [label, l] of [
      ['single event', r.httpSingle],
      ['two-row route (single event)', r.twoRowSingle],
      ['constant JSON (single event)', r.constantSingle],
      ['batch', r.httpBatch],
      ['reads', r.reads],
      ['reads, 1 connection', r.readsSerial],
      ['constant JSON (reads)', r.constantReads],
      ['constant JSON (reads, 1 connection)', r.constantReadsSerial],
    ] as const) {
      if (!l) continue;
      const bad = l.non2xx + l.errors + l.timeouts;
      out.push(
        `- ${name}, HTTP ${label}: ${n0(l.requests)} requests in ${l.seconds.toFixed(1)} s, latency p50 ${ms(l.latencyMs.p50)} / p90 ${ms(l.latencyMs.p90)} / p99 ${ms(l.latencyMs.p99)} / max ${ms(l.latencyMs.max)}` +
          (bad > 0
            ? `; **${l.non2xx} non-2xx ${JSON.stringify(l.statusCodes)}, ${l.errors} errors, ${l.timeouts} timeouts**`
            : '; no errors'),
      );
    }
    if (r.backfill) {
      const b = r.backfill;
      out.push(
        `- ${name}, scenario 3: PATCH answered in ${s1(b.patchSeconds)} with status "${b.statusInResponse}"; job granted ${n0(b.granted)}, ${n0(b.awardsWritten)} award rows found ` +
          `(qualifying users seeded with set-based SQL in ${s1(b.seedSeconds)}).`,
      );
    }
    const after = r.memory?.serverPeakAfter;
    if (after && r.memory) {
      const steps = Object.entries(after).map(([scenario, bytes]) => `${mb(bytes)} after ${scenario}`);
      out.push(`- ${name}, server peak RSS so far: ${[...steps, `${mb(r.memory.serverPeakRssBytes)} after backfill`].join(', ')}.`);
    }
    if (r.notifications) {
      const w = r.notifications;
      out.push(
        `- ${name}, scenario 7: ${w.rounds} measured rounds of each kind, alternating (${n0(w.withWebhook.events)} events with the webhook, ${n0(w.withoutWebhook.events)} without); ` +
          `${w.deliveriesPerEvent.toFixed(2)} deliveries per event; after a round with the webhook, every delivery made ${s1(w.catchUpSeconds.mean)} later on average (at most ${s1(w.catchUpSeconds.max)}); ` +
          `server CPU per 1,000 events until delivered: ${n0(w.withWebhook.serverCpuMsPerThousand)} ms with the webhook, ${n0(w.withoutWebhook.serverCpuMsPerThousand)} ms without; ` +
          `drain ${n0(w.drain.perSecond)} deliveries/s, server CPU ${s1(w.drain.serverCpuSeconds)}; server peak RSS ${mb(w.serverPeakRssBytes)}.`,
      );
    }
    if (r.twoRowPeakRssBytes) out.push(`- ${name}, two-row route: peak RSS ${mb(r.twoRowPeakRssBytes)}.`);
    if (r.bodies) {
      out.push(
        `- ${name}: response sizes: event ${n0(r.bodies.eventResponseBytes)} bytes, user achievements ${n0(r.bodies.readsResponseBytes)} bytes.`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

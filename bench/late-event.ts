/**
 * The cost of one event arriving on time versus 29 days late, for a user with a year of daily
 * history and for a new user, through the ingest use case on SQLite. Prints time per event and
 * SQL statements per event: cost must follow the achievements touched, not the history.
 *
 *   npx tsx bench/late-event.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createLaurel } from '../src/app.js';
import { loadSettings } from '../src/config.js';
import { DEFAULT_TENANT } from '../src/engine/bootstrap.js';
import { ManualClock } from '../src/engine/clock.js';
import { ingestEvents } from '../src/engine/ingest/ingest-events.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T12:00:00Z');
const RUNS = Number(process.env.RUNS ?? 2000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-bench-late-'));
let statements = 0;
const clock = new ManualClock(NOW);
const laurel = await createLaurel(loadSettings({}, { dataDir, masterKey: 'bench', logLevel: 'silent' }), {
  clock,
  logger: pino({ level: 'silent' }),
  onQuery: () => statements++,
});
const { ctx } = laurel;
const admin = (method: string, url: string, body: object) =>
  laurel.app.inject({
    method: method as 'POST',
    url,
    headers: { 'x-api-key': 'bench', 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

await admin('PATCH', '/admin/v1/settings', { lateEventHorizonDays: 400 });
await admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'act' }] });
const achievement = (key: string, criteria: object, policies: object = {}) =>
  admin('POST', '/admin/v1/achievements', {
    key,
    name: key,
    status: 'active',
    criteria: { type: 'metric', metric: 'act', ...criteria },
    policies,
  });
await achievement('lifetime', { threshold: 1e12 });
await achievement('window90', { measure: 'count', threshold: 1e9, window: { days: 90 } });
await achievement('weekly', { threshold: 1e12, period: { unit: 'week' } }, { repeat: 'per_period' });
await admin('POST', '/admin/v1/achievements', {
  key: 'streak400',
  name: 'streak400',
  status: 'active',
  criteria: { type: 'streak', length: 400 },
});

// A year of daily history for "veteran".
const history = Array.from({ length: 365 }, (_, d) => ({
  metric: 'act',
  user: { id: 'veteran', tz: 'Europe/Berlin' },
  value: 1,
  timestamp: new Date(NOW - (365 - d) * DAY).toISOString(),
}));
for (let i = 0; i < history.length; i += 1000)
  await ingestEvents(ctx, DEFAULT_TENANT, history.slice(i, i + 1000), { locale: 'en', batch: true });
await admin('PATCH', '/admin/v1/settings', { lateEventHorizonDays: 30 });

async function measure(user: string, late: boolean) {
  statements = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) {
    const timestamp = new Date(late ? NOW - 29 * DAY + i : NOW - RUNS + i).toISOString();
    await ingestEvents(ctx, DEFAULT_TENANT, [{ metric: 'act', user: { id: user, tz: 'Europe/Berlin' }, value: 1, timestamp }], {
      locale: 'en',
      batch: false,
    });
  }
  const micros = Number(process.hrtime.bigint() - start) / 1000 / RUNS;
  return { microsPerEvent: Math.round(micros), statementsPerEvent: statements / RUNS };
}

// Warm up, then measure.
await measure('warmup', false);
const rows = [
  ['new user, on time', await measure('newcomer', false)],
  ['new user, 29 days late', await measure('newcomer-late', true)],
  ['a year of history, on time', await measure('veteran', false)],
  ['a year of history, 29 days late', await measure('veteran', true)],
] as const;

console.log(`| event | µs per event | SQL statements per event |\n|---|---|---|`);
for (const [name, r] of rows) console.log(`| ${name} | ${r.microsPerEvent} | ${r.statementsPerEvent} |`);
await laurel.close();
fs.rmSync(dataDir, { recursive: true, force: true });

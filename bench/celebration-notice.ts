/**
 * What the celebration NOTIFY costs ingest on PostgreSQL, in its worst case: every event unlocks an
 * achievement and a level, so every transaction sends one. Each single event is sent with or
 * without the NOTIFY at random (a paired comparison, robust to a machine whose load drifts), then
 * 32 concurrent senders alternate blocks with and without. Prints medians.
 *
 *   npx tsx bench/celebration-notice.ts
 */
import { pino } from 'pino';
import { createLaurel } from '../src/app.js';
import { loadSettings } from '../src/config.js';
import { CelebrationNews } from '../src/store/celebration-news.js';
import { createBenchDatabase } from './lib/databases.js';

const KEY = 'bench-celebration-notice-key';
const SINGLES = Number(process.env.RUNS ?? 3000);
const BLOCKS = 12;
const BLOCK = 600;

// Without news, a transaction sends no NOTIFY (and there are no streams here to wake).
const gather = CelebrationNews.prototype.add;
let notifying = true;
CelebrationNews.prototype.add = function (tenant, userIds) {
  if (notifying) gather.call(this, tenant, userIds);
};

const database = await createBenchDatabase('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const laurel = await createLaurel(
  loadSettings({}, { dataDir: database.dataDir, masterKey: KEY, logLevel: 'silent', databaseUrl: database.url, databasePoolSize: 10 }),
  { logger: pino({ level: 'silent' }) },
);
const call = (url: string, body: unknown) =>
  laurel.app.inject({
    method: 'POST',
    url,
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
await call('/admin/v1/points-systems', { key: 'xp', name: 'XP', levels: [{ key: 'pro', name: 'Pro', points: 50 }] });
await call('/admin/v1/achievements', {
  key: 'first',
  name: 'First',
  criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
  rewards: [{ type: 'points', system: 'xp', amount: 60 }],
  status: 'active',
});
let users = 0;
const unlock = async () => {
  const reply = await call('/v1/metrics/lessons/event', { user: { id: `u${users++}` }, value: 1 });
  if (reply.statusCode !== 201) throw new Error(reply.body);
};
for (let i = 0; i < 300; i++) await unlock();

const quantile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)] as number;
const ms = { with: [] as number[], without: [] as number[] };
for (let i = 0; i < SINGLES; i++) {
  notifying = Math.random() < 0.5;
  const start = performance.now();
  await unlock();
  ms[notifying ? 'with' : 'without'].push(performance.now() - start);
}
const rates = { with: [] as number[], without: [] as number[] };
for (let block = 0; block < BLOCKS; block++) {
  notifying = block % 2 === 0;
  let left = BLOCK;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (left-- > 0) await unlock();
    }),
  );
  rates[notifying ? 'with' : 'without'].push(BLOCK / ((performance.now() - start) / 1000));
}
await laurel.close();
await database.drop();

const f = (x: number, digits = 2) => x.toFixed(digits);
console.log(`single events, ms (median / p90): with NOTIFY ${f(quantile(ms.with, 0.5))} / ${f(quantile(ms.with, 0.9))},`);
console.log(
  `  without ${f(quantile(ms.without, 0.5))} / ${f(quantile(ms.without, 0.9))} (${ms.with.length} and ${ms.without.length} events)`,
);
console.log(
  `32 concurrent senders, events/s (median of ${BLOCKS / 2} blocks each): with ${f(quantile(rates.with, 0.5), 0)}, without ${f(quantile(rates.without, 0.5), 0)}`,
);

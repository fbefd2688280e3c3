/** Command-line options of `npm run bench` and the sizes of each mode. */
import path from 'node:path';
import type { Dialect } from '../../src/store/dialect.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Sizes {
  /** Users in the community (seeded through the engine with their history). */
  users: number;
  /** Events of history seeded through the engine (every user gets at least one). */
  historyEvents: number;
  /** Days the history is spread over (the seed runs on a clock that walks through them). */
  historyDays: number;
  /** Events of scenario 1 (engine ingest), after a warm-up of `warmupBatches` batches. */
  ingestEvents: number;
  warmupBatches: number;
  /** Users who already qualify for the achievement activated in scenario 3. */
  backfillUsers: number;
  /** Seconds of each autocannon run, and of the warm-up before it. */
  loadSeconds: number;
  warmupSeconds: number;
  /** Connections of the single-event and read runs. */
  connections: number;
  /** The batch run sends this many 1,000-event requests (after `batchWarmupRequests`) over `batchConnections`. */
  batchConnections: number;
  batchRequests: number;
  batchWarmupRequests: number;
  /**
   * Scenario 7: rounds of batch ingest without and with a subscribed webhook, alternating (after a
   * warm-up round of each), each round `webhookRoundRequests` 1,000-event requests.
   */
  webhookRounds: number;
  webhookRoundRequests: number;
  /** Scenario 7: undelivered outbox events written at once, then timed until all are delivered. */
  drainDeliveries: number;
}

export const FULL: Sizes = {
  users: 100_000,
  historyEvents: 200_000,
  historyDays: 28,
  ingestEvents: 100_000,
  warmupBatches: 5,
  backfillUsers: 1_000_000,
  loadSeconds: 20,
  warmupSeconds: 3,
  connections: 32,
  batchConnections: 4,
  batchRequests: 40,
  batchWarmupRequests: 4,
  webhookRounds: 4,
  webhookRoundRequests: 10,
  drainDeliveries: 10_000,
};

export const QUICK: Sizes = {
  users: 2_000,
  historyEvents: 2_000,
  historyDays: 7,
  ingestEvents: 3_000,
  warmupBatches: 1,
  backfillUsers: 20_000,
  loadSeconds: 1,
  warmupSeconds: 0.2,
  connections: 32,
  batchConnections: 2,
  batchRequests: 2,
  batchWarmupRequests: 0,
  webhookRounds: 1,
  webhookRoundRequests: 1,
  drainDeliveries: 500,
};

export interface Options {
  mode: 'full' | 'quick';
  sizes: Sizes;
  dialects: Dialect[];
  /** Where `<timestamp>.json` and `latest.json` go. */
  resultsDir: string;
  /** Also profile scenario 1 and the single-event HTTP run (`--cpu-prof`), and summarise the profiles. */
  profile: boolean;
  postgresUrl: string;
  /** `--only notifications`: set up the community, then run scenario 7 alone. */
  only: 'notifications' | undefined;
}

export function parseOptions(argv: readonly string[]): Options {
  const args = [...argv];
  const value = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const known = new Set(['--quick', '--profile', '--dialect', '--results-dir', '--only', '--help']);
  for (const a of args) {
    if (a.startsWith('--') && !known.has(a)) throw new Error(`Unknown option ${a} (see --help)`);
  }
  if (args.includes('--help')) {
    process.stdout.write(
      [
        'npm run bench [-- options]',
        '  --quick              every scenario at a small size (well under a minute)',
        '  --dialect <d>        sqlite, postgres or both (default both; PostgreSQL is skipped if unreachable unless CI=true)',
        '  --profile            also run scenario 1 and the single-event HTTP run under --cpu-prof and summarise the profiles',
        '  --results-dir <dir>  where to write <timestamp>.json and latest.json (default bench/results)',
        '  --only notifications set up the community, then run only scenario 7 (webhooks)',
        'Environment: LAUREL_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server;',
        '  each run creates its own database there and drops it afterwards.',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const quick = args.includes('--quick');
  const dialect = value('--dialect') ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(dialect)) throw new Error(`--dialect must be sqlite, postgres or both (got ${dialect})`);
  const only = value('--only');
  if (only !== undefined && only !== 'notifications') throw new Error(`--only must be notifications (got ${only})`);
  return {
    mode: quick ? 'quick' : 'full',
    sizes: quick ? QUICK : FULL,
    dialects: dialect === 'both' ? ['sqlite', 'postgres'] : [dialect as Dialect],
    resultsDir: path.resolve(value('--results-dir') ?? path.join(ROOT, 'bench/results')),
    profile: args.includes('--profile'),
    postgresUrl: process.env.LAUREL_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    only,
  };
}

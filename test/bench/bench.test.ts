/**
 * Keeps the benchmark harness alive: `npm run bench -- --quick` must run every scenario on every
 * database (1–7, 7 being the notifications of issue 13) and produce its table and JSON. It asserts
 * nothing about speed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECTS, POSTGRES_URL } from '../support/dialects.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One row per measure and database, each scenario 1–7 (6 being the limits beside them). */
const MEASURES = [
  'ingest',
  'http-single-rps',
  'http-single-p50',
  'http-single-p99',
  'http-single-route-rps',
  'http-single-route-p50',
  'http-single-route-p99',
  'http-batch',
  'backfill',
  'reads-rps',
  'reads-p99',
  'reads-serial-p99',
  'rss-server',
  'rss-engine',
  'webhook-ingest',
  'webhook-ingest-sustained',
  'webhook-drain',
];
/** Measures printed next to a limit measured in the same run (scenario 6). */
const WITH_LIMIT = [
  'ingest',
  'http-single-rps',
  'http-single-p99',
  'http-single-route-rps',
  'http-single-route-p50',
  'http-single-route-p99',
  'http-batch',
  'backfill',
  'reads-rps',
  'reads-p99',
  'reads-serial-p99',
  'rss-server',
  'rss-engine',
  'webhook-ingest',
  'webhook-ingest-sustained',
];
const DB_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** What this test reads of the run's JSON (bench/results/latest.json). */
interface Report {
  mode: string;
  sizes: { backfillUsers: number };
  machine: { nproc: number };
  dialects: { dialect: string; error?: string; skipped?: string; backfill?: { awardsWritten: number } }[];
  rows: {
    id: string;
    dialect: string;
    scenario: string;
    laurel: string;
    value: number;
    limitValue: number | null;
    target: { text: string; pass: boolean } | null;
    ratioTarget: { text: string; pass: boolean } | null;
  }[];
}

describe('npm run bench -- --quick', () => {
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-bench-test-'));
  afterAll(() => fs.rmSync(resultsDir, { recursive: true, force: true }));

  it('runs every scenario on every database and writes a Markdown table and JSON', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--results-dir', resultsDir], {
      cwd: ROOT,
      env: { ...process.env, LAUREL_BENCH_DATABASE_URL: POSTGRES_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    expect(stdout).toContain('| Scenario | DB | Laurel | Limit (same run) | Laurel vs limit | Target | Met | Target vs limit | Met |');
    const files = fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
    expect(files).toContain('latest.json');
    expect(files.filter((f) => f !== 'latest.json')).toHaveLength(1);
    const report = JSON.parse(fs.readFileSync(path.join(resultsDir, 'latest.json'), 'utf8')) as Report;
    expect(report.mode).toBe('quick');
    expect(report.machine.nproc).toBeGreaterThan(0);

    for (const dialect of ['sqlite', 'postgres'] as const) {
      const results = report.dialects.find((d) => d.dialect === dialect);
      if (!DIALECTS.includes(dialect)) {
        // Only without CI=true, and only when PostgreSQL is unreachable: the run says why it skipped.
        expect(results?.skipped).toMatch(/unreachable/);
        continue;
      }
      expect(results?.error).toBeUndefined();
      expect(results?.skipped).toBeUndefined();
      const rows = report.rows.filter((r) => r.dialect === dialect);
      expect(rows.map((r) => r.id)).toEqual(MEASURES);
      for (const row of rows) {
        expect(Number.isFinite(row.value) && row.value > 0, `${dialect} ${row.id} = ${row.value}`).toBe(true);
        if (WITH_LIMIT.includes(row.id)) expect(row.limitValue, `${dialect} ${row.id} limit`).toBeGreaterThan(0);
        expect(stdout).toContain(`| ${row.scenario} | ${DB_NAME[dialect]} | ${row.laurel} |`);
      }
      // The targets, each judged in the table.
      const targets = Object.fromEntries(rows.map((r) => [r.id, [r.target?.text, r.ratioTarget?.text]]));
      const sqlite = dialect === 'sqlite';
      expect(targets.ingest).toEqual(sqlite ? [undefined, '≥ 40 % of limit'] : ['≥ 10,000 events/s', '≥ 25 % of limit']);
      expect(targets['http-single-rps']?.[0]).toBe(sqlite ? '≥ 5,000 req/s' : '≥ 2,000 req/s');
      expect(targets['http-single-p99']?.[0]).toBe(sqlite ? '≤ 15 ms' : '≤ 25 ms');
      expect(targets['http-single-route-rps']?.[1]).toBe(sqlite ? '≥ 50 % of limit' : undefined);
      expect(targets['reads-p99']?.[1]).toBe('≤ 1.5× limit');
      expect(targets['rss-server']?.[0]).toBe('≤ 250 MB');
      expect(targets['webhook-ingest']?.[1]).toBe('≥ 90 % of limit (issue 13)');
      expect(targets['webhook-ingest-sustained']?.[1]).toBe('≥ 90 % of limit (issue 13)');
      expect(targets['webhook-drain']?.[0]).toBe(sqlite ? '≤ 10 s (issue 13, for 10,000)' : undefined);
      for (const row of rows) {
        for (const check of [row.target, row.ratioTarget]) {
          if (check) expect(stdout).toContain(`| ${check.text} | ${check.pass ? 'met' : '**missed**'} |`);
        }
      }
      expect(results?.backfill?.awardsWritten).toBe(report.sizes.backfillUsers);
    }
  }, 300_000);
});

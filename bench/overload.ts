/**
 * Overload: many connections sending single events to one Laurel process (from source, on SQLite
 * unless DATABASE_URL is set), counting what came back. A measurement, not a test: it shows whether
 * latency stays bounded when clients ask for more than the process can do.
 *
 *   node --import tsx bench/overload.ts [--connections 1000] [--seconds 10] [--timeout 10]
 *                                       [--events-per-second N]
 *
 * LAUREL_* variables in the environment reach the server (e.g. LAUREL_MAX_QUEUED_EVENTS).
 * `--events-per-second` sets the community's rateLimits.eventsPerSecond for the run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { load, request } from './lib/load.js';
import { ROOT } from './lib/options.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '10' },
    'events-per-second': { type: 'string' },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
/** Users the events are spread over (each one's total is read back at the end). */
const USERS = 500;
const MASTER_KEY = 'laurel-overload-master-key-0123456789';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-overload-'));
const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/laurel.ts'), 'serve'], {
  cwd: ROOT,
  env: {
    ...process.env,
    LAUREL_PORT: '0',
    LAUREL_HOST: '127.0.0.1',
    LAUREL_LOG_LEVEL: 'warn',
    LAUREL_MASTER_KEY: MASTER_KEY,
    LAUREL_DATA_DIR: dataDir,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));
const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

try {
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Laurel did not start:\n${output}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`Laurel exited with ${code}:\n${output}`)));
    child.stdout.on('data', () => {
      const match = output.match(/listening on (http:\/\/[^\s]+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
  });
  const admin = { 'x-api-key': MASTER_KEY };
  const key = (await request<{ key: string }>(url, 'POST', '/admin/v1/api-keys', admin, { name: 'overload' })).body.key;
  const eventsPerSecond = values['events-per-second'];
  if (eventsPerSecond !== undefined) {
    const set = await request(url, 'PATCH', '/admin/v1/settings', admin, { rateLimits: { eventsPerSecond: Number(eventsPerSecond) } });
    if (set.status !== 200) throw new Error(`Setting the rate limit failed: ${set.status} ${set.text}`);
  }
  await request(url, 'POST', '/v1/metrics/steps/event', { 'x-api-key': key }, { user: { id: 'warm-up' }, value: 1 });

  let n = 0;
  const result = await load({
    url,
    connections,
    seconds,
    timeoutS: Number(values.timeout),
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    next: () => ({ path: '/v1/metrics/steps/event', body: JSON.stringify({ user: { id: `u${n++ % USERS}` }, value: 1 }) }),
  });

  // Every acknowledged event must be in the users' totals (which may hold more: an event can
  // commit after its client gave up waiting).
  let stored = 0;
  for (let u = 0; u < USERS; u++) {
    const metric = await request<{ current: number }>(url, 'GET', `/v1/users/u${u}/metrics/steps`, { 'x-api-key': key });
    stored += metric.status === 200 ? metric.body.current : 0;
  }
  const ok = (s: string) => Number(s) >= 200 && Number(s) < 300;
  const report = {
    connections,
    seconds: result.seconds,
    '2xx': result.requests,
    ...Object.fromEntries(Object.entries(result.statusCodes).filter(([s]) => !ok(s))),
    errors: result.errors,
    timeouts: result.timeouts,
    '2xx per second': Math.round(result.rps),
    'p50 ms (2xx)': Math.round(result.latencyMs.p50),
    'p99 ms (2xx)': Math.round(result.latencyMs.p99),
    'max ms (2xx)': Math.round(result.latencyMs.max),
    'p99 ms (all answers)': Math.round(result.allLatencyMs.p99),
    'events in the totals': stored,
    'acknowledged events all stored': stored >= result.requests,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  child.kill('SIGTERM');
  await exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
}

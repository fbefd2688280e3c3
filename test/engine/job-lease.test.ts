/**
 * A job whose process dies mid-run (kill -9) is taken over by another process, or the same one
 * restarted, once its lease runs out, which is seconds away, not minutes; a live process keeps its
 * long job by renewing the lease.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../src/engine/bootstrap.js';
import { ManualClock } from '../../src/engine/clock.js';
import { JobRunner } from '../../src/engine/jobs.js';
import { unavailableError } from '../../src/store/availability.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const silent = pino({ level: 'silent' });

describe.each(DIALECTS)('job leases (%s)', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  async function openStore(): Promise<{ store: Store; dataDir: string; url: string; schema: string }> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-lease-'));
    const schema = dialect === 'postgres' ? await createSchema() : null;
    cleanup.push(async () => {
      await schema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const url = schema ? POSTGRES_URL : '';
    const store = new Store(openDatabase({ dataDir, url: url || undefined, schema: schema?.name }));
    cleanup.push(() => store.close());
    await migrateToLatest(store.database);
    return { store, dataDir, url, schema: schema?.name ?? '' };
  }

  it('hands the job of a killed process to the next runner within seconds', async () => {
    const { store, dataDir, url, schema } = await openStore();
    const now = Date.now();
    await store.read.jobs.enqueue(DEFAULT_TENANT, { id: 'held-1', kind: 'held', payload: {}, runAt: now }, now);

    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/job-holder.ts'), dataDir, url, schema], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('claimed') && resolve());
      holder.on('exit', (code) => reject(new Error(`The job holder exited early (${code})`)));
    });
    expect(await store.read.jobs.get('held-1')).toMatchObject({ status: 'running' });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    holder.kill('SIGKILL');
    await exited;

    // The restarted process, 20 seconds later: the dead process's claim must have run out by then.
    const clock = new ManualClock(Date.now() + 20_000);
    const runner = new JobRunner(store, clock, silent);
    runner.register('held', async () => ({ finished: true }));
    await runner.drain();
    expect(await store.read.jobs.get('held-1')).toMatchObject({ status: 'done', result: { finished: true } });
  }, 30_000);

  // On SQLite a job's transaction holds the one connection: nothing else can claim it meanwhile.
  it.skipIf(dialect === 'sqlite')(
    'keeps a long job with its process while the process lives',
    async () => {
      const { store } = await openStore();
      const clock = new ManualClock(Date.now());
      await store.read.jobs.enqueue(DEFAULT_TENANT, { id: 'long-1', kind: 'long', payload: {}, runAt: clock.now() }, clock.now());
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const owner = new JobRunner(store, clock, silent, { heartbeatMs: 20 });
      owner.register('long', async () => {
        await gate;
        return { by: 'owner' };
      });
      const running = owner.waitFor('long-1', 60_000);
      while ((await store.read.jobs.get('long-1'))?.status !== 'running') await new Promise((r) => setTimeout(r, 10));

      // Time passes well beyond one lease; the owner's heartbeat renews it from the new now.
      clock.advance(60_000);
      const renewed = clock.now();
      while (((await store.read.jobs.get('long-1'))?.lockedUntil ?? 0) <= renewed) await new Promise((r) => setTimeout(r, 10));
      const other = new JobRunner(store, clock, silent);
      other.register('long', async () => ({ by: 'other' }));
      await other.drain();
      expect(await store.read.jobs.get('long-1')).toMatchObject({ status: 'running' });

      release();
      expect(await running).toMatchObject({ status: 'done', result: { by: 'owner' } });
    },
    30_000,
  );

  it('ignores renewing, finishing or failing a claim another claim took over', async () => {
    const { store } = await openStore();
    const t = Date.now();
    await store.read.jobs.enqueue(DEFAULT_TENANT, { id: 'taken-1', kind: 'taken', payload: {}, runAt: t }, t);
    const stale = await store.read.jobs.claim(t, 1_000);
    const current = await store.read.jobs.claim(t + 2_000, 1_000);
    if (!stale || !current) throw new Error('Both claims should have taken the job');

    expect(await store.read.jobs.renew(stale, t + 60_000, t + 2_000)).toBe(false);
    expect(await store.read.jobs.fail(stale, 'boom', t + 60_000, t + 2_000)).toBe(false);
    expect(await store.read.jobs.finish(stale, { by: 'stale' }, t + 2_000)).toBe(false);
    expect(await store.read.jobs.get('taken-1')).toMatchObject({
      status: 'running',
      lockedUntil: t + 3_000,
      lastError: null,
      result: null,
    });

    expect(await store.read.jobs.renew(current, t + 4_000, t + 2_000)).toBe(true);
    expect(await store.read.jobs.finish(current, { by: 'current' }, t + 2_000)).toBe(true);
    expect(await store.read.jobs.get('taken-1')).toMatchObject({ status: 'done', result: { by: 'current' } });
  });

  it.skipIf(dialect === 'sqlite')(
    'lets a runner that lost its lease neither renew nor overwrite the job, and says so once',
    async () => {
      const { store } = await openStore();
      const t = Date.now();
      await store.read.jobs.enqueue(DEFAULT_TENANT, { id: 'lost-1', kind: 'lost', payload: {}, runAt: t }, t);
      const lines: string[] = [];
      const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const owner = new JobRunner(store, new ManualClock(t), log, { heartbeatMs: 20 });
      owner.register('lost', async () => {
        await gate;
        return { by: 'owner' };
      });
      const running = owner.drain();
      while ((await store.read.jobs.get('lost-1'))?.status !== 'running') await new Promise((r) => setTimeout(r, 10));

      // Another process, past the owner's lease (a stalled owner, or its database away for a while).
      const other = new JobRunner(store, new ManualClock(t + 20_000), silent);
      other.register('lost', async () => ({ by: 'other' }));
      await other.drain();
      while (!lines.some((l) => l.includes('Lost a job lease'))) await new Promise((r) => setTimeout(r, 10));

      release();
      await running;
      expect(await store.read.jobs.get('lost-1')).toMatchObject({ status: 'done', result: { by: 'other' } });
      expect(lines.filter((l) => l.includes('Lost a job lease'))).toHaveLength(1);
    },
    30_000,
  );

  it('logs renewals failing through an outage once, not every beat', async () => {
    const { store } = await openStore();
    const t = Date.now();
    await store.read.jobs.enqueue(DEFAULT_TENANT, { id: 'beat-1', kind: 'beat', payload: {}, runAt: t }, t);
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    let renewals = 0;
    store.read.jobs.renew = async () => {
      renewals += 1;
      throw unavailableError('database');
    };
    const runner = new JobRunner(store, new ManualClock(t), log, { heartbeatMs: 10 });
    runner.register('beat', async () => {
      while (renewals < 5) await new Promise((r) => setTimeout(r, 10));
      return {};
    });
    await runner.drain();
    expect(lines.filter((l) => l.includes('Could not renew a job lease'))).toHaveLength(1);
  });
});

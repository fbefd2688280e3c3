import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../src/engine/bootstrap.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

// On SQLite a job's transaction holds the one connection, so a wait cannot end before it does.
const withPool = DIALECTS.filter((d) => d === 'postgres');

describe.skipIf(withPool.length === 0).each(withPool)('waiting for a job (%s)', (dialect) => {
  let t: TestLaurel;
  beforeEach(async () => {
    t = await startLaurel({ dialect });
  });
  afterEach(() => t.close());

  it('gives up at its deadline while a long job runs on, and sees it finish later', async () => {
    const jobs = t.laurel.ctx.jobs;
    jobs.register('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return { finished: true };
    });
    await t.laurel.ctx.store.read.jobs.enqueue(
      DEFAULT_TENANT,
      { id: 'slow-1', kind: 'slow', payload: {}, runAt: t.clock.now() },
      t.clock.now(),
    );
    // Still running when the wait ends: the wait did not sit out the job.
    expect(await jobs.waitFor('slow-1', 200)).toMatchObject({ jobId: 'slow-1', status: 'running' });
    expect(await jobs.waitFor('slow-1', 10_000)).toMatchObject({ status: 'done', result: { finished: true } });
  });
});

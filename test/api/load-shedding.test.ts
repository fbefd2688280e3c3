import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/**
 * Load shedding, per process: bounds on the events waiting for the group commit and on application
 * requests in flight. A stalled transaction makes later requests wait (SQLite commits one group at a
 * time; PostgreSQL's lanes work the same), so the bounds can be reached without real load.
 */

/** Holds every transaction until released; `entered` resolves when the first one starts. */
function stall(store: Store) {
  const transaction = store.transaction.bind(store);
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered = () => {};
  const started = new Promise<void>((resolve) => (entered = resolve));
  store.transaction = async (work) => {
    entered();
    await gate;
    return transaction(work);
  };
  return {
    started,
    release: () => {
      store.transaction = transaction;
      release();
    },
  };
}

describe('load shedding', () => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ settings: { maxQueuedEvents: 3, maxQueueWaitMs: 2_000 } });
  });
  afterAll(() => t.close());

  const event = (user: string) => t.api('POST', '/v1/metrics/steps/event', { user: { id: user }, value: 1 });

  it('answers 503 overloaded with Retry-After beyond the bound, and commits every event it accepted', async () => {
    const stalled = stall(t.laurel.ctx.store);
    const first = event('u0');
    await stalled.started;
    // Three wait behind the stalled transaction; the rest are refused while it is still stalled.
    const waiting = [1, 2, 3].map((i) => event(`u${i}`));
    const refused = await Promise.all([4, 5, 6].map((i) => event(`u${i}`)));
    expect(refused.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(refused[0]?.body).toMatchObject({ code: 'overloaded', error: expect.stringContaining('retry') });
    expect(refused[0]?.headers['retry-after']).toBe('1');
    const batch = await t.api('POST', '/v1/events', { events: [{ metric: 'steps', user: { id: 'b' }, value: 1 }] });
    expect(batch.status).toBe(503);

    stalled.release();
    const accepted = await Promise.all([first, ...waiting]);
    expect(accepted.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (let i = 0; i < 7; i++) {
      const total = (await t.api('GET', `/v1/users/u${i}/metrics/steps`)).body;
      expect(total?.current ?? 0, `u${i}`).toBe(i < 4 ? 1 : 0);
    }
    // The queue is empty again: events are accepted.
    expect((await event('u4')).status).toBe(201);
  });

  it('answers 503 overloaded once the oldest waiting event has waited longer than the bound', { timeout: 20_000 }, async () => {
    const stalled = stall(t.laurel.ctx.store);
    const first = event('w0');
    await stalled.started;
    const waiting = event('w1');
    // Nothing outside tells when w1 has reached the queue; it takes milliseconds (were it later, the
    // refusal below would not come and the test would fail, not pass wrongly).
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.clock.advance(2_001);
    const refused = await event('w2');
    expect(refused).toMatchObject({ status: 503, body: { code: 'overloaded', error: expect.stringContaining('2000 ms') } });
    expect(refused.headers['retry-after']).toBe('1');
    stalled.release();
    expect((await Promise.all([first, waiting])).map((r) => r.status)).toEqual([201, 201]);
    expect((await event('w2')).status).toBe(201);
  });
});

describe('requests in flight', () => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ settings: { maxRequestsInFlight: 3 } });
  });
  afterAll(() => t.close());

  const event = (user: string) => t.api('POST', '/v1/metrics/steps/event', { user: { id: user }, value: 1 });

  it('refuses application requests beyond the bound with 503, before any work, and not health or admin', async () => {
    const stalled = stall(t.laurel.ctx.store);
    const first = event('f0');
    await stalled.started;
    const others = [event('f1'), event('f2')];
    // Until these two have reached the server's first hook nothing can be refused; it takes milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await t.api('GET', '/v1/achievements');
    expect(refused).toMatchObject({ status: 503, body: { code: 'overloaded', error: expect.stringContaining('3 requests at once') } });
    expect(refused.headers['retry-after']).toBe('1');
    expect((await event('f3')).status).toBe(503);
    expect((await t.raw('GET', '/healthz')).status).toBe(200);
    expect((await t.admin('GET', '/admin/v1/settings')).status).toBe(200);

    stalled.release();
    expect((await Promise.all([first, ...others])).map((r) => r.status)).toEqual([201, 201, 201]);
    // Finished requests no longer count.
    expect((await Promise.all([event('f3'), event('f4'), t.api('GET', '/v1/achievements')])).map((r) => r.status)).toEqual([201, 201, 200]);
  });
});

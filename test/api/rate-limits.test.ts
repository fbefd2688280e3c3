import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/engine/rate-limiter.js';
import { type Reply, startLaurel, type TestLaurel } from '../support/laurel.js';

/** Rate limits are per API key and per process, so one dialect shows them. */
describe('per-key rate limits', () => {
  let t: TestLaurel;
  beforeEach(async () => {
    t = await startLaurel();
  });
  afterEach(() => t.close());

  const event = (key: string, user = 'u1') =>
    t.raw('POST', '/v1/metrics/steps/event', { body: { user: { id: user }, value: 1 }, headers: { 'x-api-key': key } });
  const batch = (key: string, size: number) =>
    t.raw('POST', '/v1/events', {
      body: { events: Array.from({ length: size }, (_, i) => ({ metric: 'steps', user: { id: `b${i}` }, value: 1 })) },
      headers: { 'x-api-key': key },
    });
  const read = (key: string) => t.raw('GET', '/v1/achievements', { headers: { 'x-api-key': key } });
  const newKey = async () => (await t.admin<{ key: string }>('POST', '/admin/v1/api-keys', { name: 'other' })).body.key;
  /** Sets the limits, then lets the settings view every process keeps (a second old at most) catch up. */
  const setLimits = async (rateLimits: unknown) => {
    const answer = await t.admin('PATCH', '/admin/v1/settings', { rateLimits });
    t.clock.advance(1_000);
    return answer;
  };
  const headers = (reply: Reply) => ({
    limit: reply.headers['ratelimit-limit'],
    remaining: reply.headers['ratelimit-remaining'],
    reset: reply.headers['ratelimit-reset'],
    retryAfter: reply.headers['retry-after'],
  });

  it('is off by default: no limit, no RateLimit headers', async () => {
    expect((await t.admin('GET', '/admin/v1/settings')).body.rateLimits).toEqual({ eventsPerSecond: null, readsPerSecond: null });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => event(t.appKey, `u${i}`)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    expect(answers[0]?.headers['ratelimit-limit']).toBeUndefined();
  });

  it('limits one key with 429, Retry-After and RateLimit headers, and leaves another key alone', async () => {
    expect((await setLimits({ eventsPerSecond: 3 })).body.rateLimits).toEqual({ eventsPerSecond: 3, readsPerSecond: null });
    const other = await newKey();

    const allowed = [await event(t.appKey), await event(t.appKey), await event(t.appKey)];
    expect(allowed.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(allowed.map(headers)).toEqual([
      { limit: '3', remaining: '2', reset: '1', retryAfter: undefined },
      { limit: '3', remaining: '1', reset: '1', retryAfter: undefined },
      { limit: '3', remaining: '0', reset: '1', retryAfter: undefined },
    ]);
    const refused = await event(t.appKey);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited', error: expect.stringContaining('3 events per second') });
    expect(headers(refused)).toEqual({ limit: '3', remaining: '0', reset: '1', retryAfter: '1' });

    // The other key has its own allowance, and reads are not events.
    expect((await event(other, 'u2')).status).toBe(201);
    expect((await read(t.appKey)).status).toBe(200);
    // Nothing of the refused event was stored: three events, three steps.
    expect((await t.api('GET', '/v1/users/u1/metrics/steps')).body.current).toBe(3);

    t.clock.advance(1_000);
    expect((await event(t.appKey)).status).toBe(201);
  });

  it('counts each event of a batch, and lets a batch larger than the limit through at the price of waiting', async () => {
    await setLimits({ eventsPerSecond: 10 });
    expect((await batch(t.appKey, 8)).status).toBe(200);
    const over = await batch(t.appKey, 5);
    expect(over.status).toBe(429);
    expect(headers(over)).toMatchObject({ remaining: '2', retryAfter: '1' });

    t.clock.advance(1_000);
    // A full allowance lets 25 events through, and leaves the key 15 events in debt.
    expect((await batch(t.appKey, 25)).status).toBe(200);
    expect(headers(await event(t.appKey))).toMatchObject({ remaining: '0', retryAfter: '2' });
    t.clock.advance(1_600);
    expect((await event(t.appKey)).status).toBe(201);
  });

  it('limits reads separately from events; admin calls are never limited', async () => {
    await setLimits({ readsPerSecond: 2 });
    expect([(await read(t.appKey)).status, (await read(t.appKey)).status, (await read(t.appKey)).status]).toEqual([200, 200, 429]);
    expect((await event(t.appKey)).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await t.admin('GET', '/admin/v1/settings')).status).toBe(200);
  });

  it('changes one limit without the other, and lifts both with null', async () => {
    await setLimits({ eventsPerSecond: 1, readsPerSecond: 1 });
    expect((await setLimits({ readsPerSecond: 5 })).body.rateLimits).toEqual({ eventsPerSecond: 1, readsPerSecond: 5 });
    expect((await setLimits({ eventsPerSecond: null })).body.rateLimits).toEqual({ eventsPerSecond: null, readsPerSecond: 5 });
    expect((await setLimits(null)).body.rateLimits).toEqual({ eventsPerSecond: null, readsPerSecond: null });
    const answers = [await event(t.appKey), await event(t.appKey), await read(t.appKey), await read(t.appKey)];
    expect(answers.map((a) => a.status)).toEqual([201, 201, 200, 200]);
  });

  it('refuses limits that are not whole numbers of at least 1 with a 422 naming the field', async () => {
    for (const [rateLimits, field] of [
      [{ eventsPerSecond: 0 }, 'rateLimits.eventsPerSecond'],
      [{ eventsPerSecond: 2.5 }, 'rateLimits.eventsPerSecond'],
      [{ readsPerSecond: '10' }, 'rateLimits.readsPerSecond'],
      [{ eventsPerSecond: 10, perMinute: 5 }, 'rateLimits'],
      [5, 'rateLimits'],
    ] as const) {
      const answer = await t.admin('PATCH', '/admin/v1/settings', { rateLimits });
      expect(answer.status, JSON.stringify(rateLimits)).toBe(422);
      expect(answer.body.field).toBe(field);
    }
    expect((await t.admin('GET', '/admin/v1/settings')).body.rateLimits).toEqual({ eventsPerSecond: null, readsPerSecond: null });
  });

  it('forgets refilled buckets, so one per member keeps memory bounded, but not a bucket in debt', async () => {
    await setLimits({ readsPerSecond: 5 });
    const limiter = new RateLimiter(t.laurel.ctx, { sweepAt: 100, maxBuckets: 1_000 });
    const { token } = (await t.api('POST', '/v1/users/m/widget-token')).body;
    const check = await t.laurel.ctx.widgetTokens.verify(token);
    if (!check.ok) throw new Error('token refused');
    const member = (userId: string) => ({ ...check.principal, userId });
    for (let i = 0; i < 5; i++) expect((await limiter.admit(member('busy'), 'reads', 1))?.allowed).toBe(true);
    let largest = 0;
    for (let i = 0; i < 2_000; i++) {
      expect((await limiter.admit(member(`m${i}`), 'reads', 1))?.allowed).toBe(true);
      largest = Math.max(largest, limiter.size);
      if (i % 10 === 0) t.clock.advance(100);
    }
    expect(largest).toBeLessThanOrEqual(101);
    // A burst of distinct members within one refill: the least recently used go, down to maxBuckets.
    for (let i = 0; i < 3_000; i++) await limiter.admit(member(`burst${i}`), 'reads', 1);
    expect(limiter.size).toBeLessThanOrEqual(2_000);

    const fresh = new RateLimiter(t.laurel.ctx, { sweepAt: 100 });
    for (let i = 0; i < 5; i++) await fresh.admit(member('busy'), 'reads', 1);
    for (let i = 0; i < 300; i++) await fresh.admit(member(`n${i}`), 'reads', 1);
    expect((await fresh.admit(member('busy'), 'reads', 1))?.allowed).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('events (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'saver',
      name: 'Saver',
      criteria: { type: 'metric', metric: 'savings', threshold: 100 },
      rewards: [
        { type: 'points', system: 'xp', amount: 10 },
        { type: 'custom', data: { coupon: 'SAVE10' } },
      ],
      status: 'active',
    });
  });
  afterAll(() => t.close());

  const send = (metric: string, body: object, headers?: Record<string, string>) =>
    t.api('POST', `/v1/metrics/${metric}/event`, body, headers);

  it("answers 201 with the event, the new total, unlocks with their rewards, and Trophy's fields", async () => {
    const reply = await send('savings', {
      user: { id: 'ann', name: 'Ann', attributes: { plan: 'pro' } },
      value: 120,
      attributes: { channel: 'app' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      metricKey: 'savings',
      total: 120,
      count: 1,
      currentStreak: { length: 0, frequency: 'daily', extended: false },
      leaderboards: {},
      points: {
        xp: { total: 10, added: 10, awards: [{ awarded: 10, total: 10, trigger: { type: 'achievement', achievementName: 'Saver' } }] },
      },
    });
    expect(reply.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.achievements).toHaveLength(1);
    expect(reply.body.achievements[0]).toMatchObject({
      key: 'saver',
      trigger: 'metric',
      metricValue: 100,
      achievedAt: expect.any(String),
      rewards: [
        { type: 'custom', data: { coupon: 'SAVE10' } },
        { type: 'points', system: 'xp', amount: 10 },
      ],
    });
    expect((await t.api('GET', '/v1/users/ann')).body).toMatchObject({ id: 'ann', name: 'Ann', attributes: { plan: 'pro' } });
  });

  it('names, in each tier unlocked, the threshold of that tier', async () => {
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'writer',
      name: 'Writer',
      status: 'active',
      criteria: { type: 'metric', metric: 'words', measure: 'sum' },
      tiers: [
        { key: 'bronze', name: 'Bronze', threshold: 1000 },
        { key: 'silver', name: 'Silver', threshold: 5000 },
      ],
    });
    const reply = await send('words', { user: { id: 'tia' }, value: 6000 });
    expect(reply.body.achievements.map((a: any) => [a.tier.key, a.metricValue])).toEqual([
      ['bronze', 1000],
      ['silver', 5000],
    ]);
  });

  it('takes negative and decimal values', async () => {
    await send('balance', { user: { id: 'bob' }, value: 10.25 });
    const reply = await send('balance', { user: { id: 'bob' }, value: -0.1 });
    expect(reply.body.total).toBe(10.15);
  });

  it('applies an event with an idempotency key once: a replay answers 202 with the original and changes nothing', async () => {
    const headers = { 'idempotency-key': 'order-77' };
    const first = await send('orders', { user: { id: 'cy' }, value: 1 }, headers);
    expect(first.status).toBe(201);
    expect(first.body.idempotencyKey).toBe('order-77');
    const replay = await send('orders', { user: { id: 'cy' }, value: 1 }, headers);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ ...first.body, idempotentReplayed: true });
    const other = await send('orders', { user: { id: 'cy' }, value: 1 });
    expect(other.body.total).toBe(2);
    // The key is scoped to user and metric: another user may use the same one.
    expect((await send('orders', { user: { id: 'dee' }, value: 1 }, headers)).status).toBe(201);
  });

  it('applies a batch in order in one transaction and answers each event', async () => {
    const reply = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'savings', user: { id: 'eve' }, value: 60 },
        { metric: 'savings', user: { id: 'eve' }, value: 50, idempotencyKey: 'k1' },
        { metric: 'visits', user: { id: 'fay' }, value: 1 },
        { metric: 'savings', user: { id: 'eve' }, value: 50, idempotencyKey: 'k1' },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r: any) => [r.index, r.status, r.metricKey, r.total, r.achievements.length])).toEqual([
      [0, 201, 'savings', 60, 0],
      [1, 201, 'savings', 110, 1],
      [2, 201, 'visits', 1, 0],
      [3, 202, 'savings', 110, 1],
    ]);
    expect(reply.body.results[3].idempotentReplayed).toBe(true);
  });

  it('rejects a batch whole when one event is bad, naming its index', async () => {
    const reply = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'savings', user: { id: 'gus' }, value: 500 },
        { metric: 'savings', user: { id: 'gus', tz: 'Moon/Base' }, value: 1 },
      ],
    });
    expect(reply).toMatchObject({ status: 422, body: { code: 'unknown_time_zone', field: 'events[1].user.tz', index: 1 } });
    expect((await t.api('GET', '/v1/users/gus')).status).toBe(404);
    const typed = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'savings', user: { id: 'gus' }, value: 1 },
        { metric: 'savings', user: { id: 'gus' }, value: '2' },
      ],
    });
    expect(typed).toMatchObject({ status: 422, body: { field: 'events[1].value' } });
    expect((await t.api('POST', '/v1/events', { events: [] })).status).toBe(422);
    const tooMany = await t.api('POST', '/v1/events', {
      events: Array.from({ length: 1001 }, () => ({ metric: 'm', user: { id: 'u' }, value: 1 })),
    });
    expect(tooMany).toMatchObject({ status: 422, body: { field: 'events' } });
  });

  it('names what is wrong with a single event', async () => {
    const cases: [object, string, string][] = [
      [{ value: 1 }, 'user', 'validation_failed'],
      [{ user: { id: '' }, value: 1 }, 'user.id', 'validation_failed'],
      [{ user: { id: 'u' } }, 'value', 'validation_failed'],
      [{ user: { id: 'u' }, value: '5' }, 'value', 'validation_failed'],
      [{ user: { id: 'u', tz: 'Europe/Nowhere' }, value: 1 }, 'user.tz', 'unknown_time_zone'],
      [{ user: { id: 'u' }, value: 1, timestamp: 'yesterday' }, 'timestamp', 'invalid_timestamp'],
      [{ user: { id: 'u' }, value: 1, timestamp: '2027-01-01T00:00:00Z' }, 'timestamp', 'timestamp_in_future'],
      [{ user: { id: 'u' }, value: 1, attributes: { n: 5 } }, 'attributes.n', 'validation_failed'],
    ];
    for (const [body, field, code] of cases) {
      const reply = await send('savings', body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body, JSON.stringify(body)).toMatchObject({ field, code });
    }
    expect((await t.api('GET', '/v1/users/u')).status).toBe(404);
  });

  it('records a past timestamp as the time of the event and of its unlock', async () => {
    const reply = await send('savings', { user: { id: 'hal' }, value: 100, timestamp: '2026-03-01T08:00:00+01:00' });
    expect(reply.body.timestamp).toBe('2026-03-01T07:00:00.000Z');
    expect(reply.body.achievements[0].achievedAt).toBe('2026-03-01T07:00:00.000Z');
  });

  it('never awards the same tier twice: the database refuses a second row', async () => {
    const db = t.laurel.ctx.store.database.db;
    const award = await db.selectFrom('awards').selectAll().where('user_id', '=', 'ann').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('awards')
        .values({ ...award, id: 'another-id' })
        .execute(),
    ).rejects.toThrow(/UNIQUE|unique constraint/i);
  });
});

/**
 * The hourly sweep of what ended: a streak missed for a whole period (in its user's calendar, after
 * the freezes) is announced `streak.lost` once, and a leaderboard run that ended is announced
 * `leaderboard.finished` once with its final rankings; webhooks subscribed to them receive them,
 * celebrations never show them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceFinishedRuns, announceLostStreaks, fillStreakLosses } from '../../src/engine/announce-endings.js';
import { DEFAULT_TENANT } from '../../src/engine/bootstrap.js';
import { ManualClock } from '../../src/engine/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { type Receiver, startReceiver } from '../support/webhook-receiver.js';

describe.each(DIALECTS)('the sweep of what ended (%s)', (dialect) => {
  let t: TestLaurel;
  let clock: ManualClock;
  let receiver: Receiver;
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-01T15:00:00Z'));
    t = await startLaurel({ dialect, clock, settings: { webhookAllowPrivate: true } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  const send = (user: object, value = 1) => t.api('POST', '/v1/metrics/run/event', { user, value });
  /** Moves the clock and runs what is due, as the process's job runner would. */
  const sweepAt = async (time: string) => {
    clock.set(time);
    await t.laurel.ctx.jobs.drain();
  };
  const announced = async (type: string) =>
    (
      await t.laurel.ctx.store.database.db
        .selectFrom('outbox')
        .select(['user_id', 'payload'])
        .where('type', '=', type)
        .orderBy('id')
        .execute()
    ).map((r) => ({ userId: r.user_id, ...JSON.parse(r.payload) }));

  it('announces a missed daily streak once, after the period closes in the user’s time zone', async () => {
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'run' }] });
    const hook = await t.admin('POST', '/admin/v1/webhooks', { url: `${receiver.url}/endings`, eventTypes: ['streak.lost'] });
    expect(hook.body.eventTypes).toEqual(['streak.lost']);
    const ada = { id: 'ada', name: 'Ada', tz: 'America/New_York' };
    const bo = { id: 'bo', tz: 'America/New_York' };
    for (const day of ['2026-03-01', '2026-03-02']) {
      clock.set(`${day}T15:00:00Z`);
      await send(ada);
      await send(bo);
    }
    clock.set('2026-03-03T15:00:00Z');
    await send(bo); // Bo keeps going; Ada misses 3 March.

    // 3 March ends in New York at 05:00 UTC on the 4th: not before.
    await sweepAt('2026-03-04T04:30:00Z');
    expect(await announced('streak.lost')).toEqual([]);
    await sweepAt('2026-03-04T05:30:00Z');
    const lost = await announced('streak.lost');
    expect(lost).toMatchObject([
      {
        userId: 'ada',
        type: 'streak.lost',
        user: { id: 'ada', name: 'Ada', tz: 'America/New_York' },
        length: 2,
        streak: {
          key: 'daily',
          length: 2,
          frequency: 'daily',
          started: '2026-03-01',
          periodStart: '2026-03-02',
          periodEnd: '2026-03-02',
          expires: '2026-03-03',
        },
      },
    ]);
    expect((await t.api('GET', '/v1/users/ada/streak')).body.length).toBe(0);

    // The next sweeps announce it no more; Bo's streak ends a day later, once.
    await sweepAt('2026-03-04T06:30:00Z');
    await sweepAt('2026-03-05T05:30:00Z');
    await sweepAt('2026-03-05T06:30:00Z');
    expect((await announced('streak.lost')).map((e) => [e.userId, e.length])).toEqual([
      ['ada', 2],
      ['bo', 3],
    ]);

    // A new streak after the loss is announced when it ends in turn.
    clock.set('2026-03-06T15:00:00Z');
    await send(ada);
    await sweepAt('2026-03-08T05:30:00Z');
    expect((await announced('streak.lost')).map((e) => [e.userId, e.length])).toEqual([
      ['ada', 2],
      ['bo', 3],
      ['ada', 1],
    ]);

    await t.laurel.ctx.webhooks?.drain();
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.type, b.user.id, b.length])).toEqual([
      ['streak.lost', 'ada', 2],
      ['streak.lost', 'bo', 3],
      ['streak.lost', 'ada', 1],
    ]);
    // Not a celebration.
    expect((await t.api('GET', '/v1/users/ada/celebrations')).body.celebrations).toEqual([]);
  });

  it('counts freezes: a streak a freeze covers is lost a period later', async () => {
    await t.admin('POST', '/admin/v1/streaks', {
      key: 'daily',
      name: 'Daily',
      frequency: 'daily',
      metrics: [{ metric: 'run' }],
      freezes: { initial: 1, autoEarnEveryDays: 0, max: 1 },
    });
    for (const day of ['2026-03-01', '2026-03-02']) {
      clock.set(`${day}T15:00:00Z`);
      await send({ id: 'cy' });
    }
    // 3 March missed: the freeze covers it.
    await sweepAt('2026-03-04T00:30:00Z');
    expect(await announced('streak.lost')).toEqual([]);
    expect((await t.api('GET', '/v1/users/cy/streak')).body.length).toBe(2);
    // 4 March missed too, with no freeze left.
    await sweepAt('2026-03-05T00:30:00Z');
    expect(await announced('streak.lost')).toMatchObject([{ userId: 'cy', length: 2, streak: { expires: '2026-03-04' } }]);
  });

  it('gives streaks written before the sweep existed their loss, once, and leaves those already lost', async () => {
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'run' }] });
    await send({ id: 'eve' });
    await send({ id: 'dee' });
    clock.set('2026-03-02T15:00:00Z');
    await send({ id: 'dee' });
    // As an older Laurel wrote them: no lost_at.
    const { ctx } = t.laurel;
    await ctx.store.database.db.updateTable('user_streak_points').set({ lost_at: null }).execute();
    clock.set('2026-03-03T01:00:00Z'); // Eve's streak is lost already, Dee's runs until 3 March ends.
    const fill = () =>
      ctx.store.transaction(async (tx) => fillStreakLosses(tx, DEFAULT_TENANT, await ctx.config.get(tx, DEFAULT_TENANT), clock.now()));
    expect(await fill()).toBe(1);
    expect(await fill()).toBe(0);
    await sweepAt('2026-03-04T00:30:00Z');
    expect((await announced('streak.lost')).map((e) => [e.userId, e.length])).toEqual([['dee', 2]]);
  });

  it('announces each leaderboard run that ends once, with its final rankings', async () => {
    const hook = await t.admin('POST', '/admin/v1/webhooks', { url: `${receiver.url}/boards`, eventTypes: ['leaderboard.finished'] });
    expect(hook.status).toBe(201);
    const board = (body: object) =>
      t.admin('POST', '/admin/v1/leaderboards', { rankBy: 'metric', metric: 'run', status: 'active', ...body });
    await send({ id: 'ada', name: 'Ada' }, 5);
    expect((await board({ key: 'daily-runs', name: 'Daily runs', runUnit: 'day', runInterval: 1 })).status).toBe(201);
    expect((await board({ key: 'three-days', name: 'Three days', end: '2026-03-03' })).status).toBe(201);
    await send({ id: 'ada', name: 'Ada' }, 5);
    await send({ id: 'bo', name: 'Bo' }, 3);
    await send({ id: 'cy' }, 1);

    // The run of 1 March ends when every time zone has left it: at 13:00 UTC on the 2nd.
    await sweepAt('2026-03-02T12:30:00Z');
    expect(await announced('leaderboard.finished')).toEqual([]);
    await sweepAt('2026-03-02T13:30:00Z');
    const finished = await announced('leaderboard.finished');
    expect(finished).toEqual([
      {
        userId: null,
        type: 'leaderboard.finished',
        leaderboard: expect.objectContaining({
          key: 'daily-runs',
          name: 'Daily runs',
          rankBy: 'metric',
          metricKey: 'run',
          status: 'active',
          runUnit: 'day',
          runInterval: 1,
          start: '2026-03-01',
          end: '2026-03-01',
          rankings: [
            { userId: 'ada', userName: 'Ada', rank: 1, value: 10 },
            { userId: 'bo', userName: 'Bo', rank: 2, value: 3 },
            { userId: 'cy', userName: null, rank: 3, value: 1 },
          ],
        }),
      },
    ]);
    expect(finished[0]).not.toHaveProperty('user');

    // Sweeping again announces nothing twice; the next daily runs (empty) and the three days end in turn.
    await sweepAt('2026-03-02T14:30:00Z');
    expect(await announced('leaderboard.finished')).toHaveLength(1);
    await sweepAt('2026-03-04T13:30:00Z');
    const all = await announced('leaderboard.finished');
    expect(all.map((e) => [e.leaderboard.key, e.leaderboard.start, e.leaderboard.end, e.leaderboard.rankings.length])).toEqual([
      ['daily-runs', '2026-03-01', '2026-03-01', 3],
      ['daily-runs', '2026-03-02', '2026-03-02', 0],
      ['daily-runs', '2026-03-03', '2026-03-03', 0],
      ['three-days', '2026-03-01', '2026-03-03', 3],
    ]);
    expect(all[3].leaderboard).toMatchObject({ status: 'finished', runUnit: null });

    await t.laurel.ctx.webhooks?.drain();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(Array(4).fill('leaderboard.finished'));
  });

  it('announces each ending once when two sweeps run at the same time', async () => {
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'run' }] });
    await t.admin('POST', '/admin/v1/leaderboards', {
      key: 'today',
      name: 'Today',
      rankBy: 'metric',
      metric: 'run',
      status: 'active',
      end: '2026-03-01',
    });
    for (const id of ['a', 'b', 'c']) await send({ id });
    clock.set('2026-03-03T14:00:00Z');
    const { ctx } = t.laurel;
    const sweep = () =>
      ctx.store.transaction(async (tx) => {
        const config = await ctx.config.get(tx, DEFAULT_TENANT);
        return (
          (await announceLostStreaks(tx, DEFAULT_TENANT, config, clock.now())) +
          (await announceFinishedRuns(tx, DEFAULT_TENANT, config, clock.now()))
        );
      });
    const counts = await Promise.all([sweep(), sweep()]);
    expect(counts.reduce((a, b) => a + b)).toBe(4);
    expect(await announced('streak.lost')).toHaveLength(3);
    expect(await announced('leaderboard.finished')).toHaveLength(1);
  });

  it('lets webhooks subscribe to the two types, and to no unknown one', async () => {
    const types = ['streak.lost', 'leaderboard.finished'];
    expect((await t.admin('POST', '/admin/v1/webhooks', { url: 'https://example.com/', eventTypes: types })).body.eventTypes).toEqual(
      types,
    );
    expect((await t.admin('POST', '/admin/v1/webhooks', { url: 'https://example.com/', eventTypes: ['streak.lsot'] })).status).toBe(422);
  });
});

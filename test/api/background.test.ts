import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../src/engine/bootstrap.js';
import { ManualClock } from '../../src/engine/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('background work (%s)', (dialect) => {
  let t: TestLaurel;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-02T12:00:00Z'));
    t = await startLaurel({ dialect, clock });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
  });
  afterEach(() => t.close());

  const send = (metric: string, user: string, value = 1) => t.api('POST', `/v1/metrics/${metric}/event`, { user: { id: user }, value });
  const day = (n: number) => clock.set(Date.parse('2026-03-02T12:00:00Z') + n * 86_400_000);
  const keysOf = async (user: string) => (await t.api('GET', `/v1/users/${user}/achievements`)).body.map((a: any) => a.key);
  const activate = (key: string) => t.admin('PATCH', `/admin/v1/achievements/${key}`, { status: 'active' });

  it('backfills time-aware achievements from the history they would have seen', async () => {
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'run' }] });
    // "runner": three days in a row, then a gap; "casual": two scattered days.
    for (const [user, days] of [
      ['runner', [0, 1, 2, 6]],
      ['casual', [0, 5]],
    ] as const) {
      for (const d of days) {
        day(d);
        await send('run', user, 5);
      }
    }
    clock.set('2026-03-08T20:00:00Z'); // still the week of 2 March
    const create = (body: object) => t.admin('POST', '/admin/v1/achievements', body);
    await create({ key: 'streak-3', name: 'Three in a row', criteria: { type: 'streak', length: 3 } });
    await create({
      key: 'three-in-3',
      name: 'Three runs in three days',
      criteria: { type: 'metric', metric: 'run', measure: 'count', threshold: 3, window: { days: 3 } },
    });
    await create({
      key: 'week-20',
      name: '20 this week',
      criteria: { type: 'metric', metric: 'run', threshold: 20, period: { unit: 'week' } },
      policies: { repeat: 'per_period' },
    });
    await create({
      key: 'better-week',
      name: 'Better than last week',
      criteria: { type: 'metric', metric: 'run', beatPrevious: true, period: { unit: 'week' } },
    });
    for (const key of ['streak-3', 'three-in-3', 'week-20', 'better-week']) await activate(key);
    // Week of 2 March: runner 20, casual 10 (both had nothing the week before).
    expect((await keysOf('runner')).sort()).toEqual(['better-week', 'streak-3', 'three-in-3', 'week-20']);
    expect((await keysOf('casual')).sort()).toEqual(['better-week']);
    const award = (await t.api('GET', '/v1/users/runner/achievements')).body.find((a: any) => a.key === 'week-20');
    expect(award).toMatchObject({ backfilled: true, completionCount: 1 });
  });

  it('sweeps anniversaries daily, as real unlocks, once', async () => {
    clock.set('2025-03-02T12:00:00Z');
    await t.api('POST', '/v1/users', { id: 'veteran' });
    clock.set('2025-09-01T12:00:00Z');
    await t.api('POST', '/v1/users', { id: 'newcomer' });
    clock.set('2026-03-02T12:00:00Z');
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'year',
      name: 'One year',
      criteria: { type: 'anniversary', years: 1 },
      rewards: [{ type: 'points', system: 'xp', amount: 100 }],
      policies: { onActivation: 'from_activation' },
      status: 'active',
    });
    expect(await keysOf('veteran')).toEqual([]);
    clock.set('2026-03-03T00:30:00Z'); // past the next sweep's time
    await t.laurel.ctx.jobs.drain();
    const mine = (await t.api('GET', '/v1/users/veteran/achievements')).body;
    expect(mine.map((a: any) => [a.key, a.backfilled])).toEqual([['year', false]]);
    expect((await t.api('GET', '/v1/users/veteran/activity')).body.items[0].source).toBe('sweep');
    expect((await t.api('GET', '/v1/users/veteran/points/xp')).body.total).toBe(100);
    expect(await keysOf('newcomer')).toEqual([]);
    // Real unlocks are announced (webhooks, celebrations), once.
    const announced = async () =>
      (
        await t.laurel.ctx.store.database.db
          .selectFrom('outbox')
          .select(['type', 'payload'])
          .where('user_id', '=', 'veteran')
          .where('type', '=', 'achievement.completed')
          .execute()
      ).map((r) => JSON.parse(r.payload));
    expect(await announced()).toMatchObject([{ user: { id: 'veteran' }, achievement: { key: 'year', source: 'sweep' } }]);
    expect((await t.api('GET', '/v1/users/veteran/celebrations')).body.celebrations.map((c: any) => c.achievementKey)).toEqual(['year']);
    // The sweep scheduled the next one; running it again grants nothing twice.
    clock.set('2026-03-04T00:30:00Z');
    await t.laurel.ctx.jobs.drain();
    expect((await t.api('GET', '/v1/users/veteran/points/xp')).body.total).toBe(100);
    expect(await announced()).toHaveLength(1);
  });

  it('grants nothing twice when a backfill runs again, and retries a failed job', async () => {
    for (const user of ['a', 'b', 'c']) await send('steps', user, 10);
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'walker',
      name: 'Walker',
      criteria: { type: 'metric', metric: 'steps', threshold: 5 },
      rewards: [{ type: 'points', system: 'xp', amount: 7 }],
      status: 'active',
    });
    const { ctx } = t.laurel;
    const achievementId = (await t.admin('GET', '/admin/v1/achievements/walker')).body.id;
    // A backfill run a second time (as after a crash between its commit and the next step).
    await ctx.store.read.jobs.enqueue(
      DEFAULT_TENANT,
      { id: 'again', kind: 'backfill', payload: { achievementId }, runAt: clock.now() },
      clock.now(),
    );
    await ctx.jobs.drain();
    expect((await ctx.store.read.jobs.get('again'))?.result).toEqual({ granted: 0 });
    for (const user of ['a', 'b', 'c']) expect((await t.api('GET', `/v1/users/${user}/points/xp`)).body.total).toBe(7);

    let attempts = 0;
    ctx.jobs.register('flaky', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('not yet');
      return { ok: true };
    });
    await ctx.store.read.jobs.enqueue(DEFAULT_TENANT, { id: 'flaky-1', kind: 'flaky', payload: {}, runAt: clock.now() }, clock.now());
    await ctx.jobs.drain();
    expect(await ctx.store.read.jobs.get('flaky-1')).toMatchObject({ status: 'queued', attempts: 1, lastError: 'not yet' });
    clock.advance(60_000); // past the backoff
    await ctx.jobs.drain();
    clock.advance(60_000);
    await ctx.jobs.drain();
    expect(await ctx.store.read.jobs.get('flaky-1')).toMatchObject({ status: 'done', attempts: 3 });
  });
});

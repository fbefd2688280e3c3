/**
 * Built-in events: joining, unlocking, earning rewards, reaching levels and streak milestones are
 * events on reserved metrics, so achievements can count them ("a welcome badge", "unlock 3
 * achievements"), in the same transaction as their cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

interface Unlock {
  key: string;
  completionCount?: number;
}

describe.each(DIALECTS)('built-in events (%s)', (dialect) => {
  let t: TestLaurel;
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  const create = (body: object) => t.admin('POST', '/admin/v1/achievements', { status: 'active', ...body });
  const event = (user: string, metric: string, value = 1) => t.api('POST', `/v1/metrics/${metric}/event`, { user: { id: user }, value });
  const held = async (user: string) =>
    ((await t.api('GET', `/v1/users/${user}/achievements`)).body as { key: string }[]).map((a) => a.key).sort();

  beforeAll(async () => {
    t = await startLaurel({ dialect, clock });
    await t.admin('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      levels: [
        { key: 'one', name: 'One', points: 10 },
        { key: 'two', name: 'Two', points: 20 },
      ],
    });
    await create({ key: 'welcome', name: 'Welcome', criteria: { type: 'metric', metric: 'member_joined', threshold: 1 } });
    await create({
      key: 'first-lesson',
      name: 'First lesson',
      criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
      rewards: [{ type: 'points', system: 'xp', amount: 25 }],
    });
    await create({ key: 'five-lessons', name: 'Five lessons', criteria: { type: 'metric', metric: 'lessons', threshold: 5 } });
    await create({ key: 'collector', name: 'Collector', criteria: { type: 'metric', metric: 'achievement_unlocked', threshold: 3 } });
    await create({ key: 'climber', name: 'Climber', criteria: { type: 'metric', metric: 'level_reached', threshold: 2 } });
    await create({ key: 'rewarded', name: 'Rewarded', criteria: { type: 'metric', metric: 'reward_earned', threshold: 1 } });
    await create({ key: 'onboarded', name: 'Onboarded', criteria: { type: 'api' } });
  });
  afterAll(() => t.close());

  it('gives a welcome badge to a member created through the users API, in the same request', async () => {
    expect((await t.api('POST', '/v1/users', { id: 'ada' })).status).toBe(201);
    expect(await held('ada')).toEqual(['welcome']);
    // Joining happens once: saving the user again raises nothing.
    expect((await t.api('PUT', '/v1/users/ada', { name: 'Ada' })).status).toBe(200);
    const metrics = (await t.api('GET', '/v1/users/ada/metrics')).body as { key: string; current: number }[];
    expect(metrics.find((m) => m.key === 'member_joined')?.current).toBe(1);
  });

  it('answers an event with what its built-in events unlocked: welcome, rewards, levels, collector', async () => {
    const reply = await event('bea', 'lessons');
    expect(reply.status).toBe(201);
    // first-lesson pays 25 XP (levels one and two: 2 levels reached → climber), that reward → rewarded,
    // joining → welcome; four unlocks before collector (3) makes collector the fifth.
    expect(keys(reply.body)).toEqual(['climber', 'collector', 'first-lesson', 'rewarded', 'welcome']);
    expect(reply.body.points.xp).toMatchObject({ total: 25, added: 25, level: { key: 'two' } });
    expect(await held('bea')).toEqual(['climber', 'collector', 'first-lesson', 'rewarded', 'welcome']);
    const unlocked = (await t.api('GET', '/v1/users/bea/metrics')).body as { key: string; current: number }[];
    expect(unlocked.find((m) => m.key === 'achievement_unlocked')?.current).toBe(5);
  });

  it('announces the unlocks built-in events caused, like any other', async () => {
    await event('cleo', 'lessons');
    const rows = await t.laurel.ctx.store.database.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('user_id', '=', 'cleo')
      .where('type', '=', 'achievement.completed')
      .execute();
    const announced = rows.map((r) => (JSON.parse(String(r.payload)) as { achievement: { key: string } }).achievement.key).sort();
    expect(announced).toEqual(['climber', 'collector', 'first-lesson', 'rewarded', 'welcome']);
  });

  it('refuses events on a built-in metric from clients', async () => {
    const single = await event('dan', 'achievement_unlocked');
    expect(single.status).toBe(422);
    expect(single.body).toMatchObject({ code: 'metric_reserved', field: 'key' });
    const batch = await t.api('POST', '/v1/events', { events: [{ metric: 'member_joined', user: { id: 'dan' }, value: 1 }] });
    expect(batch.status).toBe(422);
    expect(batch.body).toMatchObject({ code: 'metric_reserved', field: 'events[0].metric' });
    expect((await t.api('GET', '/v1/users/dan')).status).toBe(404);
  });

  it('counts an API completion as an unlock and answers with what it led to', async () => {
    await t.api('POST', '/v1/users', { id: 'eve' });
    await event('eve', 'lessons');
    const before = await held('eve');
    expect(before).toContain('collector');
    await t.api('POST', '/v1/users', { id: 'fay' });
    const reply = await t.api('POST', '/v1/achievements/onboarded/complete', { user: { id: 'fay' } });
    expect(reply.status).toBe(201);
    expect(keys(reply.body)).toEqual(['onboarded']);
    // welcome + onboarded: two unlocks; a third makes a collector.
    const third = await event('fay', 'lessons');
    expect(keys(third.body)).toContain('collector');
  });

  it('lists the built-in metrics with their names once a community has events', async () => {
    const metrics = (await t.admin('GET', '/admin/v1/metrics')).body as { key: string; name: string; builtIn: boolean }[];
    const builtIn = metrics.filter((m) => m.builtIn).map((m) => m.key);
    expect(builtIn.sort()).toEqual(['achievement_unlocked', 'level_reached', 'member_joined', 'reward_earned', 'streak_milestone']);
    expect(metrics.find((m) => m.key === 'achievement_unlocked')?.name).toBe('Achievements unlocked');
    expect(metrics.find((m) => m.key === 'lessons')?.builtIn).toBe(false);
    const archive = await t.admin('DELETE', '/admin/v1/metrics/member_joined');
    expect(archive.status).toBe(409);
    expect(archive.body).toMatchObject({ code: 'metric_built_in' });
  });

  it('ends a loop between repeatable achievements on unlocks after a bounded chain', async () => {
    const loop = await startLaurel({ dialect });
    try {
      for (const key of ['ping', 'pong']) {
        await loop.admin('POST', '/admin/v1/achievements', {
          key,
          name: key,
          status: 'active',
          criteria: { type: 'metric', metric: 'achievement_unlocked', threshold: 1 },
          policies: { repeat: 'unlimited' },
        });
      }
      await loop.admin('POST', '/admin/v1/achievements', {
        key: 'start',
        name: 'start',
        status: 'active',
        criteria: { type: 'metric', metric: 'go', threshold: 1 },
      });
      const reply = await loop.api('POST', '/v1/metrics/go/event', { user: { id: 'gil' }, value: 1 });
      expect(reply.status).toBe(201);
      const unlocks = (reply.body as { achievements: Unlock[] }).achievements;
      // Each unlock raises one event that unlocks both again: it stops at 100 built-in events,
      // each unlocking ping and pong.
      expect(unlocks.length).toBeGreaterThan(2);
      expect(unlocks.length).toBeLessThanOrEqual(1 + 2 * 100);
      // The next event goes on from where the chain stopped, and also ends.
      expect((await loop.api('POST', '/v1/metrics/go/event', { user: { id: 'gil' }, value: 1 })).status).toBe(201);
    } finally {
      await loop.close();
    }
  });
});

describe.each(DIALECTS)('built-in events and streaks, backfill (%s)', (dialect) => {
  it('raises a streak milestone on the third day in a row, and backfills an achievement on unlocks', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
    const t = await startLaurel({ dialect, clock });
    try {
      await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'lessons' }] });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'three-days',
        name: 'Three days',
        status: 'active',
        criteria: { type: 'metric', metric: 'streak_milestone', threshold: 1 },
        filters: { event: { length: '3' } },
      });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'first',
        name: 'First',
        status: 'active',
        criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
      });
      const day = (n: number) =>
        t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'hal' }, value: 1 }).finally(() => clock.advance(86_400_000 * n));
      expect(keys((await day(1)).body)).toEqual(['first']);
      expect(keys((await day(1)).body)).toEqual([]);
      expect(keys((await day(1)).body)).toEqual(['three-days']);

      // Created later with the backfill policy: members who already unlocked two get it silently.
      const created = await t.admin('POST', '/admin/v1/achievements', {
        key: 'two-unlocks',
        name: 'Two unlocks',
        status: 'active',
        criteria: { type: 'metric', metric: 'achievement_unlocked', threshold: 2 },
      });
      expect(created.status).toBe(201);
      expect(created.body.backfill).toMatchObject({ status: 'done', granted: 1 });
      const mine = (await t.api('GET', '/v1/users/hal/achievements')).body as { key: string }[];
      expect(mine.map((a) => a.key).sort()).toEqual(['first', 'three-days', 'two-unlocks']);
    } finally {
      await t.close();
    }
  });
});

describe.each(DIALECTS)('built-in events of backfilled unlocks (%s)', (dialect) => {
  it('counts a backfilled unlock on achievement_unlocked, and achievements on unlocks follow in the same run', async () => {
    const t = await startLaurel({ dialect });
    try {
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'one-unlock',
        name: 'One unlock',
        status: 'active',
        criteria: { type: 'metric', metric: 'achievement_unlocked', threshold: 1 },
      });
      await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'ida' }, value: 1 });
      expect((await t.api('GET', '/v1/users/ida/achievements')).body).toEqual([]);
      const created = await t.admin('POST', '/admin/v1/achievements', {
        key: 'learner',
        name: 'Learner',
        status: 'active',
        criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
      });
      expect(created.body.backfill).toMatchObject({ status: 'done', granted: 2 });
      const mine = (await t.api('GET', '/v1/users/ida/achievements')).body as { key: string; backfilled: boolean }[];
      expect(mine.map((a) => [a.key, a.backfilled]).sort()).toEqual([
        ['learner', true],
        ['one-unlock', true],
      ]);
      const metrics = (await t.api('GET', '/v1/users/ida/metrics')).body as { key: string; current: number }[];
      expect(metrics.find((m) => m.key === 'achievement_unlocked')?.current).toBe(2);
    } finally {
      await t.close();
    }
  });
});

describe.each(DIALECTS)('built-in events nothing counts (%s)', (dialect) => {
  it('keeps only the totals of a built-in metric nothing counts, and an achievement created later backfills from them', async () => {
    const t = await startLaurel({ dialect });
    try {
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'learner',
        name: 'Learner',
        status: 'active',
        criteria: { type: 'metric', metric: 'lessons', threshold: 1 },
      });
      expect(keys((await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'kai' }, value: 1 })).body)).toEqual(['learner']);
      const db = t.laurel.ctx.store.database.db;
      const rows = await db
        .selectFrom('events')
        .innerJoin('metrics', 'metrics.id', 'events.metric_id')
        .select('metrics.key')
        .where('events.user_id', '=', 'kai')
        .execute();
      expect(rows.map((r) => r.key)).toEqual(['lessons']);
      const created = await t.admin('POST', '/admin/v1/achievements', {
        key: 'first-unlock',
        name: 'First unlock',
        status: 'active',
        criteria: { type: 'metric', metric: 'achievement_unlocked', threshold: 1 },
      });
      expect(created.body.backfill).toMatchObject({ status: 'done', granted: 1 });
      // Counted from now on: the next unlock's event is stored.
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'two-lessons',
        name: 'Two lessons',
        status: 'active',
        criteria: { type: 'metric', metric: 'lessons', threshold: 2 },
      });
      await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'kai' }, value: 1 });
      const stored = await db
        .selectFrom('events')
        .innerJoin('metrics', 'metrics.id', 'events.metric_id')
        .select('events.attributes')
        .where('events.user_id', '=', 'kai')
        .where('metrics.key', '=', 'achievement_unlocked')
        .execute();
      // The backfilled grant of first-unlock and the live unlock of two-lessons; not learner's.
      const unlocked = stored.map((r) => (JSON.parse(String(r.attributes)) as { achievement: string }).achievement);
      expect(unlocked.sort()).toEqual(['first-unlock', 'two-lessons']);
    } finally {
      await t.close();
    }
  });
});

function keys(body: { achievements: Unlock[] }): string[] {
  return body.achievements.map((a) => a.key).sort();
}

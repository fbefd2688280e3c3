import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('time-aware achievements (%s)', (dialect) => {
  let t: TestLaurel;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-02T12:00:00Z'));
    t = await startLaurel({ dialect, clock });
  });
  afterEach(() => t.close());

  const send = (metric: string, user: object, value = 1, timestamp?: string) =>
    t.api('POST', `/v1/metrics/${metric}/event`, { user, value, ...(timestamp ? { timestamp } : {}) });
  const at = (iso: string) => clock.set(iso);
  const streak = async (user: string, query = '') => (await t.api('GET', `/v1/users/${user}/streak${query}`)).body;
  const create = (body: object) => t.admin('POST', '/admin/v1/achievements', { status: 'active', ...body });
  const dailyStreak = (extra: object = {}) =>
    t.admin('POST', '/admin/v1/streaks', {
      key: 'daily',
      name: 'Daily practice',
      frequency: 'daily',
      metrics: [{ metric: 'practice' }],
      ...extra,
    });

  it('keeps a daily streak for a user who travels from Tokyo to Los Angeles', async () => {
    await dailyStreak();
    at('2026-03-01T23:00:00Z'); // 08:00 on 2 March in Tokyo (still 1 March in UTC)
    await send('practice', { id: 'kai', tz: 'Asia/Tokyo' });
    at('2026-03-02T23:00:00Z'); // 08:00 on 3 March in Tokyo
    await send('practice', { id: 'kai' });
    // Flies east to west and changes time zone: 10:00 on 3 March in Los Angeles is the same calendar day again.
    at('2026-03-03T18:00:00Z');
    const sameDay = await send('practice', { id: 'kai', tz: 'America/Los_Angeles' });
    expect(sameDay.body.currentStreak).toMatchObject({ length: 2, extended: false, periodStart: '2026-03-03' });
    at('2026-03-04T18:00:00Z'); // 10:00 on 4 March in Los Angeles
    const next = await send('practice', { id: 'kai' });
    expect(next.body.currentStreak).toMatchObject({ length: 3, extended: true, started: '2026-03-02', periodStart: '2026-03-04' });
    // Events on other metrics report the streak too, without extending it.
    expect((await send('chat', { id: 'kai' })).body.currentStreak).toMatchObject({ key: 'daily', length: 3, extended: false });
    const history = await streak('kai', '?historyPeriods=5');
    expect(history.streakHistory.map((p: any) => [p.periodStart, p.length])).toEqual([
      ['2026-02-28', 0],
      ['2026-03-01', 0],
      ['2026-03-02', 1],
      ['2026-03-03', 2],
      ['2026-03-04', 3],
    ]);
  });

  it('counts a DST spring-forward day once', async () => {
    await dailyStreak();
    await create({
      key: 'twice',
      name: 'Twice a day',
      criteria: { type: 'metric', metric: 'practice', measure: 'count', threshold: 2, period: { unit: 'day' } },
    });
    at('2026-03-07T15:00:00Z');
    await send('practice', { id: 'ny', tz: 'America/New_York' });
    at('2026-03-08T05:30:00Z'); // 00:30 on 8 March, before clocks jump
    await send('practice', { id: 'ny' });
    at('2026-03-09T03:30:00Z'); // 23:30 on 8 March, after the jump: the same, 23-hour day
    const again = await send('practice', { id: 'ny' });
    expect(again.body.currentStreak).toMatchObject({ length: 2, extended: false, periodStart: '2026-03-08' });
    expect(again.body.achievements.map((a: any) => a.key)).toEqual(['twice']);
    at('2026-03-09T14:00:00Z');
    expect((await send('practice', { id: 'ny' })).body.currentStreak.length).toBe(3);
  });

  it('survives one missed day with a freeze, and the freeze count drops', async () => {
    await dailyStreak({ freezes: { initial: 1, autoEarnEveryDays: 0, max: 2 } });
    at('2026-03-02T12:00:00Z');
    await send('practice', { id: 'fay' });
    at('2026-03-03T12:00:00Z');
    const second = await send('practice', { id: 'fay' });
    expect(second.body.currentStreak).toMatchObject({ length: 2, freezes: 1, maxFreezes: 2 });
    at('2026-03-05T12:00:00Z'); // 4 March missed
    const after = await send('practice', { id: 'fay' });
    expect(after.body.currentStreak).toMatchObject({ length: 3, freezes: 0, extended: true });
    const history = await streak('fay', '?historyPeriods=4');
    expect(history.streakHistory.map((p: any) => [p.periodStart, p.length, p.usedFreeze])).toEqual([
      ['2026-03-02', 1, false],
      ['2026-03-03', 2, false],
      ['2026-03-04', 2, true],
      ['2026-03-05', 3, false],
    ]);
    at('2026-03-08T12:00:00Z'); // two more days missed, no freeze left
    expect(await streak('fay')).toMatchObject({ length: 0, expires: null, extended: null });
  });

  it('unlocks "3 purchases within 90 days" on the third inside the window, not once the first has slid out', async () => {
    await create({
      key: 'vip',
      name: 'VIP',
      criteria: { type: 'metric', metric: 'purchase', measure: 'count', threshold: 3, window: { days: 90 } },
    });
    at('2026-01-01T12:00:00Z');
    await send('purchase', { id: 'slow' });
    at('2026-02-01T12:00:00Z');
    await send('purchase', { id: 'slow' });
    at('2026-04-01T12:00:00Z'); // 90 days after 1 January: it has slid out of the last 90 days
    expect((await send('purchase', { id: 'slow' })).body.achievements).toEqual([]);
    const progress = (await t.api('GET', '/v1/users/slow/achievements?includeIncomplete=true')).body[0].progress;
    expect(progress).toMatchObject({ current: 2, target: 3 });

    at('2026-01-01T12:00:00Z');
    await send('purchase', { id: 'quick' });
    at('2026-02-01T12:00:00Z');
    await send('purchase', { id: 'quick' });
    at('2026-03-31T12:00:00Z'); // 89 days after 1 January: the 90 days from 1 January to 31 March hold all three
    expect((await send('purchase', { id: 'quick' })).body.achievements.map((a: any) => a.key)).toEqual(['vip']);
  });

  it('repeats a weekly goal and counts two completions over two weeks', async () => {
    await create({
      key: 'weekly-5',
      name: 'Five workouts a week',
      criteria: { type: 'metric', metric: 'workout', measure: 'count', threshold: 5, period: { unit: 'week' } },
      policies: { repeat: 'per_period' },
    });
    const week = async (monday: string) => {
      const unlocked = [];
      for (let d = 0; d < 6; d++) {
        at(new Date(Date.parse(`${monday}T10:00:00Z`) + d * 86_400_000).toISOString());
        unlocked.push((await send('workout', { id: 'gym', tz: 'Europe/Berlin' })).body.achievements.length);
      }
      return unlocked;
    };
    expect(await week('2026-03-02')).toEqual([0, 0, 0, 0, 1, 0]);
    expect(await week('2026-03-09')).toEqual([0, 0, 0, 0, 1, 0]);
    const mine = (await t.api('GET', '/v1/users/gym/achievements')).body[0];
    expect(mine).toMatchObject({ key: 'weekly-5', completionCount: 2 });
    expect(mine.condition).toBe('Record “Workout” 5 times in a week (every week)');
  });

  it('prorates a monthly target to a week: 40,000 a month is 10,000 for a week of February', async () => {
    await create({
      key: 'on-target',
      name: 'On target',
      criteria: { type: 'metric', metric: 'revenue', targetPercent: 100, period: { unit: 'week' } },
      policies: { repeat: 'per_period' },
    });
    at('2027-02-01T09:00:00Z'); // Monday of a week wholly inside 28-day February 2027
    await send('revenue', { id: 'rep', tz: 'UTC' }, 1000);
    expect((await t.api('PUT', '/v1/users/rep/targets/revenue', { value: 40000, per: 'month' })).body).toMatchObject({
      value: 40000,
      per: 'month',
    });
    const progress = (await t.api('GET', '/v1/users/rep/achievements?includeIncomplete=true')).body[0].progress;
    expect(progress).toMatchObject({ current: 1000, target: 10000, percent: 10 });
    at('2027-02-03T09:00:00Z');
    expect((await send('revenue', { id: 'rep' }, 8999)).body.achievements).toEqual([]);
    expect((await send('revenue', { id: 'rep' }, 1)).body.achievements.map((a: any) => a.key)).toEqual(['on-target']);
    expect((await t.api('GET', '/v1/users/rep/targets')).body).toEqual([
      expect.objectContaining({ metric: 'revenue', value: 40000, per: 'month' }),
    ]);
    expect((await t.api('PUT', '/v1/users/rep/targets/revenue', { value: 0, per: 'month' })).body.code).toBe('invalid_target');
    expect((await t.api('PUT', '/v1/users/ghost/targets/revenue', { value: 5, per: 'week' })).status).toBe(404);
  });

  it('beats the previous period', async () => {
    await create({
      key: 'better',
      name: 'Better than last week',
      criteria: { type: 'metric', metric: 'sales', beatPrevious: true, period: { unit: 'week' } },
      policies: { repeat: 'per_period' },
    });
    at('2026-03-03T10:00:00Z');
    expect((await send('sales', { id: 'sam' }, 100)).body.achievements).toHaveLength(1); // nothing the week before
    at('2026-03-10T10:00:00Z');
    expect((await send('sales', { id: 'sam' }, 60)).body.achievements).toEqual([]);
    expect((await send('sales', { id: 'sam' }, 40)).body.achievements).toEqual([]); // equal is not more
    expect((await send('sales', { id: 'sam' }, 1)).body.achievements).toHaveLength(1);
  });

  it('lets a late event repair a streak and complete a window goal, and never revokes an unlock', async () => {
    await dailyStreak();
    await create({ key: 'three-days', name: 'Three days running', criteria: { type: 'streak', streak: 'daily', length: 3 } });
    await create({
      key: 'busy',
      name: 'Busy week',
      criteria: { type: 'metric', metric: 'practice', measure: 'count', threshold: 3, window: { days: 7 } },
    });
    at('2026-03-02T12:00:00Z');
    await send('practice', { id: 'lee' });
    at('2026-03-04T12:00:00Z');
    expect((await send('practice', { id: 'lee' })).body.currentStreak.length).toBe(1);
    at('2026-03-05T12:00:00Z');
    // The event of 3 March arrives two days late: the streak becomes 1-2-3 and the 7-day window holds 3.
    const late = await send('practice', { id: 'lee' }, 1, '2026-03-03T12:00:00Z');
    expect(late.body.currentStreak).toMatchObject({ length: 3, extended: true });
    expect(late.body.achievements.map((a: any) => [a.key, a.achievedAt])).toEqual([
      ['busy', '2026-03-04T12:00:00.000Z'],
      ['three-days', '2026-03-04T12:00:00.000Z'],
    ]);
    // Nothing takes an unlock back: the window slides, the streak breaks, the achievements stay.
    at('2026-03-20T12:00:00Z');
    await send('practice', { id: 'lee' });
    const mine = (await t.api('GET', '/v1/users/lee/achievements')).body.map((a: any) => a.key);
    expect(mine.sort()).toEqual(['busy', 'three-days']);
  });

  it('refuses events older than the horizon with a clear 422', async () => {
    at('2026-03-02T12:00:00Z');
    const old = await send('practice', { id: 'old' }, 1, '2026-01-15T00:00:00Z');
    expect(old).toMatchObject({ status: 422, body: { code: 'event_too_old', field: 'timestamp' } });
    expect(old.body.error).toContain('30 days');
    await t.admin('PATCH', '/admin/v1/settings', { lateEventHorizonDays: 60 });
    expect((await send('practice', { id: 'old' }, 1, '2026-01-15T00:00:00Z')).status).toBe(201);
    const batch = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'x', user: { id: 'b' }, value: 1 },
        { metric: 'x', user: { id: 'b' }, value: 1, timestamp: '2025-01-01T00:00:00Z' },
      ],
    });
    expect(batch.body).toMatchObject({ code: 'event_too_old', field: 'events[1].timestamp', index: 1 });
  });

  it('counts only activity inside a fixed window, and shows it as historic after', async () => {
    await create({
      key: 'spring',
      name: 'Spring event',
      criteria: { type: 'metric', metric: 'race', threshold: 10, window: { start: '2026-03-10T00:00:00Z', end: '2026-03-20T00:00:00Z' } },
    });
    at('2026-03-09T12:00:00Z');
    await send('race', { id: 'ava' }, 8);
    at('2026-03-12T12:00:00Z');
    expect((await send('race', { id: 'ava' }, 8)).body.achievements).toEqual([]);
    expect((await send('race', { id: 'ava' }, 2)).body.achievements.map((a: any) => a.key)).toEqual(['spring']);
    await send('race', { id: 'bo' }, 9);
    await send('race', { id: 'cy' }, 9);
    at('2026-03-21T12:00:00Z');
    // After the window closed, an event from inside it unlocks as if it had arrived in time, dated then;
    // one from after it counts for nothing.
    const late = await send('race', { id: 'bo' }, 5, '2026-03-19T12:00:00Z');
    expect(late.body.achievements.map((a: any) => [a.key, a.achievedAt])).toEqual([['spring', '2026-03-19T12:00:00.000Z']]);
    expect((await send('race', { id: 'cy' }, 5)).body.achievements).toEqual([]);
    const bo = (await t.api('GET', '/v1/users/bo/achievements?includeIncomplete=true')).body[0];
    expect(bo).toMatchObject({ key: 'spring', historic: true, achievedAt: '2026-03-19T12:00:00.000Z', progress: { current: 14 } });
    const cy = (await t.api('GET', '/v1/users/cy/achievements?includeIncomplete=true')).body[0];
    expect(cy).toMatchObject({ key: 'spring', achievedAt: null, progress: { current: 9 } });
    expect((await t.api('GET', '/v1/achievements')).body[0]).toMatchObject({ historic: true, completions: 2 });
  });

  it('matches a streak length exactly with match "exact"', async () => {
    await dailyStreak();
    await create({ key: 'two', name: 'Two days', criteria: { type: 'streak', length: 2 }, policies: { match: 'exact' } });
    at('2026-03-02T12:00:00Z');
    expect((await send('practice', { id: 'ex' })).body.achievements).toEqual([]);
    at('2026-03-03T12:00:00Z');
    const second = await send('practice', { id: 'ex' });
    expect(second.body.achievements.map((a: any) => [a.key, a.trigger, a.streakLength])).toEqual([['two', 'streak', 2]]);
  });

  it('names, in each streak tier unlocked, the length of that tier', async () => {
    await dailyStreak();
    await create({
      key: 'steady',
      name: 'Steady',
      criteria: { type: 'streak' },
      tiers: [
        { key: 'one', name: 'One', threshold: 1 },
        { key: 'two', name: 'Two', threshold: 2 },
      ],
    });
    at('2026-03-02T12:00:00Z');
    await send('practice', { id: 'st' });
    at('2026-03-03T12:00:00Z');
    const second = await send('practice', { id: 'st' });
    expect(second.body.achievements.map((a: any) => [a.tier.key, a.streakLength])).toEqual([['two', 2]]);
  });

  it('unlocks an anniversary when the user is next seen', async () => {
    await create({ key: 'one-year', name: 'One year with us', criteria: { type: 'anniversary', years: 1 } });
    at('2025-03-03T12:00:00Z');
    await t.api('POST', '/v1/users', { id: 'old-timer', tz: 'Europe/Paris' });
    at('2026-03-02T12:00:00Z');
    expect((await send('visit', { id: 'old-timer' })).body.achievements).toEqual([]);
    // Half past midnight in Paris, the user's first day of year two; the daily sweep (after UTC
    // midnight) is not due yet, so the visit is what unlocks it.
    at('2026-03-02T23:30:00Z');
    expect((await send('visit', { id: 'old-timer' })).body.achievements.map((a: any) => a.condition)).toEqual(['Be a member for 1 year']);
  });

  it('manages streak definitions', async () => {
    const created = await dailyStreak({ freezes: { initial: 1, autoEarnEveryDays: 7, max: 3 } });
    expect(created).toMatchObject({
      status: 201,
      body: { key: 'daily', primary: true, mode: 'all', metrics: [{ metric: 'practice', min: null }] },
    });
    const weekly = await t.admin('POST', '/admin/v1/streaks', {
      key: 'weekly',
      name: 'Weekly',
      frequency: 'weekly',
      metrics: [{ metric: 'practice', min: 30 }],
    });
    expect(weekly.body.primary).toBe(false);
    expect((await t.admin('PATCH', '/admin/v1/streaks/weekly', { frequency: 'daily' })).body.code).toBe('frequency_immutable');
    expect((await t.admin('PATCH', '/admin/v1/streaks/weekly', { primary: true })).body.primary).toBe(true);
    expect((await t.admin('GET', '/admin/v1/streaks/daily')).body.primary).toBe(false);
    expect(
      (
        await t.admin('POST', '/admin/v1/streaks', {
          key: 'x',
          name: 'X',
          frequency: 'daily',
          metrics: [{ metric: 'a' }],
          freezes: { initial: 3, autoEarnEveryDays: 0, max: 1 },
        })
      ).body.field,
    ).toBe('freezes.initial');
    expect((await create({ name: 'S', criteria: { type: 'streak', streak: 'nope', length: 3 } })).body).toMatchObject({
      code: 'unknown_streak',
      field: 'criteria.streak',
    });
    expect((await t.api('GET', '/v1/users/nobody/streak')).status).toBe(404);
  });

  it('validates windows, periods and goals, naming the field', async () => {
    const bad = async (criteria: object, policies?: object) =>
      (await create({ name: 'x', criteria: { type: 'metric', metric: 'm', ...criteria }, ...(policies ? { policies } : {}) })).body;
    expect(await bad({ threshold: 1, window: { days: 0 } })).toMatchObject({ field: 'criteria.window.days' });
    expect(await bad({ threshold: 1, window: { start: '2026-03-10T00:00:00Z', end: '2026-03-01T00:00:00Z' } })).toMatchObject({
      field: 'criteria.window.end',
    });
    expect(await bad({ targetPercent: 50 })).toMatchObject({ code: 'period_required', field: 'criteria.period' });
    expect(await bad({ threshold: 1, targetPercent: 50, period: { unit: 'week' } })).toMatchObject({ code: 'one_goal' });
    expect(await bad({ threshold: 1, period: { unit: 'custom', start: '2026-02-30', end: '2026-03-10' } })).toMatchObject({
      field: 'criteria.period.start',
    });
    expect(await bad({ threshold: 1 }, { repeat: 'per_period' })).toMatchObject({ code: 'period_required', field: 'policies.repeat' });
    expect(await bad({ threshold: 1, window: { days: 7 } }, { match: 'exact' })).toMatchObject({ code: 'exact_not_supported' });
  });
});

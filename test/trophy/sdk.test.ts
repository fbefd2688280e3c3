/**
 * Trophy's official Node SDK against a real Laurel HTTP server. The SDK validates every response
 * against its own schemas; on top of that, every value here was worked out by hand from the scripted
 * events. The server runs in this process so the script can move its clock from day to day (the
 * SDK cannot send past timestamps). Setup (metrics, achievements, points systems, streaks,
 * leaderboards) uses Laurel's admin API, which the SDK does not cover; everything else goes
 * through the SDK only.
 */
import { TrophyApiClient } from '@trophyso/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/engine/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

const DAY = 86_400_000;

describe.each(DIALECTS)("Trophy's SDK against Laurel (%s)", (dialect) => {
  let t: TestLaurel;
  let url: string;
  let trophy: TrophyApiClient;
  let admin: TrophyApiClient;
  const now = Date.parse('2026-07-15T12:00:00Z');
  const clock = new ManualClock(now);
  const at = (daysAgo: number) => clock.set(now - daysAgo * DAY);
  const isoDate = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().slice(0, 10);

  const setup = async (method: string, path: string, body: object) => {
    const reply = await t.admin(method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };

  beforeAll(async () => {
    t = await startLaurel({ dialect, clock });
    url = await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
    const environment = { api: `${url}/v1`, admin: `${url}/admin/v1` };
    trophy = new TrophyApiClient({ apiKey: t.appKey, environment });
    admin = new TrophyApiClient({ apiKey: ADMIN_KEY, environment });

    await setup('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', unit: 'words', unitSingular: 'word', verb: 'Write' });
    await setup('POST', '/admin/v1/streaks', {
      key: 'daily',
      name: 'Daily writing',
      frequency: 'daily',
      metrics: [{ metric: 'words' }],
      freezes: { initial: 0, autoEarnEveryDays: 0, max: 2 },
    });
    await setup('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      levels: [
        { key: 'rookie', name: 'Rookie', points: 0 },
        { key: 'writer', name: 'Writer', points: 100 },
      ],
    });
    await setup('POST', '/admin/v1/achievements', {
      key: 'first-words',
      name: 'First words',
      status: 'active',
      criteria: { type: 'metric', metric: 'words', threshold: 1 },
      rewards: [{ type: 'points', system: 'xp', amount: 15 }],
    });
    await setup('POST', '/admin/v1/achievements', {
      key: 'thousand',
      name: 'A thousand words',
      status: 'active',
      criteria: { type: 'metric', metric: 'words', threshold: 1000 },
    });
    await setup('POST', '/admin/v1/achievements', {
      key: 'streak-3',
      name: 'Three days',
      status: 'active',
      criteria: { type: 'streak', length: 3 },
    });
    await setup('POST', '/admin/v1/achievements', { key: 'onboarded', name: 'Onboarded', status: 'active', criteria: { type: 'api' } });
    await setup('POST', '/admin/v1/achievements', {
      key: 'all-rounder',
      name: 'All-rounder',
      status: 'active',
      criteria: { type: 'composite', requires: ['first-words', 'onboarded'] },
    });
    await setup('POST', '/admin/v1/points-systems/xp/triggers', { type: 'metric', metric: 'words', metricThreshold: 100, points: 5 });
    await setup('POST', '/admin/v1/points-systems/xp/triggers', { type: 'user_creation', points: 10 });
    await setup('POST', '/admin/v1/points-systems/xp/triggers', { type: 'achievement', achievement: 'first-words', points: 20 });
    await setup('POST', '/admin/v1/points-systems/xp/triggers', { type: 'streak', streakLength: 3, points: 30 });
    await setup('POST', '/admin/v1/leaderboards', {
      key: 'top-writers',
      name: 'Top writers',
      rankBy: 'metric',
      metric: 'words',
      maxParticipants: 10,
      status: 'active',
      start: isoDate(10),
    });
    await setup('POST', '/admin/v1/leaderboards', {
      key: 'xp-board',
      name: 'XP',
      rankBy: 'points',
      pointsSystem: 'xp',
      status: 'active',
      start: isoDate(10),
    });
    await setup('POST', '/admin/v1/leaderboards', {
      key: 'streaks',
      name: 'Streaks',
      rankBy: 'streak',
      status: 'active',
      start: isoDate(10),
    });
  }, 120_000);

  afterAll(() => t.close());

  it('runs the whole journey through the SDK and reports what happened, exactly', async () => {
    // alice writes three days running: 300, 400, 500 words. bob writes 200 today. dave wrote 3 days ago.
    at(2);
    const a1 = await trophy.metrics.event('words', { user: { id: 'alice', name: 'Alice', tz: 'UTC' }, value: 300 });
    expect(a1.total).toBe(300);
    expect(a1.achievements.map((a) => a.key)).toEqual(['first-words']);
    // 10 for joining, 15 reward, 20 trigger on first-words, 5 × 3 per 100 words.
    expect(a1.points.xp).toMatchObject({ total: 60, added: 60 });
    expect(a1.currentStreak).toMatchObject({ length: 1, frequency: 'daily', extended: true });
    at(1);
    await trophy.metrics.event('words', { user: { id: 'alice' }, value: 400 });
    at(0);
    const a3 = await trophy.metrics.event('words', { user: { id: 'alice' }, value: 500, idempotencyKey: 'alice-day-3' });
    expect(a3.total).toBe(1200);
    expect(a3.achievements.map((a) => a.key).sort()).toEqual(['streak-3', 'thousand']);
    expect(a3.currentStreak).toMatchObject({ length: 3, extended: true });
    // 20 for 700 → 1200 (5 hundreds), 30 for the 3-day streak.
    expect(a3.points.xp).toMatchObject({ total: 135, added: 55, level: { key: 'writer' } });
    expect(a3.leaderboards['top-writers']).toMatchObject({ rank: 1, previousRank: 1, threshold: 0, rankBy: 'metric' });
    expect(a3.leaderboards.streaks).toMatchObject({ rank: 1 });
    const replay = await trophy.metrics.event('words', { user: { id: 'alice' }, value: 500, idempotencyKey: 'alice-day-3' });
    expect(replay).toMatchObject({ eventId: a3.eventId, total: 1200, idempotentReplayed: true });

    const b1 = await trophy.metrics.event('words', { user: { id: 'bob', name: 'Bob', tz: 'UTC' }, value: 200 });
    expect(b1.leaderboards['top-writers']).toMatchObject({ rank: 2, previousRank: undefined });
    expect(b1.points.xp?.total).toBe(55);
    at(3);
    await trophy.metrics.event('words', { user: { id: 'dave', tz: 'UTC' }, value: 50 });
    at(0);

    // Users.
    const carol = await trophy.users.create({ id: 'carol', email: 'carol@example.com', tz: 'Europe/London' });
    expect(carol).toMatchObject({ id: 'carol', email: 'carol@example.com', tz: 'Europe/London', subscribeToEmails: true, control: false });
    expect((await trophy.users.get('carol')).email).toBe('carol@example.com');
    expect((await trophy.users.identify('carol', { name: 'Carol' })).name).toBe('Carol');
    expect((await trophy.users.update('carol', { attributes: { plan: 'pro' } })).attributes).toEqual({ plan: 'pro' });

    // Completion, with the composite it completes.
    const done = await trophy.achievements.complete('onboarded', { user: { id: 'alice' } });
    expect(done.achievement.key).toBe('onboarded');
    expect(done.completionId).toBeTruthy();

    // The catalogue: completions and rarity out of 4 users (alice, bob, dave, carol).
    const all = await trophy.achievements.all();
    expect(Object.fromEntries(all.map((a) => [a.key, [a.completions, a.rarity]]))).toEqual({
      'first-words': [3, 75],
      thousand: [1, 25],
      'streak-3': [1, 25],
      onboarded: [1, 25],
      'all-rounder': [1, 25],
    });

    const mine = await trophy.users.achievements('alice', { includeIncomplete: 'true' });
    expect(
      mine
        .filter((a) => a.achievedAt)
        .map((a) => a.key)
        .sort(),
    ).toEqual(['all-rounder', 'first-words', 'onboarded', 'streak-3', 'thousand']);
    expect((await trophy.users.achievements('bob')).map((a) => a.key)).toEqual(['first-words']);

    // Metrics and their summaries.
    const metrics = await trophy.users.allMetrics('alice');
    expect(metrics.map((m) => [m.key, m.current])).toEqual([['words', 1200]]);
    expect((await trophy.users.singleMetric('alice', 'words')).achievements.map((a) => [a.key, Boolean(a.achievedAt)])).toEqual([
      ['first-words', true],
      ['thousand', true],
    ]);
    const summary = await trophy.users.metricEventSummary('alice', 'words', {
      aggregation: 'daily',
      startDate: isoDate(2),
      endDate: isoDate(0),
    });
    expect(summary).toEqual([
      { date: isoDate(2), total: 300, change: 300 },
      { date: isoDate(1), total: 700, change: 400 },
      { date: isoDate(0), total: 1200, change: 500 },
    ]);

    // Streaks.
    const streak = await trophy.users.streak('alice', { historyPeriods: 3 });
    expect(streak).toMatchObject({
      length: 3,
      frequency: 'daily',
      started: isoDate(2),
      periodStart: isoDate(0),
      expires: isoDate(-1),
      freezes: 0,
      maxFreezes: 2,
    });
    expect(streak.streakHistory?.map((p) => p.length)).toEqual([1, 2, 3]);
    expect(await trophy.streaks.list({ userIds: ['bob', 'alice', 'carol', 'dave'] })).toEqual([
      expect.objectContaining({ userId: 'alice', streakLength: 3 }),
      expect.objectContaining({ userId: 'bob', streakLength: 1 }),
      expect.objectContaining({ userId: 'carol', streakLength: 0 }),
      expect.objectContaining({ userId: 'dave', streakLength: 0 }),
    ]);
    expect((await trophy.streaks.rankings({ limit: 5, type: 'active' })).map((r) => [r.userId, r.streakLength])).toEqual([
      ['alice', 3],
      ['bob', 1],
    ]);
    expect((await trophy.streaks.rankings({ limit: 5, type: 'longest' })).map((r) => [r.userId, r.streakLength])).toEqual([
      ['alice', 3],
      ['bob', 1],
      ['dave', 1],
    ]);

    // Admin: a freeze for alice, and dave's lost streak brought back.
    expect(await admin.admin.streaks.freezes.create({ freezes: [{ userId: 'alice' }, { userId: 'nobody' }] })).toEqual({
      issues: [{ userId: 'nobody', level: 'error', reason: 'There is no such user' }],
    });
    expect((await trophy.users.streak('alice')).freezes).toBe(1);
    const restored = await admin.admin.streaks.restore({ users: [{ id: 'dave' }, { id: 'bob' }] });
    expect(restored.restoredUsers).toEqual(['dave']);
    expect(restored.issues).toEqual([{ userId: 'bob', level: 'warning', reason: 'The streak is still running' }]);
    expect((await trophy.users.streak('dave')).length).toBe(1);

    // Points.
    const points = await trophy.users.points('alice', 'xp', { awards: 3 });
    expect(points).toMatchObject({ key: 'xp', total: 135, level: { key: 'writer' } });
    expect(points.awards.length).toBe(3);
    expect((await trophy.users.points('carol', 'xp')).total).toBe(10);
    const pointsSummary = await trophy.users.pointsEventSummary('alice', 'xp', {
      aggregation: 'daily',
      startDate: isoDate(2),
      endDate: isoDate(0),
    });
    // Day −2: 10 joining + 15 per-100 + 15 reward + 20 trigger; day −1: 20 per-100; today: 25 per-100 + 30 streak.
    expect(pointsSummary.map((p) => [p.total, p.change])).toEqual([
      [60, 60],
      [80, 20],
      [135, 55],
    ]);
    const system = await trophy.points.system('xp');
    expect(system.triggers.map((t) => t.type).sort()).toEqual(['achievement', 'metric', 'streak', 'user_creation']);
    expect(system.triggers.find((t) => t.type === 'metric')).toMatchObject({
      points: 5,
      metricThreshold: 100,
      metricName: 'Words written',
    });
    // alice 135, bob 55, dave 45 (10 joining + 15 + 20 for first-words, under 100 words), carol 10: ranges of 20.
    const distribution = await trophy.points.summary('xp');
    expect(distribution.filter((r) => r.users > 0)).toEqual([
      { from: 0, to: 19, users: 1 },
      { from: 40, to: 59, users: 2 },
      { from: 120, to: 139, users: 1 },
    ]);

    // Leaderboards.
    expect((await trophy.leaderboards.all()).map((l) => l.key).sort()).toEqual(['streaks', 'top-writers', 'xp-board']);
    const board = await trophy.leaderboards.get('top-writers', { limit: 10 });
    expect(board.rankings.map((r) => [r.userId, r.rank, r.value])).toEqual([
      ['alice', 1, 1200],
      ['bob', 2, 200],
      ['dave', 3, 50],
    ]);
    // carol's joining points, paid when she was created through the users API, rank her too.
    expect((await trophy.leaderboards.get('xp-board')).rankings.map((r) => [r.userId, r.value])).toEqual([
      ['alice', 135],
      ['bob', 55],
      ['dave', 45],
      ['carol', 10],
    ]);
    const standing = await trophy.users.leaderboard('bob', 'top-writers');
    expect(standing).toMatchObject({ rank: 2, value: 200 });
    expect(standing.history.length).toBe(1);

    // Preferences.
    expect(await trophy.users.getPreferences('alice')).toEqual({
      notifications: {
        achievementCompleted: ['email', 'push'],
        recap: ['email', 'push'],
        reactivation: ['email', 'push'],
        streakReminder: ['email', 'push'],
      },
    });
    const prefs = await trophy.users.updatePreferences('alice', { notifications: { recap: [], streakReminder: ['push'] } });
    expect(prefs.notifications).toMatchObject({ recap: [], streakReminder: ['push'], achievementCompleted: ['email', 'push'] });

    // Wrapped: this year's activity.
    const wrapped = await trophy.users.wrapped('alice');
    expect(wrapped.user.id).toBe('alice');
    expect(wrapped.activity).toMatchObject({ daysActive: 3, weeksActive: 1, monthsActive: 1 });
    // One event a day: the tie goes to the earliest day.
    expect(wrapped.activity.mostActiveDay.date).toBe(isoDate(2));
    expect(wrapped.activity.entireYear.metrics.words).toMatchObject({ currentTotal: 1200 });
    expect(wrapped.activity.entireYear.longestStreak.length).toBeGreaterThan(0);
  }, 120_000);

  it("answers errors with Trophy's status codes", async () => {
    const bad = new TrophyApiClient({ apiKey: 'wrong', environment: { api: `${url}/v1`, admin: `${url}/admin/v1` } });
    await expect(bad.achievements.all()).rejects.toMatchObject({ statusCode: 401 });
    await expect(trophy.users.get('ghost')).rejects.toMatchObject({ statusCode: 404 });
    await expect(trophy.achievements.complete('missing', { user: { id: 'alice' } })).rejects.toMatchObject({ statusCode: 404 });
    await expect(trophy.metrics.event('words', { user: { id: 'x', tz: 'Not/AZone' }, value: 1 })).rejects.toMatchObject({
      statusCode: 422,
    });
  });
});

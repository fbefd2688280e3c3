import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('activation policies and backfill (%s)', (dialect) => {
  let t: TestLaurel;
  const create = (body: object) => t.admin('POST', '/admin/v1/achievements', body);
  const activate = (key: string) => t.admin('PATCH', `/admin/v1/achievements/${key}`, { status: 'active' });
  const send = (metric: string, user: string | object, value: number, attributes?: object) =>
    t.api('POST', `/v1/metrics/${metric}/event`, {
      user: typeof user === 'string' ? { id: user } : user,
      value,
      ...(attributes ? { attributes } : {}),
    });
  const keysOf = async (user: string) => (await t.api('GET', `/v1/users/${user}/achievements`)).body.map((a: any) => a.key);

  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
    // History before any achievement exists: past (15), at (10), below (4), via web and mobile.
    await send('sessions', 'past', 15);
    await send('sessions', 'at', 10);
    await send('sessions', 'below', 4);
    for (let i = 0; i < 3; i++) await send('posts', 'mobile-fan', 1, { source: 'mobile' });
    await send('posts', 'mobile-fan', 1, { source: 'web' });
    for (let i = 0; i < 3; i++) await send('posts', 'web-fan', 1, { source: 'web' });
  });
  afterAll(() => t.close());

  it('backfill (reach): activation grants everyone already past the threshold, silently and marked backfilled', async () => {
    await create({
      key: 'ten',
      name: 'Ten sessions',
      criteria: { type: 'metric', metric: 'sessions', threshold: 10 },
      rewards: [{ type: 'points', system: 'xp', amount: 5 }],
    });
    const activated = await activate('ten');
    expect(activated.body.backfill).toMatchObject({ status: 'done', granted: 2, jobId: expect.any(String) });
    expect(activated.body.achievement).toMatchObject({ completions: 2, rarity: 40 });
    expect(await keysOf('past')).toEqual(['ten']);
    expect(await keysOf('below')).toEqual([]);
    const view = (await t.api('GET', '/v1/users/past/achievements')).body[0];
    expect(view).toMatchObject({ backfilled: true, completionCount: 1 });
    const unlock = (await t.api('GET', '/v1/users/past/activity')).body.items[0];
    expect(unlock).toMatchObject({ source: 'backfill', backfilled: true });
    const points = (await t.api('GET', '/v1/users/past/points/xp')).body;
    expect(points).toMatchObject({ total: 5, awards: [{ awarded: 5, total: 5 }] });
    // Set-based inserts still give every award and points award a UUIDv7 of its own.
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const at = (await t.api('GET', '/v1/users/at/activity')).body.items[0];
    expect([unlock.id, at.id, points.awards[0].id]).toEqual([
      expect.stringMatching(v7),
      expect.stringMatching(v7),
      expect.stringMatching(v7),
    ]);
    expect(unlock.id).not.toBe(at.id);
    // Already held: the next event unlocks nothing more.
    expect((await send('sessions', 'past', 1)).body.achievements).toEqual([]);
    // Crossing it later unlocks normally, with a notification-worthy unlock in the response.
    expect((await send('sessions', 'below', 6)).body.achievements.map((a: any) => a.key)).toEqual(['ten']);
  });

  it('from_activation: only activity after activation counts', async () => {
    await create({
      key: 'ten-new',
      name: 'Ten new sessions',
      criteria: { type: 'metric', metric: 'sessions', threshold: 10 },
      policies: { onActivation: 'from_activation' },
    });
    expect((await activate('ten-new')).body.backfill).toBeNull();
    expect((await send('sessions', 'past', 9)).body.achievements).toEqual([]);
    expect((await send('sessions', 'past', 1)).body.achievements.map((a: any) => a.key)).toEqual(['ten-new']);
    const progress = (await t.api('GET', '/v1/users/at/achievements?includeIncomplete=true')).body.find((a: any) => a.key === 'ten-new');
    expect(progress.progress).toMatchObject({ current: 0, target: 10 });
  });

  it('exact: backfill grants only those exactly at the threshold; the rest must match it again', async () => {
    await send('lessons', 'exact-at', 3);
    await send('lessons', 'exact-past', 5);
    await create({
      key: 'three',
      name: 'Three lessons',
      criteria: { type: 'metric', metric: 'lessons', threshold: 3 },
      policies: { match: 'exact' },
    });
    expect((await activate('three')).body.backfill.granted).toBe(1);
    expect(await keysOf('exact-at')).toEqual(['three']);
    expect((await send('lessons', 'exact-past', 1)).body.achievements).toEqual([]);
    expect((await send('lessons', 'exact-past', -3)).body.achievements.map((a: any) => a.key)).toEqual(['three']);
  });

  it('tiers: each tier already reached is granted with its own rewards', async () => {
    await create({
      key: 'ladder',
      name: 'Ladder',
      criteria: { type: 'metric', metric: 'sessions', measure: 'sum' },
      tiers: [
        { key: 'b', name: 'Bronze', threshold: 5, rewards: [{ type: 'points', system: 'xp', amount: 1 }] },
        { key: 's', name: 'Silver', threshold: 20, rewards: [{ type: 'points', system: 'xp', amount: 10 }] },
        { key: 'g', name: 'Gold', threshold: 100, rewards: [{ type: 'points', system: 'xp', amount: 100 }] },
      ],
    });
    await activate('ladder');
    const past = (await t.api('GET', '/v1/users/past/achievements')).body.find((a: any) => a.key === 'ladder');
    expect(past.tiersAchieved.map((x: any) => x.key)).toEqual(['b', 's']);
    expect(past.tier.key).toBe('s');
    const points = (await t.api('GET', '/v1/users/past/points/xp')).body;
    expect(points.total).toBe(5 + 1 + 10);
  });

  it('event filters: backfill counts only matching events from history', async () => {
    await create({
      key: 'mobile-3',
      name: 'Three mobile posts',
      criteria: { type: 'metric', metric: 'posts', measure: 'count', threshold: 3 },
      filters: { event: { source: 'mobile' } },
    });
    expect((await activate('mobile-3')).body.backfill.granted).toBe(1);
    expect(await keysOf('mobile-fan')).toEqual(['mobile-3']);
    expect(await keysOf('web-fan')).toEqual([]);
    // The filtered counter carries on from history.
    await send('posts', 'web-fan', 1, { source: 'mobile' });
    await send('posts', 'web-fan', 1, { source: 'mobile' });
    expect((await send('posts', 'web-fan', 1, { source: 'mobile' })).body.achievements.map((a: any) => a.key)).toEqual(['mobile-3']);
  });

  it('user filters: backfill grants only matching users', async () => {
    await send('visits', { id: 'pro-user', attributes: { plan: 'pro' } }, 2);
    await send('visits', { id: 'free-user', attributes: { plan: 'free' } }, 2);
    await create({
      key: 'pro-visitor',
      name: 'Pro visitor',
      criteria: { type: 'metric', metric: 'visits', threshold: 1 },
      filters: { user: { plan: 'pro' } },
    });
    expect((await activate('pro-visitor')).body.backfill.granted).toBe(1);
    expect(await keysOf('pro-user')).toContain('pro-visitor');
    expect(await keysOf('free-user')).not.toContain('pro-visitor');
  });

  it('editing the criteria of an active achievement grants it to those who now qualify', async () => {
    expect(await keysOf('at')).toContain('ten');
    await create({ key: 'twelve', name: 'Twelve', criteria: { type: 'metric', metric: 'sessions', threshold: 12 }, status: 'active' });
    expect(await keysOf('at')).not.toContain('twelve');
    const edited = await t.admin('PATCH', '/admin/v1/achievements/twelve', {
      criteria: { type: 'metric', metric: 'sessions', threshold: 8 },
    });
    expect(edited.body.backfill.granted).toBeGreaterThan(0);
    expect(await keysOf('at')).toContain('twelve');
  });

  it('composites that depend on a backfilled achievement follow', async () => {
    await create({ key: 'intro', name: 'Intro', criteria: { type: 'api' }, status: 'active' });
    await t.api('POST', '/v1/achievements/intro/complete', { user: { id: 'past' } });
    await t.api('POST', '/v1/achievements/intro/complete', { user: { id: 'below' } });
    await create({ key: 'veteran', name: 'Veteran', criteria: { type: 'metric', metric: 'sessions', threshold: 25 } });
    await create({
      key: 'all-round',
      name: 'All-rounder',
      criteria: { type: 'composite', requires: ['intro', 'veteran'] },
      status: 'active',
    });
    expect(await keysOf('past')).not.toContain('all-round');
    await activate('veteran');
    expect(await keysOf('past')).toEqual(expect.arrayContaining(['veteran', 'all-round']));
    expect(await keysOf('below')).not.toContain('all-round');
  });

  it('repeatable achievements backfill every completion the history covers', async () => {
    await send('workouts', 'gym', 7);
    await create({
      key: 'every-3',
      name: 'Every three',
      criteria: { type: 'metric', metric: 'workouts', threshold: 3 },
      policies: { repeat: 'unlimited' },
      rewards: [{ type: 'points', system: 'xp', amount: 2 }],
    });
    await activate('every-3');
    const mine = (await t.api('GET', '/v1/users/gym/achievements')).body.find((a: any) => a.key === 'every-3');
    expect(mine.completionCount).toBe(2);
    const points = (await t.api('GET', '/v1/users/gym/points/xp')).body;
    expect(points.total).toBe(4);
    expect(points.awards.map((a: any) => a.total).sort()).toEqual([2, 4]);
    expect((await send('workouts', 'gym', 2)).body.achievements.map((a: any) => a.completionCount)).toEqual([3]);
  });
});

describe.each(DIALECTS)('backfill at scale (%s)', (dialect) => {
  it('runs as a fixed number of SQL statements whatever the number of users', async () => {
    const statementsFor = async (users: number) => {
      let counting = false;
      let statements = 0;
      // Statements of the backfill itself; the job table's polling varies with timing.
      const t = await startLaurel({
        dialect,
        onQuery: (text) => counting && !/\bjobs\b|\bwebhook_deliveries\b|\bdispatched_at\b/.test(text) && statements++,
      });
      try {
        const events = Array.from({ length: users }, (_, i) => ({ metric: 'steps', user: { id: `u${i}` }, value: 10 + (i % 5) }));
        for (let i = 0; i < events.length; i += 1000) await t.api('POST', '/v1/events', { events: events.slice(i, i + 1000) });
        await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
        await t.admin('POST', '/admin/v1/achievements', {
          key: 'walker',
          name: 'Walker',
          criteria: { type: 'metric', metric: 'steps', threshold: 12 },
          rewards: [{ type: 'points', system: 'xp', amount: 1 }],
        });
        counting = true;
        const reply = await t.admin('PATCH', '/admin/v1/achievements/walker', { status: 'active' });
        counting = false;
        expect(reply.body.backfill.granted).toBe(Math.floor(users / 5) * 3 + Math.max(0, (users % 5) - 2));
        return statements;
      } finally {
        await t.close();
      }
    };
    expect(await statementsFor(3000)).toBe(await statementsFor(30));
  });
});

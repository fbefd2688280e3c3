import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('reading achievements back (%s)', (dialect) => {
  let t: TestLaurel;
  const create = (body: object) => t.admin('POST', '/admin/v1/achievements', { status: 'active', ...body });
  const send = (metric: string, user: object, value: number) => t.api('POST', `/v1/metrics/${metric}/event`, { user, value });

  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', unit: 'words', unitSingular: 'word', verb: 'Write' });
    await t.admin('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      levels: [
        { key: 'rookie', name: 'Rookie', points: 0 },
        { key: 'pro', name: 'Pro', points: 30 },
      ],
    });
    await create({
      key: 'writer',
      name: 'Writer',
      category: 'writing',
      featured: true,
      criteria: { type: 'metric', metric: 'words' },
      tiers: [
        { key: 'bronze', name: 'Bronze', threshold: 100, rewards: [{ type: 'points', system: 'xp', amount: 10 }] },
        { key: 'silver', name: 'Silver', threshold: 1000, rewards: [{ type: 'points', system: 'xp', amount: 20 }] },
      ],
    });
    t.clock.advance(1000);
    await create({ key: 'premium', name: 'Premium perk', criteria: { type: 'api' }, filters: { user: { plan: 'premium' } } });
    t.clock.advance(1000);
    await create({ key: 'hidden', name: 'Hidden draft', criteria: { type: 'api' }, status: 'draft' });
    for (const [id, words] of [
      ['u1', 1500],
      ['u2', 150],
      ['u3', 10],
      ['u4', 0],
    ] as const) {
      t.clock.advance(1000);
      await send('words', { id, attributes: { plan: id === 'u1' ? 'premium' : 'free' } }, words);
    }
  });
  afterAll(() => t.close());

  it("lists active achievements with completions and rarity as a percentage of the community's users", async () => {
    const all = await t.api('GET', '/v1/achievements');
    expect(all.body.map((a: any) => [a.key, a.completions, a.rarity])).toEqual([
      ['writer', 2, 50],
      ['premium', 0, 0],
    ]);
    expect(all.body[0]).toMatchObject({
      trigger: 'metric',
      metricName: 'Words written',
      metricValue: 100,
      condition: 'Write 100 words (Bronze) · 1,000 (Silver)',
      category: 'writing',
      featured: true,
      userAttributes: [],
    });
    expect(all.body[1].userAttributes).toEqual([{ key: 'plan', value: 'premium' }]);
    const forFree = await t.api('GET', '/v1/achievements?userAttributes=plan:free');
    expect(forFree.body.map((a: any) => a.key)).toEqual(['writer']);
    expect((await t.api('GET', '/v1/achievements?userAttributes=oops')).body.field).toBe('userAttributes');
  });

  it("shows a user's unlocked achievements with date, tier and completion count", async () => {
    const mine = await t.api('GET', '/v1/users/u1/achievements');
    expect(mine.body).toHaveLength(1);
    expect(mine.body[0]).toMatchObject({
      key: 'writer',
      achievedAt: expect.any(String),
      tier: { key: 'silver', name: 'Silver', threshold: 1000 },
      tiersAchieved: [{ key: 'bronze' }, { key: 'silver' }],
      completionCount: 2,
      completions: 2,
      rarity: 50,
      progress: null,
    });
  });

  it('with includeIncomplete, adds the rest with progress towards the next tier, only where the user is eligible', async () => {
    const u2 = (await t.api('GET', '/v1/users/u2/achievements?includeIncomplete=true')).body;
    expect(u2.map((a: any) => [a.key, a.achievedAt !== null])).toEqual([['writer', true]]);
    expect(u2[0].progress).toEqual({ current: 150, target: 1000, percent: 15, tier: { key: 'silver', name: 'Silver' } });
    const u3 = (await t.api('GET', '/v1/users/u3/achievements?includeIncomplete=true')).body;
    expect(u3[0]).toMatchObject({
      achievedAt: null,
      tier: null,
      progress: { current: 10, target: 100, percent: 10, tier: { key: 'bronze' } },
    });
    const u1 = (await t.api('GET', '/v1/users/u1/achievements?includeIncomplete=true')).body;
    expect(u1.map((a: any) => a.key)).toEqual(['writer', 'premium']);
    expect(u1[0].progress).toMatchObject({ percent: 100, tier: null });
    expect(u1[1].progress).toEqual({ current: 0, target: 1, percent: 0, tier: null });
    expect((await t.api('GET', '/v1/users/nobody/achievements')).status).toBe(404);
  });

  it("shows a user's points with level and recent awards", async () => {
    const points = await t.api('GET', '/v1/users/u1/points/xp');
    expect(points.body).toMatchObject({ key: 'xp', name: 'XP', total: 30, level: { key: 'pro', points: 30 }, maxPoints: null });
    expect(points.body.awards.map((a: any) => a.total)).toEqual([30, 10]);
    expect((await t.api('GET', '/v1/users/u1/points/xp?awards=1')).body.awards).toHaveLength(1);
    expect((await t.api('GET', '/v1/users/u1/points/gold')).status).toBe(404);
    expect((await t.api('GET', '/v1/users/u4/points/xp')).body).toMatchObject({ total: 0, level: { key: 'rookie' }, awards: [] });
  });

  it("pages a user's activity newest first", async () => {
    await t.api('POST', '/v1/achievements/premium/complete', { user: { id: 'u1' } });
    const first = await t.api('GET', '/v1/users/u1/activity?limit=2');
    expect(first.body.items.map((i: any) => [i.achievement.key, i.tier?.key ?? null])).toEqual([
      ['premium', null],
      ['writer', 'silver'],
    ]);
    const second = await t.api('GET', `/v1/users/u1/activity?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ achievement: { key: 'writer' }, tier: { key: 'bronze' } }], nextCursor: null });
    expect((await t.api('GET', '/v1/users/u1/activity?cursor=garbage')).body.code).toBe('invalid_cursor');
  });

  it('creates, identifies and updates users', async () => {
    const created = await t.api('POST', '/v1/users', { id: 'new', email: 'n@example.com', tz: 'Asia/Tokyo' });
    expect(created).toMatchObject({ status: 201, body: { id: 'new', tz: 'Asia/Tokyo', subscribeToEmails: true, control: false } });
    expect((await t.api('POST', '/v1/users', { id: 'new' })).status).toBe(409);
    expect((await t.api('PUT', '/v1/users/new', { name: 'Newt' })).body).toMatchObject({ name: 'Newt', email: 'n@example.com' });
    expect((await t.api('PUT', '/v1/users/brand-new', { name: 'B' })).body.id).toBe('brand-new');
    expect((await t.api('PATCH', '/v1/users/ghost', { name: 'G' })).status).toBe(404);
    expect((await t.api('PATCH', '/v1/users/new', { tz: 'Nowhere/Land' })).body).toMatchObject({ field: 'tz', code: 'unknown_time_zone' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('the four steps of the quick start (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
  });
  afterAll(() => t.close());

  it('creates a metric and a tiered achievement, sends events, completes an API achievement and reads it all back', async () => {
    expect(
      (
        await t.admin('POST', '/admin/v1/metrics', {
          key: 'words',
          name: 'Words written',
          unit: 'words',
          unitSingular: 'word',
          verb: 'Write',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await t.admin('POST', '/admin/v1/points-systems', {
          key: 'xp',
          name: 'XP',
          levels: [
            { key: 'l1', name: 'Level 1', points: 0 },
            { key: 'l2', name: 'Level 2', points: 150 },
          ],
        })
      ).status,
    ).toBe(201);
    const writer = await t.admin('POST', '/admin/v1/achievements', {
      key: 'writer',
      name: 'Writer',
      criteria: { type: 'metric', metric: 'words', measure: 'sum' },
      tiers: [
        { key: 'bronze', name: 'Bronze', threshold: 100, rewards: [{ type: 'points', system: 'xp', amount: 50 }] },
        { key: 'silver', name: 'Silver', threshold: 500, rewards: [{ type: 'points', system: 'xp', amount: 100 }] },
        { key: 'gold', name: 'Gold', threshold: 1000, rewards: [{ type: 'points', system: 'xp', amount: 200 }] },
      ],
    });
    expect(writer.status).toBe(201);
    expect(writer.body.achievement.status).toBe('draft');
    expect(writer.body.achievement.condition).toBe('Write 100 words (Bronze) · 500 (Silver) · 1,000 (Gold)');
    const activated = await t.admin('PATCH', '/admin/v1/achievements/writer', { status: 'active' });
    expect(activated.status).toBe(200);
    expect(activated.body.achievement.status).toBe('active');

    const first = await t.api('POST', '/v1/metrics/words/event', { user: { id: 'ada', tz: 'Europe/London' }, value: 600 });
    expect(first.status).toBe(201);
    expect(first.body.total).toBe(600);
    expect(first.body.achievements.map((a: any) => a.tier.key)).toEqual(['bronze', 'silver']);
    expect(first.body.achievements[1].rewards).toEqual([{ type: 'points', system: 'xp', amount: 100 }]);
    expect(first.body.points.xp).toMatchObject({ total: 150, added: 150, level: { key: 'l2' } });

    const second = await t.api('POST', '/v1/metrics/words/event', { user: { id: 'ada' }, value: 300 });
    expect(second.body.total).toBe(900);
    expect(second.body.achievements).toEqual([]);

    t.clock.advance(1000);
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'profile',
      name: 'Complete your profile',
      criteria: { type: 'api' },
      status: 'active',
    });
    const done = await t.api('POST', '/v1/achievements/profile/complete', { user: { id: 'ada' } });
    expect(done.status).toBe(201);
    expect(done.body.achievement.key).toBe('profile');

    const all = await t.api('GET', '/v1/achievements');
    expect(all.body.map((a: any) => [a.key, a.completions, a.rarity])).toEqual([
      ['writer', 1, 100],
      ['profile', 1, 100],
    ]);

    const mine = await t.api('GET', '/v1/users/ada/achievements?includeIncomplete=true');
    const writerView = mine.body.find((a: any) => a.key === 'writer');
    expect(writerView.tier.key).toBe('silver');
    expect(writerView.progress).toEqual({ current: 900, target: 1000, percent: 90, tier: { key: 'gold', name: 'Gold' } });
  });
});

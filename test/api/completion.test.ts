import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('completing API achievements (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
    const create = (body: object) => t.admin('POST', '/admin/v1/achievements', body);
    await create({
      key: 'onboarded',
      name: 'Finish onboarding',
      criteria: { type: 'api' },
      rewards: [{ type: 'points', system: 'xp', amount: 25 }],
      status: 'active',
    });
    await create({ key: 'shared', name: 'Share it', criteria: { type: 'api' }, status: 'active' });
    await create({
      key: 'starter',
      name: 'Starter pack',
      criteria: { type: 'composite', requires: ['onboarded', 'shared'] },
      status: 'active',
    });
    await create({
      key: 'resubscribed',
      name: 'Subscriber',
      criteria: { type: 'api' },
      policies: { repeat: 'unlimited' },
      status: 'active',
    });
    await create({
      key: 'premium-only',
      name: 'Premium',
      criteria: { type: 'api' },
      filters: { user: { plan: 'premium' } },
      status: 'active',
    });
    await create({ key: 'metric-one', name: 'Metric', criteria: { type: 'metric', metric: 'm', threshold: 1 }, status: 'active' });
    await create({ key: 'draft-one', name: 'Draft', criteria: { type: 'api' } });
  });
  afterAll(() => t.close());

  const complete = (key: string, user: object) => t.api('POST', `/v1/achievements/${key}/complete`, { user });

  it('completes once (201) and answers a repeat with the original completion (200)', async () => {
    const first = await complete('onboarded', { id: 'ivy', email: 'ivy@example.com' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      completionId: expect.any(String),
      achievement: { key: 'onboarded', trigger: 'api', achievedAt: expect.any(String) },
      points: { xp: { total: 25, added: 25 } },
      alreadyCompleted: false,
    });
    const again = await complete('onboarded', { id: 'ivy' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ completionId: first.body.completionId, alreadyCompleted: true, points: {} });
    expect((await t.api('GET', '/v1/users/ivy/points/xp')).body.total).toBe(25);
  });

  it('unlocks a composite the moment its last requirement is completed', async () => {
    await complete('onboarded', { id: 'jo' });
    const reply = await complete('shared', { id: 'jo' });
    expect(reply.body.achievements.map((a: any) => [a.key, a.source])).toEqual([
      ['shared', 'api'],
      ['starter', 'composite'],
    ]);
  });

  it('completes a repeatable achievement every time', async () => {
    await complete('resubscribed', { id: 'kim' });
    const second = await complete('resubscribed', { id: 'kim' });
    expect(second).toMatchObject({ status: 201, body: { achievement: { completionCount: 2 } } });
    const mine = await t.api('GET', '/v1/users/kim/achievements');
    expect(mine.body.find((a: any) => a.key === 'resubscribed').completionCount).toBe(2);
  });

  it('refuses what cannot be completed, with the right status', async () => {
    expect((await complete('nope', { id: 'lu' })).body).toMatchObject({ code: 'achievement_not_found' });
    expect((await complete('nope', { id: 'lu' })).status).toBe(404);
    expect((await complete('draft-one', { id: 'lu' })).status).toBe(404);
    expect(await complete('metric-one', { id: 'lu' })).toMatchObject({ status: 422, body: { code: 'not_an_api_achievement' } });
    expect(await complete('premium-only', { id: 'lu', attributes: { plan: 'free' } })).toMatchObject({
      status: 422,
      body: { code: 'user_not_eligible' },
    });
    expect((await complete('premium-only', { id: 'lu', attributes: { plan: 'premium' } })).status).toBe(201);
    expect((await t.api('POST', '/v1/achievements/onboarded/complete', {})).body).toMatchObject({ field: 'user' });
  });

  it('stops new completions once locked; holders keep it and still see it', async () => {
    await complete('shared', { id: 'max' });
    await t.admin('PATCH', '/admin/v1/achievements/shared', { status: 'locked' });
    expect(await complete('shared', { id: 'ned' })).toMatchObject({ status: 409, body: { code: 'achievement_locked' } });
    const holder = await t.api('GET', '/v1/users/max/achievements');
    expect(holder.body.map((a: any) => [a.key, a.status])).toContainEqual(['shared', 'locked']);
    const other = await t.api('GET', '/v1/users/ivy/achievements?includeIncomplete=true');
    expect(other.body.map((a: any) => a.key)).not.toContain('shared');
    expect((await t.api('GET', '/v1/achievements')).body.map((a: any) => a.key)).not.toContain('shared');
  });

  it('never shows archived achievements, not even to holders', async () => {
    await t.admin('PATCH', '/admin/v1/achievements/shared', { status: 'archived' });
    const holder = await t.api('GET', '/v1/users/max/achievements?includeIncomplete=true');
    expect(holder.body.map((a: any) => a.key)).not.toContain('shared');
  });
});

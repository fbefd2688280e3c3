/**
 * Every unlock, points change, level reached and streak extension is announced in the outbox, in
 * the transaction of the change: with Trophy's webhook body, once, and never for a refused request,
 * a replayed one or a silent backfill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { createLessons } from '../support/lessons.js';

describe.each(DIALECTS)('the outbox (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await createLessons(t);
    await t.admin('POST', '/admin/v1/achievements', { key: 'onboarded', name: 'Onboarded', criteria: { type: 'api' }, status: 'active' });
  });
  afterAll(() => t.close());

  /** The outbox rows of a user, oldest first, as receivers will get them. */
  const announced = async (userId: string) => {
    const rows = await t.laurel.ctx.store.database.db
      .selectFrom('outbox')
      .select(['id', 'type', 'user_id', 'payload', 'backfilled'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) }));
  };

  it('announces an unlock, the points it paid, the level reached and the streak extended, with the event', async () => {
    const sent = await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'ada', email: 'ada@example.com' }, value: 1 });
    expect(sent.status).toBe(201);
    const rows = await announced('ada');
    expect(rows.map((r) => r.type)).toEqual(['achievement.completed', 'points.changed', 'points.level_changed', 'streak.extended']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4);
    expect(rows.every((r) => r.backfilled === 0)).toBe(true);
    const [unlock, points, level, streak] = rows.map((r) => r.payload);
    expect(unlock).toMatchObject({
      type: 'achievement.completed',
      user: { id: 'ada', email: 'ada@example.com' },
      achievement: { key: 'first-lesson', completionId: sent.body.achievements[0].completionId },
    });
    expect(points).toMatchObject({ type: 'points.changed', points: { key: 'xp', total: 60, added: 60, awards: [{ awarded: 60 }] } });
    expect(level).toMatchObject({
      type: 'points.level_changed',
      previousLevel: { key: 'novice' },
      newLevel: { key: 'pro' },
      points: { key: 'xp', total: 60 },
    });
    expect(streak).toMatchObject({ type: 'streak.extended', streak: { length: 1, frequency: 'daily' } });
    expect(streak.streak).not.toHaveProperty('extended');
  });

  it('announces nothing for a replayed or a refused request', async () => {
    const headers = { 'Idempotency-Key': 'k-1' };
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'bo' }, value: 1 }, headers);
    const before = (await announced('bo')).length;
    expect((await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'bo' }, value: 1 }, headers)).status).toBe(202);
    const refused = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'lessons', user: { id: 'bo' }, value: 1 },
        { metric: 'lessons', user: { id: 'bo' }, value: 1, timestamp: '1999-01-01T00:00:00Z' },
      ],
    });
    expect(refused.status).toBe(422);
    expect((await announced('bo')).length).toBe(before);
  });

  it('announces an API completion, and nothing for a user granted an achievement by backfill', async () => {
    expect((await t.api('POST', '/v1/achievements/onboarded/complete', { user: { id: 'cy' } })).status).toBe(201);
    expect((await announced('cy')).map((r) => r.payload.achievement?.key)).toEqual(['onboarded']);

    await t.api('POST', '/v1/metrics/chapters/event', { user: { id: 'dee' }, value: 5 });
    const created = await t.admin('POST', '/admin/v1/achievements', {
      key: 'reader',
      name: 'Reader',
      criteria: { type: 'metric', metric: 'chapters', threshold: 5 },
      policies: { onActivation: 'backfill' },
      status: 'active',
    });
    expect(created.body.backfill).toMatchObject({ status: 'done' });
    expect((await t.api('GET', '/v1/users/dee/achievements')).body.map((a: { key: string }) => a.key)).toContain('reader');
    expect((await announced('dee')).filter((r) => r.type === 'achievement.completed')).toEqual([]);
  });
});

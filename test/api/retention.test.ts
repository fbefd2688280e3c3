import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneHistory } from '../../src/engine/prune-history.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('retention (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    t.clock.set('2026-06-30T12:00:00Z');
    await t.admin('PATCH', '/admin/v1/settings', { lateEventHorizonDays: 365 });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'k',
      name: 'Thousand',
      criteria: { type: 'metric', metric: 'steps', threshold: 1000 },
      status: 'active',
    });
  });
  afterAll(() => t.close());

  it('prunes raw events by age without touching totals, day totals or awards', async () => {
    for (const [daysAgo, value] of [
      [200, 600],
      [100, 300],
      [10, 200],
    ] as const) {
      const timestamp = new Date(Date.parse('2026-06-30T12:00:00Z') - daysAgo * 86_400_000).toISOString();
      await t.api(
        'POST',
        '/v1/metrics/steps/event',
        { user: { id: 'walker' }, value, timestamp },
        { 'idempotency-key': `walk-${daysAgo}` },
      );
    }
    const db = t.laurel.ctx.store.database.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(3);

    const result = await pruneHistory(t.laurel.ctx, 90);
    // Idempotency keys age from when they arrived (today), not from their events' timestamps.
    expect(result).toMatchObject({ events: 2, idempotencyKeys: 0 });
    expect(await count()).toBe(1);
    const mine = (await t.api('GET', '/v1/users/walker/achievements?includeIncomplete=true')).body;
    expect(mine[0]).toMatchObject({ key: 'k', achievedAt: expect.any(String) });
    // The steps total (joining also added to the built-in member_joined).
    const total = await db
      .selectFrom('user_metrics')
      .innerJoin('metrics', 'metrics.id', 'user_metrics.metric_id')
      .select('user_metrics.total')
      .where('user_metrics.user_id', '=', 'walker')
      .where('metrics.key', '=', 'steps')
      .executeTakeFirstOrThrow();
    expect(total.total).toBe(1100);
    await expect(pruneHistory(t.laurel.ctx, 0)).rejects.toThrow(/at least one day/);
    t.clock.advance(100 * 86_400_000);
    expect((await pruneHistory(t.laurel.ctx, 90)).idempotencyKeys).toBe(3);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/**
 * Many clients sending single events at once: requests that arrive while a transaction runs commit
 * together in the next one (group commit), and each still gets exactly the answer it would get alone.
 */
describe.each(DIALECTS)('concurrent single events (%s)', (dialect) => {
  let t: TestLaurel;
  let transactions = 0;
  beforeEach(async () => {
    transactions = 0;
    // Every ingest transaction checks the rules' version once: counting those counts transactions.
    t = await startLaurel({ dialect, onQuery: (sql) => void (/select "config_version" from "communities"/.test(sql) && transactions++) });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'ten',
      name: 'Ten',
      status: 'active',
      criteria: { type: 'metric', metric: 'words', threshold: 10 },
      rewards: [{ type: 'points', system: 'xp', amount: 5 }],
    });
  });
  afterEach(() => t.close());

  const send = (user: string, extra: object = {}, headers: Record<string, string> = {}) =>
    t.api('POST', '/v1/metrics/words/event', { user: { id: user }, value: 1, ...extra }, headers);

  it('answers every request as if it ran alone, in fewer transactions than requests', async () => {
    transactions = 0;
    const replies = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => send(`u${i % 4}`)),
      send('u0', {}, { 'idempotency-key': 'same' }),
      send('u0', {}, { 'idempotency-key': 'same' }),
      send('u1', { timestamp: '2020-01-01T00:00:00Z' }),
      send('u2', { value: 'lots' }),
    ]);
    const statuses = replies.map((r) => r.status);
    expect(statuses.slice(0, 40)).toEqual(Array(40).fill(201));
    // The same idempotency key twice: one applies, the other replays its answer.
    expect(statuses.slice(40, 42).sort()).toEqual([201, 202]);
    expect(replies[40]?.body.eventId).toBe(replies[41]?.body.eventId);
    // Bad requests fail alone, with their own errors.
    expect(replies[42]).toMatchObject({ status: 422, body: { code: 'event_too_old', field: 'timestamp' } });
    expect(replies[43]).toMatchObject({ status: 422, body: { field: 'value' } });
    expect(transactions).toBeLessThan(40);

    // Totals count every applied event once; each user unlocked "ten" exactly once, paid once.
    for (const [user, total] of [
      ['u0', 11],
      ['u1', 10],
      ['u2', 10],
      ['u3', 10],
    ] as const) {
      const metrics = (await t.api('GET', `/v1/users/${user}/metrics/words`)).body;
      expect(metrics.current).toBe(total);
      const points = (await t.api('GET', `/v1/users/${user}/points/xp`)).body;
      expect(points.total).toBe(5);
    }
    // (A replay repeats its original's answer, unlocks included, so only applied events count.)
    const unlocks = replies
      .slice(0, 42)
      .filter((r) => r.status === 201)
      .flatMap((r) => r.body.achievements.map((a: { key: string }) => a.key));
    expect(unlocks).toEqual(['ten', 'ten', 'ten', 'ten']);
  });
});

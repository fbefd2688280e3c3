/**
 * The engine keeps running state (day totals, streak points) and judges late events as if they had
 * arrived in order. Here random events, in random time zones and arriving in random order, are
 * sent through the real engine; what it reports must equal a naive computation over the full event
 * list, done independently with Luxon.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

const NOW = Date.parse('2026-03-31T15:00:00Z');
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'America/St_Johns',
  'Pacific/Chatham',
];

interface Event {
  at: number;
  value: number;
}

function naive(events: Event[], tz: string) {
  const local = (ms: number) => DateTime.fromMillis(ms, { zone: tz }).startOf('day');
  const today = local(NOW);
  const days = new Map<string, { count: number; total: number }>();
  for (const e of events) {
    const key = local(e.at).toISODate() as string;
    const d = days.get(key) ?? { count: 0, total: 0 };
    days.set(key, { count: d.count + 1, total: d.total + e.value });
  }
  const inRange = (from: DateTime, to: DateTime) =>
    events
      .filter((e) => local(e.at) >= from && local(e.at) <= to)
      .reduce((s, e) => ({ count: s.count + 1, total: s.total + e.value }), { count: 0, total: 0 });
  // The streak: consecutive active days ending today, or yesterday if today has nothing yet.
  let day = days.has(today.toISODate() as string) ? today : today.minus({ days: 1 });
  let streak = 0;
  while (days.has(day.toISODate() as string)) {
    streak++;
    day = day.minus({ days: 1 });
  }
  // "3 within 7 days" holds if it held at any day with activity (judged as if in order).
  const everThree = [...days.keys()].some((d) => {
    const end = DateTime.fromISO(d, { zone: tz });
    return inRange(end.minus({ days: 6 }), end).count >= 3;
  });
  return {
    streak,
    window7: inRange(today.minus({ days: 6 }), today).total,
    week: inRange(today.startOf('week'), today).total,
    month: inRange(today.startOf('month'), today).total,
    everThree,
  };
}

describe.each(DIALECTS)('time-aware state against a naive reference (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    t.clock.set(NOW);
    await t.admin('POST', '/admin/v1/streaks', { key: 'daily', name: 'Daily', frequency: 'daily', metrics: [{ metric: 'act' }] });
    const huge = 1e12;
    const create = (key: string, criteria: object) =>
      t.admin('POST', '/admin/v1/achievements', {
        key,
        name: key,
        status: 'active',
        criteria: { type: 'metric', metric: 'act', ...criteria },
      });
    await create('window7', { threshold: huge, window: { days: 7 } });
    await create('week', { threshold: huge, period: { unit: 'week' } });
    await create('month', { threshold: huge, period: { unit: 'month' } });
    await create('three', { measure: 'count', threshold: 3, window: { days: 7 } });
  });
  afterAll(() => t.close());

  let runs = 0;
  it('agrees on streak length, window sums, period totals and window unlocks, whatever the arrival order', async () => {
    const event = fc.record({
      at: fc.integer({ min: NOW - 25 * 86_400_000, max: NOW }),
      value: fc.integer({ min: 1, max: 9 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.array(event, { minLength: 1, maxLength: 20 }),
        fc.infiniteStream(fc.nat()),
        async (tz, events, shuffle) => {
          const user = `user-${runs++}`;
          const arrival = events
            .map((e) => ({ e, key: shuffle.next().value as number }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.e);
          for (const e of arrival) {
            const reply = await t.api('POST', '/v1/metrics/act/event', {
              user: { id: user, tz },
              value: e.value,
              timestamp: new Date(e.at).toISOString(),
            });
            expect(reply.status).toBe(201);
          }
          const expected = naive(events, tz);
          const streak = (await t.api('GET', `/v1/users/${user}/streak`)).body;
          const mine = (await t.api('GET', `/v1/users/${user}/achievements?includeIncomplete=true`)).body as any[];
          const current = (key: string) => mine.find((a) => a.key === key)?.progress?.current;
          expect({
            streak: streak.length,
            window7: current('window7'),
            week: current('week'),
            month: current('month'),
            everThree: mine.find((a) => a.key === 'three')?.achievedAt != null,
          }).toEqual(expected);
        },
      ),
      { numRuns: dialect === 'postgres' ? 25 : 60 },
    );
  });
});

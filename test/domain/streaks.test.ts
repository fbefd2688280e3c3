import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber, isoDay } from '../../src/domain/calendar.js';
import { lostOn, requalify, type StreakDefinition, type StreakPoint, streakPeriod, streakStatus, walk } from '../../src/domain/streaks.js';

const daily: StreakDefinition = {
  id: 's',
  key: 's',
  name: 'S',
  frequency: 'daily',
  metrics: [],
  mode: 'any',
  primary: true,
  freezes: null,
};
const d = dayNumber;

/** Qualifying days in the order given, applied one by one as the engine does. */
function incremental(def: StreakDefinition, arrivals: number[], today: number, weekStart = 1): StreakPoint[] {
  let points: StreakPoint[] = [];
  for (const day of arrivals) {
    const period = streakPeriod(def.frequency, day, weekStart).start;
    if (points.some((p) => p.period === period)) continue;
    const base = points.filter((p) => p.period < period).at(-1) ?? null;
    const later = points.filter((p) => p.period > period);
    points = [...points.filter((p) => p.period < period), ...requalify(def, base, later, period, day, today, weekStart)];
  }
  return points;
}

function reference(def: StreakDefinition, days: number[], today: number, weekStart = 1): StreakPoint[] {
  const qualifying = new Map<number, number>();
  for (const day of [...days].sort((a, b) => a - b)) {
    const period = streakPeriod(def.frequency, day, weekStart).start;
    if (!qualifying.has(period)) qualifying.set(period, day);
  }
  return walk(def, null, qualifying, today, weekStart).points;
}

const shape = (points: StreakPoint[]) => points.map(({ extendedAt: _at, ...rest }) => rest);

describe('streaks', () => {
  it('counts consecutive days and breaks on a missed one', () => {
    const points = reference(daily, [d('2026-03-01'), d('2026-03-02'), d('2026-03-03'), d('2026-03-05')], d('2026-03-05'));
    expect(points.map((p) => [isoDay(p.period), p.length, isoDay(p.started)])).toEqual([
      ['2026-03-01', 1, '2026-03-01'],
      ['2026-03-02', 2, '2026-03-01'],
      ['2026-03-03', 3, '2026-03-01'],
      ['2026-03-05', 1, '2026-03-05'],
    ]);
  });

  it('stays alive through today until the day is over, and says when it expires', () => {
    const points = reference(daily, [d('2026-03-01'), d('2026-03-02')], d('2026-03-03'));
    const status = streakStatus(daily, points.at(-1)!, d('2026-03-03'), 1);
    expect(status).toMatchObject({ length: 2, started: d('2026-03-01'), expires: d('2026-03-03') });
    expect(streakStatus(daily, points.at(-1)!, d('2026-03-04'), 1)).toMatchObject({ length: 0, expires: null });
    expect(streakStatus(daily, points.at(-1)!, d('2026-03-02'), 1).expires).toBe(d('2026-03-03'));
  });

  it('uses a freeze for one missed day, and the count of freezes drops', () => {
    const def = { ...daily, freezes: { initial: 1, autoEarnEveryDays: 0, max: 3 } };
    const points = reference(def, [d('2026-03-01'), d('2026-03-02'), d('2026-03-04')], d('2026-03-04'));
    expect(points.map((p) => [p.length, p.freezes])).toEqual([
      [1, 1],
      [2, 1],
      [3, 0],
    ]);
    const { periods } = walk(def, points[1]!, new Map([[d('2026-03-04'), 0]]), d('2026-03-04'), 1);
    expect(periods.map((p) => [isoDay(p.period.start), p.frozen, p.length])).toEqual([
      ['2026-03-03', true, 2],
      ['2026-03-04', false, 3],
    ]);
    // Two missed days with one freeze: the streak ends.
    expect(reference(def, [d('2026-03-01'), d('2026-03-04')], d('2026-03-04')).at(-1)!.length).toBe(1);
  });

  it('shows no freezes to a user who never started a streak, and the initial ones from their first day', () => {
    const def = { ...daily, freezes: { initial: 2, autoEarnEveryDays: 0, max: 3 } };
    expect(streakStatus(def, null, d('2026-03-04'), 1)).toMatchObject({ length: 0, freezes: 0 });
    const [first] = reference(def, [d('2026-03-04')], d('2026-03-04'));
    expect(streakStatus(def, first!, d('2026-03-04'), 1)).toMatchObject({ length: 1, freezes: 2 });
  });

  it('earns freezes every N days up to the maximum', () => {
    const def = { ...daily, freezes: { initial: 0, autoEarnEveryDays: 3, max: 1 } };
    const days = [1, 2, 3, 4, 5, 6, 7].map((n) => d(`2026-03-0${n}`));
    const points = reference(def, days, d('2026-03-07'));
    expect(points.map((p) => p.freezes)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    // The earned freeze covers a missed day.
    expect(reference(def, [...days, d('2026-03-09')], d('2026-03-09')).at(-1)).toMatchObject({ length: 8, freezes: 0 });
  });

  it('runs weekly and monthly streaks on calendar weeks and months', () => {
    const weekly = { ...daily, frequency: 'weekly' as const };
    const points = reference(weekly, [d('2026-03-02'), d('2026-03-13'), d('2026-03-22')], d('2026-03-22'));
    expect(points.map((p) => [isoDay(p.period), p.length])).toEqual([
      ['2026-03-02', 1],
      ['2026-03-09', 2],
      ['2026-03-16', 3],
    ]);
    const monthly = { ...daily, frequency: 'monthly' as const };
    expect(reference(monthly, [d('2026-01-31'), d('2026-02-01'), d('2026-04-01')], d('2026-04-01')).map((p) => p.length)).toEqual([
      1, 2, 1,
    ]);
  });

  it('says which day a streak is lost on if nothing extends it: the first day its status shows it broken', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('daily', 'weekly', 'monthly'),
        fc.record({
          initial: fc.integer({ min: 0, max: 3 }),
          autoEarnEveryDays: fc.integer({ min: 0, max: 40 }),
          max: fc.integer({ min: 0, max: 3 }),
        }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (offsets, frequency, freezes, weekStart, withFreezes) => {
          const def: StreakDefinition = {
            ...daily,
            frequency,
            freezes: withFreezes ? { ...freezes, initial: Math.min(freezes.initial, freezes.max) } : null,
          };
          const days = offsets.map((o) => d('2026-02-01') + o);
          const last = reference(def, days, d('2026-02-01') + 31, weekStart).at(-1) as StreakPoint;
          const lost = lostOn(def, last, weekStart);
          for (let today = last.period; today < last.period + 400; today++) {
            const broken = streakStatus(def, last, today, weekStart).length === 0;
            expect(broken).toBe(lost !== null && today >= lost);
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(
      lostOn(daily, { period: d('2026-03-02'), length: 2, started: d('2026-03-01'), freezes: 0, earnAnchor: 0, extendedAt: 0 }, 1),
    ).toBe(d('2026-03-04'));
  });

  it('gives the same points whatever order the periods arrive in (late events repair and extend)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
        fc.constantFrom('daily', 'weekly', 'monthly'),
        fc.record({
          initial: fc.integer({ min: 0, max: 2 }),
          autoEarnEveryDays: fc.integer({ min: 0, max: 10 }),
          max: fc.integer({ min: 0, max: 3 }),
        }),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        (offsets, frequency, freezes, weekStart, withFreezes) => {
          const def: StreakDefinition = {
            ...daily,
            frequency,
            freezes: withFreezes ? { ...freezes, initial: Math.min(freezes.initial, freezes.max) } : null,
          };
          const days = offsets.map((o) => d('2026-02-01') + o);
          const today = d('2026-02-01') + 45;
          const inOrder = reference(def, days, today, weekStart);
          expect(shape(incremental(def, days, today, weekStart))).toEqual(shape(inOrder));
          const last = inOrder.at(-1) ?? null;
          expect(streakStatus(def, incremental(def, days, today, weekStart).at(-1) ?? null, today, weekStart)).toMatchObject({
            length: streakStatus(def, last, today, weekStart).length,
          });
        },
      ),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideUnlocks, type Held } from '../../src/domain/thresholds.js';
import { addValues } from '../../src/domain/values.js';

const nothing = (): Held => ({ tiers: new Set(), completions: 0 });

/** Applies a sequence of values, recording which event index unlocked each step. */
function run(thresholds: number[], match: 'reach' | 'exact', repeat: 'once' | 'unlimited', values: number[]) {
  const held = { tiers: new Set<number>(), completions: 0 };
  let total = 0;
  const unlocks: { event: number; tier: number; completion: number }[] = [];
  values.forEach((value, event) => {
    const before = total;
    total = addValues(total, value);
    for (const u of decideUnlocks({ thresholds, match, repeat }, before, total, held)) {
      held.tiers.add(u.tierIndex);
      held.completions += 1;
      unlocks.push({ event, tier: u.tierIndex, completion: u.completion });
    }
  });
  return unlocks;
}

describe('decideUnlocks', () => {
  it('reach unlocks on the first event at or past the threshold', () => {
    expect(decideUnlocks({ thresholds: [10], match: 'reach', repeat: 'once' }, 9, 10, nothing())).toEqual([
      { tierIndex: 0, completion: 0 },
    ]);
    expect(decideUnlocks({ thresholds: [10], match: 'reach', repeat: 'once' }, 5, 9, nothing())).toEqual([]);
  });

  it('reach unlocks a user already past the threshold who does not hold it (e.g. a newly eligible user)', () => {
    expect(decideUnlocks({ thresholds: [10], match: 'reach', repeat: 'once' }, 50, 51, nothing())).toHaveLength(1);
  });

  it('one event that jumps past several tiers unlocks each of them, in order', () => {
    expect(decideUnlocks({ thresholds: [10, 50, 100], match: 'reach', repeat: 'once' }, 0, 75, nothing())).toEqual([
      { tierIndex: 0, completion: 0 },
      { tierIndex: 1, completion: 0 },
    ]);
  });

  it('exact unlocks only on the event that makes the measure equal the threshold', () => {
    const rule = { thresholds: [10], match: 'exact' as const, repeat: 'once' as const };
    expect(decideUnlocks(rule, 9, 10, nothing())).toHaveLength(1);
    expect(decideUnlocks(rule, 9, 11, nothing())).toEqual([]);
    expect(decideUnlocks(rule, 10, 10, nothing())).toEqual([]);
  });

  it('never unlocks a step the user holds', () => {
    expect(decideUnlocks({ thresholds: [10, 20], match: 'reach', repeat: 'once' }, 0, 30, { tiers: new Set([0]), completions: 1 })).toEqual(
      [{ tierIndex: 1, completion: 0 }],
    );
  });

  it('unlimited repeats unlock each further multiple of the threshold', () => {
    expect(run([3], 'reach', 'unlimited', [1, 1, 1, 1, 1, 4]).map((u) => [u.event, u.completion])).toEqual([
      [2, 1],
      [5, 2],
      [5, 3],
    ]);
  });

  it('unlimited: bounds what one change adds, not how far behind the user is', () => {
    const rule = { thresholds: [1], match: 'reach', repeat: 'unlimited' } as const;
    const behind = decideUnlocks(rule, 50000, 50001, { tiers: new Set([0]), completions: 10000 });
    expect(behind.map((u) => u.completion)).toEqual(Array.from({ length: 1000 }, (_, i) => 10001 + i));
    expect(decideUnlocks(rule, 50000, 50001, { tiers: new Set([0]), completions: 50000 })).toEqual([{ tierIndex: 0, completion: 50001 }]);
    expect(() => decideUnlocks(rule, 0, 1001, nothing())).toThrow(/1001 times/);
  });

  it('decimals add up to the threshold they are written to reach (0.1 + 0.2 reaches 0.3)', () => {
    expect(run([0.3], 'exact', 'once', [0.1, 0.2])).toEqual([{ event: 1, tier: 0, completion: 0 }]);
  });

  const positive = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 60 });
  const ladder = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 5 }).map((t) => t.sort((a, b) => a - b));

  it('reach-once: each tier unlocks exactly once, at the first event whose running total reaches it', () => {
    fc.assert(
      fc.property(ladder, positive, (thresholds, values) => {
        const unlocks = run(thresholds, 'reach', 'once', values);
        let total = 0;
        const expected: { event: number; tier: number; completion: number }[] = [];
        const done = new Set<number>();
        values.forEach((v, event) => {
          total += v;
          thresholds.forEach((t, tier) => {
            if (!done.has(tier) && total >= t) {
              done.add(tier);
              expected.push({ event, tier, completion: 0 });
            }
          });
        });
        expect(unlocks).toEqual(expected);
      }),
    );
  });

  it('exact-once: a tier unlocks only at an event whose running total equals it, never twice', () => {
    fc.assert(
      fc.property(ladder, fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 60 }), (thresholds, values) => {
        const unlocks = run(thresholds, 'exact', 'once', values);
        const totals = values.map((_, i) => values.slice(0, i + 1).reduce((a, b) => a + b, 0));
        for (const u of unlocks) expect(totals[u.event]).toBe(thresholds[u.tier]);
        expect(new Set(unlocks.map((u) => u.tier)).size).toBe(unlocks.length);
      }),
    );
  });
});

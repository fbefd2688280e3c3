import { describe, expect, it } from 'vitest';
import { addPoints, levelFor, pointsBySystem } from '../../src/domain/points.js';
import { mergeUser, validateUserInput } from '../../src/domain/user.js';

describe('points', () => {
  const levels = [
    { id: '1', key: 'bronze', name: 'Bronze', description: null, badgeUrl: null, points: 0 },
    { id: '2', key: 'silver', name: 'Silver', description: null, badgeUrl: null, points: 100 },
  ];

  it('finds the highest level reached', () => {
    expect(levelFor(levels, 99)?.key).toBe('bronze');
    expect(levelFor(levels, 100)?.key).toBe('silver');
    expect(levelFor([], 100)).toBeNull();
  });

  it("never adds past a system's maximum", () => {
    expect(addPoints(90, 20, 100)).toEqual({ total: 100, added: 10 });
    expect(addPoints(100, 20, 100)).toEqual({ total: 100, added: 0 });
    expect(addPoints(5, 20, null)).toEqual({ total: 25, added: 20 });
  });

  it("sums an unlock's points per system", () => {
    expect(
      pointsBySystem([{ type: 'points', system: 'xp', amount: 5 }, { type: 'badge' }, { type: 'points', system: 'xp', amount: 7 }]),
    ).toEqual(new Map([['xp', 12]]));
  });
});

describe('users', () => {
  it('rejects an unknown time zone and an empty id, naming the field', () => {
    expect(() => validateUserInput({ id: 'u', tz: 'Mars/Olympus' })).toThrow(/not an IANA time zone/);
    expect(() => validateUserInput({ id: ' ' })).toThrow(/must not be empty/);
  });

  it('merges attributes key by key and leaves absent fields alone', () => {
    const { user } = mergeUser(null, { id: 'u', name: 'Ada', attributes: { plan: 'free', team: 'a' } }, 1);
    const next = mergeUser(user, { id: 'u', attributes: { plan: 'premium' } }, 2);
    expect(next.changed).toBe(true);
    expect(next.user).toMatchObject({ name: 'Ada', attributes: { plan: 'premium', team: 'a' }, updatedAt: 2, createdAt: 1 });
    expect(mergeUser(next.user, { id: 'u', name: 'Ada' }, 3)).toMatchObject({ changed: false, user: { updatedAt: 2 } });
  });
});

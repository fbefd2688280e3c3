import { describe, expect, it } from 'vitest';
import type { AchievementDefinition } from '../../src/domain/achievement.js';
import { assertTransition, isVisibleTo } from '../../src/domain/achievement-status.js';
import { type ValidationContext, validateAchievement } from '../../src/domain/achievement-validation.js';
import { LaurelError } from '../../src/domain/errors.js';
import { achievement } from './fixtures.js';

const ctx: ValidationContext = {
  pointsSystems: new Set(['xp']),
  streaks: new Set(['daily']),
  primaryStreak: 'daily',
  achievements: new Map([
    ['a', { requires: [] }],
    ['b', { requires: ['c'] }],
    ['c', { requires: ['me'] }],
  ]),
};

function problem(def: Partial<AchievementDefinition>): { code: string; field?: string } | null {
  try {
    validateAchievement(achievement({ key: 'me', ...def }), ctx);
    return null;
  } catch (error) {
    if (!(error instanceof LaurelError)) throw error;
    return { code: error.code, field: error.field };
  }
}

const metric = (threshold?: number, measure: 'sum' | 'count' = 'sum') => ({
  type: 'metric' as const,
  metric: 'words',
  measure,
  ...(threshold === undefined ? {} : { threshold }),
});

describe('achievement validation', () => {
  it('accepts a plain milestone', () => {
    expect(problem({ criteria: metric(10) })).toBeNull();
  });

  it('rejects thresholds that are not above zero, and fractional counts', () => {
    expect(problem({ criteria: metric(0) })).toEqual({ code: 'invalid_threshold', field: 'criteria.threshold' });
    expect(problem({ criteria: metric(-5) })).toEqual({ code: 'invalid_threshold', field: 'criteria.threshold' });
    expect(problem({ criteria: metric(2.5, 'count') })).toEqual({ code: 'invalid_threshold', field: 'criteria.threshold' });
    expect(problem({ criteria: metric(2.5, 'sum') })).toBeNull();
  });

  it('needs either a threshold or tiers, not both', () => {
    expect(problem({ criteria: metric() })).toEqual({ code: 'threshold_required', field: 'criteria.threshold' });
    expect(problem({ criteria: metric(5), tiers: [{ key: 't', name: 'T', threshold: 5, rewards: [] }] })).toMatchObject({
      code: 'threshold_and_tiers',
    });
  });

  it('names the tier that is out of order', () => {
    const tiers = [
      { key: 'bronze', name: 'Bronze', threshold: 10, rewards: [] },
      { key: 'silver', name: 'Silver', threshold: 50, rewards: [] },
      { key: 'gold', name: 'Gold', threshold: 40, rewards: [] },
    ];
    expect(problem({ criteria: metric(), tiers })).toEqual({ code: 'tiers_out_of_order', field: 'tiers[2].threshold' });
  });

  it('refuses tiers that repeat forever, rewards beside tiers and unknown points systems', () => {
    const tiers = [{ key: 'b', name: 'B', threshold: 1, rewards: [] }];
    expect(
      problem({ criteria: metric(), tiers, policies: { match: 'reach', onActivation: 'backfill', repeat: 'unlimited' } }),
    ).toMatchObject({
      code: 'tiers_not_repeatable',
    });
    expect(problem({ criteria: metric(), tiers, rewards: [{ type: 'badge' }] })).toMatchObject({ code: 'rewards_on_tiers' });
    expect(problem({ criteria: metric(1), rewards: [{ type: 'points', system: 'gold', amount: 5 }] })).toEqual({
      code: 'unknown_points_system',
      field: 'rewards[0].system',
    });
  });

  it('checks composites: known keys, no self-reference, min in range, no cycles', () => {
    expect(problem({ criteria: { type: 'composite', requires: ['a', 'zzz'] } })).toEqual({
      code: 'unknown_achievement',
      field: 'criteria.requires[1]',
    });
    expect(problem({ criteria: { type: 'composite', requires: ['me'] } })).toMatchObject({ code: 'self_requirement' });
    expect(problem({ criteria: { type: 'composite', requires: ['a'], min: 2 } })).toMatchObject({ code: 'invalid_min' });
    expect(problem({ criteria: { type: 'composite', requires: ['b'] } })).toMatchObject({ code: 'requirement_cycle' });
  });
});

describe('achievement status', () => {
  it('follows draft → active ⇄ locked → archived, and lets a draft be archived', () => {
    for (const [from, to] of [
      ['draft', 'active'],
      ['active', 'locked'],
      ['locked', 'active'],
      ['locked', 'archived'],
      ['draft', 'archived'],
    ] as const) {
      expect(() => assertTransition(from, to)).not.toThrow();
    }
  });

  it('names both states of an illegal transition', () => {
    expect(() => assertTransition('archived', 'active')).toThrow('An achievement cannot go from archived to active');
    expect(() => assertTransition('active', 'draft')).toThrow(/from active to draft \(from active it can become locked\)/);
  });

  it('shows locked achievements only to their holders, drafts and archived ones to nobody', () => {
    expect(isVisibleTo('active', false)).toBe(true);
    expect(isVisibleTo('locked', false)).toBe(false);
    expect(isVisibleTo('locked', true)).toBe(true);
    expect(isVisibleTo('draft', true)).toBe(false);
    expect(isVisibleTo('archived', true)).toBe(false);
  });
});

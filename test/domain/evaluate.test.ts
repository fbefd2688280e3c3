import { describe, expect, it } from 'vitest';
import { applyCompletion, applyEvent, type UserWorkingState } from '../../src/domain/evaluate.js';
import { compileRules } from '../../src/domain/rules.js';
import { achievement, metric } from './fixtures.js';

const fresh = (attributes: Record<string, string> = {}): UserWorkingState => ({
  attributes,
  tz: null,
  createdAt: 0,
  totals: new Map(),
  counters: new Map(),
  days: new Map(),
  held: new Map(),
  targets: new Map(),
  streaks: new Map(),
});
const ctx = { now: 0, weekStart: 1 };

const words = metric('words');

describe('applying an event', () => {
  it('moves the metric total and unlocks what it reaches', () => {
    const rules = compileRules(
      [achievement({ key: 'w', criteria: { type: 'metric', metric: 'words', measure: 'sum', threshold: 10 } })],
      [words],
    );
    const state = fresh();
    expect(applyEvent(rules, ctx, state, { metricId: words.id, value: 4, attributes: null, occurredAt: 0, day: 0 }).unlocks).toEqual([]);
    const effect = applyEvent(rules, ctx, state, { metricId: words.id, value: 6, attributes: null, occurredAt: 0, day: 0 });
    expect(effect.tally).toEqual({ total: 10, count: 2 });
    expect(effect.unlocks.map((u) => u.achievement.key)).toEqual(['w']);
    expect(applyEvent(rules, ctx, state, { metricId: words.id, value: 6, attributes: null, occurredAt: 0, day: 0 }).unlocks).toEqual([]);
  });

  it('counts only matching events toward an event-filtered achievement, in its own counter', () => {
    const a = achievement({
      key: 'mobile',
      criteria: { type: 'metric', metric: 'words', measure: 'count', threshold: 2 },
      filters: { event: { source: 'mobile' }, user: {} },
    });
    const rules = compileRules([a], [words]);
    const state = fresh();
    applyEvent(rules, ctx, state, { metricId: words.id, value: 1, attributes: { source: 'web' }, occurredAt: 0, day: 0 });
    applyEvent(rules, ctx, state, { metricId: words.id, value: 1, attributes: { source: 'mobile' }, occurredAt: 0, day: 0 });
    const effect = applyEvent(rules, ctx, state, { metricId: words.id, value: 1, attributes: { source: 'mobile' }, occurredAt: 0, day: 0 });
    expect(effect.counterDeltas).toEqual([{ achievementId: a.id, value: 1 }]);
    expect(effect.unlocks.map((u) => u.achievement.key)).toEqual(['mobile']);
    expect(state.totals.get(words.id)).toEqual({ total: 3, count: 3 });
  });

  it('lets only users matching the user filter unlock', () => {
    const a = achievement({
      key: 'premium',
      criteria: { type: 'metric', metric: 'words', measure: 'sum', threshold: 1 },
      filters: { event: {}, user: { plan: 'premium' } },
    });
    const rules = compileRules([a], [words]);
    expect(
      applyEvent(rules, ctx, fresh({ plan: 'free' }), { metricId: words.id, value: 5, attributes: null, occurredAt: 0, day: 0 }).unlocks,
    ).toEqual([]);
    expect(
      applyEvent(rules, ctx, fresh({ plan: 'premium' }), { metricId: words.id, value: 5, attributes: null, occurredAt: 0, day: 0 }).unlocks,
    ).toHaveLength(1);
  });

  it('counts from activation only, for from_activation achievements', () => {
    const a = achievement({
      key: 'late',
      criteria: { type: 'metric', metric: 'words', measure: 'count', threshold: 1 },
      policies: { match: 'reach', onActivation: 'from_activation', repeat: 'once' },
      activatedAt: 1000,
    });
    const rules = compileRules([a], [words]);
    const state = fresh();
    expect(applyEvent(rules, ctx, state, { metricId: words.id, value: 1, attributes: null, occurredAt: 999, day: 0 }).unlocks).toEqual([]);
    expect(
      applyEvent(rules, ctx, state, { metricId: words.id, value: 1, attributes: null, occurredAt: 1000, day: 0 }).unlocks,
    ).toHaveLength(1);
  });

  it('follows composites in the same event, through chains', () => {
    const first = achievement({ key: 'first', criteria: { type: 'metric', metric: 'words', measure: 'count', threshold: 1 } });
    const profile = achievement({ key: 'profile' });
    const both = achievement({ key: 'both', criteria: { type: 'composite', requires: ['first', 'profile'] } });
    const top = achievement({ key: 'top', criteria: { type: 'composite', requires: ['both'] } });
    const rules = compileRules([first, profile, both, top], [words]);
    const state = fresh();
    expect(applyCompletion(rules, ctx, state, profile).map((u) => u.achievement.key)).toEqual(['profile']);
    const effect = applyEvent(rules, ctx, state, { metricId: words.id, value: 1, attributes: null, occurredAt: 0, day: 0 });
    expect(effect.unlocks.map((u) => [u.achievement.key, u.source])).toEqual([
      ['first', 'event'],
      ['both', 'composite'],
      ['top', 'composite'],
    ]);
    expect(rules.footprints.get(words.id)?.heldIds.sort()).toEqual(['id-both', 'id-first', 'id-profile', 'id-top']);
  });

  it('skips achievements with dangling references and reports them', () => {
    const gone = achievement({ key: 'gone', status: 'archived' });
    const needsGone = achievement({ key: 'needs', criteria: { type: 'composite', requires: ['gone'] } });
    const onArchived = achievement({ key: 'old-metric', criteria: { type: 'metric', metric: 'old', measure: 'sum', threshold: 1 } });
    const rules = compileRules([gone, needsGone, onArchived], [words, metric('old', { status: 'archived' })]);
    expect(rules.health.get(needsGone.id)?.[0]?.code).toBe('requirement_archived');
    expect(rules.health.get(onArchived.id)?.[0]?.code).toBe('metric_archived');
    expect(rules.metricRules.get('m-old')).toBeUndefined();
    expect(rules.compositesByRequirement.get(gone.id)).toBeUndefined();
  });

  it('completes a repeatable API achievement again and again, a once-only one once', () => {
    const once = achievement({ key: 'once' });
    const again = achievement({ key: 'again', policies: { match: 'reach', onActivation: 'backfill', repeat: 'unlimited' } });
    const rules = compileRules([once, again], []);
    const state = fresh();
    expect(applyCompletion(rules, ctx, state, once)).toHaveLength(1);
    expect(applyCompletion(rules, ctx, state, once)).toEqual([]);
    applyCompletion(rules, ctx, state, again);
    expect(applyCompletion(rules, ctx, state, again).map((u) => [u.periodKey, u.completionCount])).toEqual([['2', 2]]);
  });
});

import { describe, expect, it } from 'vitest';
import type { AchievementDefinition } from '../../src/domain/achievement.js';
import { DEFAULT_CELEBRATION, DEFAULT_POLICIES } from '../../src/domain/achievement.js';
import { type ConditionLookup, conditionText, type MetricWording, tierConditionText } from '../../src/domain/condition-text.js';

const metrics: Record<string, MetricWording> = {
  words: {
    key: 'words',
    name: 'Words written',
    unit: 'words',
    unitSingular: 'word',
    verb: 'Write',
    translations: { de: { name: 'Geschriebene Wörter', verb: 'Schreibe', unit: 'Wörter', unitSingular: 'Wort' } },
  },
  challenges: { key: 'challenges', name: 'Challenges', unit: 'challenges', unitSingular: 'challenge', verb: 'Complete', translations: {} },
  purchase_completed: { key: 'purchase_completed', name: 'Purchases', unit: null, unitSingular: null, verb: null, translations: {} },
};

const names: Record<string, string> = { bronze: 'Bronze Writer', first: 'First Post', third: 'Third Thing' };

const lookup: ConditionLookup = {
  metric: (key) => metrics[key],
  streak: (key) => (key === undefined || key === 'reading' ? { name: 'Reading', frequency: key ? 'weekly' : 'daily' } : undefined),
  achievementName: (key, locale) => (locale === 'de' && key === 'first' ? 'Erster Beitrag' : names[key]),
};

function def(partial: Partial<AchievementDefinition>): AchievementDefinition {
  return {
    key: 'a',
    name: 'A',
    description: null,
    badgeUrl: null,
    category: null,
    tags: [],
    featured: false,
    scope: 'community',
    criteria: { type: 'api' },
    tiers: [],
    rewards: [],
    filters: { event: {}, user: {} },
    policies: DEFAULT_POLICIES,
    translations: {},
    celebration: DEFAULT_CELEBRATION,
    emailOnUnlock: false,
    ...partial,
  };
}

describe('condition text', () => {
  it("words a metric milestone with the metric's verb and unit", () => {
    expect(conditionText(def({ criteria: { type: 'metric', metric: 'words', measure: 'sum', threshold: 10000 } }), 'en', lookup)).toBe(
      'Write 10,000 words',
    );
    expect(conditionText(def({ criteria: { type: 'metric', metric: 'challenges', measure: 'count', threshold: 50 } }), 'en', lookup)).toBe(
      'Complete 50 challenges',
    );
    expect(conditionText(def({ criteria: { type: 'metric', metric: 'words', measure: 'sum', threshold: 1 } }), 'en', lookup)).toBe(
      'Write 1 word',
    );
  });

  it('speaks German and French with their own number formats', () => {
    const words = def({ criteria: { type: 'metric', metric: 'words', measure: 'sum', threshold: 10000 } });
    expect(conditionText(words, 'de', lookup)).toBe('Schreibe 10.000 Wörter');
    expect(conditionText(words, 'fr', lookup)).toBe('Atteignez un total de 10\u202f000 en « Words written »');
  });

  it('falls back to a plain sentence for a metric without wording', () => {
    expect(
      conditionText(def({ criteria: { type: 'metric', metric: 'purchase_completed', measure: 'count', threshold: 3 } }), 'en', lookup),
    ).toBe('Record “Purchases” 3 times');
  });

  it('lists the required achievements of a composite', () => {
    expect(conditionText(def({ criteria: { type: 'composite', requires: ['bronze', 'first'] } }), 'en', lookup)).toBe(
      "Earn 'Bronze Writer' and 'First Post'",
    );
    expect(conditionText(def({ criteria: { type: 'composite', requires: ['bronze', 'first', 'third'], min: 2 } }), 'en', lookup)).toBe(
      "Earn any 2 of 'Bronze Writer', 'First Post', or 'Third Thing'",
    );
    expect(conditionText(def({ criteria: { type: 'composite', requires: ['bronze', 'first'] } }), 'de', lookup)).toBe(
      'Verdiene „Bronze Writer“ und „Erster Beitrag“',
    );
  });

  it('shows a tier ladder, and each tier on its own', () => {
    const tiered = def({
      criteria: { type: 'metric', metric: 'words', measure: 'sum' },
      tiers: [
        { key: 'b', name: 'Bronze', threshold: 10, rewards: [] },
        { key: 's', name: 'Silver', threshold: 50, rewards: [] },
      ],
    });
    expect(conditionText(tiered, 'en', lookup)).toBe('Write 10 words (Bronze) · 50 (Silver)');
    expect(tierConditionText(tiered, 1, 'en', lookup)).toBe('Write 50 words');
  });

  it('mentions event filters, repeats and organisation scope', () => {
    const a = def({
      criteria: { type: 'metric', metric: 'words', measure: 'sum', threshold: 100 },
      filters: { event: { source: 'mobile' }, user: {} },
      policies: { ...DEFAULT_POLICIES, repeat: 'unlimited' },
      scope: 'org',
    });
    expect(conditionText(a, 'en', lookup)).toBe('Write 100 words (source: mobile) (repeatable) across all communities');
  });

  it('uses a translated custom condition when the achievement has one', () => {
    const a = def({ translations: { de: { condition: 'Sag Hallo' } } });
    expect(conditionText(a, 'de', lookup)).toBe('Sag Hallo');
    expect(conditionText(a, 'en', lookup)).toBe('Awarded by the app');
  });
});

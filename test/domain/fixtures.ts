import type { Achievement } from '../../src/domain/achievement.js';
import { DEFAULT_CELEBRATION, DEFAULT_POLICIES } from '../../src/domain/achievement.js';
import type { Metric } from '../../src/domain/metric.js';

export function achievement(partial: Partial<Achievement> & Pick<Achievement, 'key'>): Achievement {
  return {
    id: `id-${partial.key}`,
    name: partial.key,
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
    status: 'active',
    activatedAt: 0,
    createdAt: 0,
    updatedAt: 0,
    ...partial,
  };
}

export function metric(key: string, partial: Partial<Metric> = {}): Metric {
  return {
    id: `m-${key}`,
    key,
    name: key,
    description: null,
    unit: null,
    unitSingular: null,
    verb: null,
    translations: {},
    status: 'active',
    createdAt: 0,
    updatedAt: 0,
    ...partial,
  };
}

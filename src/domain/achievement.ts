/** What an achievement is: its conditions, its rewards and the policies that tune them. */

export type AchievementStatus = 'draft' | 'active' | 'locked' | 'archived';
export type Scope = 'community' | 'org';
export type Measure = 'sum' | 'count';
export type Match = 'reach' | 'exact';
export type OnActivation = 'backfill' | 'from_activation';
export type Repeat = 'once' | 'unlimited';

export interface MetricCriterion {
  type: 'metric';
  metric: string;
  measure: Measure;
  threshold?: number;
}

export interface ApiCriterion {
  type: 'api';
}

export interface CompositeCriterion {
  type: 'composite';
  requires: string[];
  min?: number;
}

/** One union; later criterion types add members here and a case wherever it is switched on. */
export type Criterion = MetricCriterion | ApiCriterion | CompositeCriterion;
export type CriterionType = Criterion['type'];

export type Reward =
  | { type: 'points'; system: string; amount: number }
  | { type: 'badge' }
  | { type: 'custom'; data: Record<string, unknown> };

export interface TierTranslation {
  name?: string;
}

export interface Tier {
  key: string;
  name: string;
  threshold: number;
  rewards: Reward[];
  badgeUrl?: string | null;
  translations?: Record<string, TierTranslation>;
}

export interface Filters {
  event: Record<string, string>;
  user: Record<string, string>;
}

export interface Policies {
  match: Match;
  onActivation: OnActivation;
  repeat: Repeat;
}

export interface Translation {
  name?: string;
  description?: string;
  unlockMessage?: string;
  condition?: string;
}

export interface Celebration {
  enabled: boolean;
  message: string | null;
  animation: string | null;
  sound: string | null;
  durationSeconds: number;
}

export interface AchievementDefinition {
  key: string;
  name: string;
  description: string | null;
  badgeUrl: string | null;
  category: string | null;
  tags: string[];
  featured: boolean;
  scope: Scope;
  criteria: Criterion;
  tiers: Tier[];
  rewards: Reward[];
  filters: Filters;
  policies: Policies;
  translations: Record<string, Translation>;
  celebration: Celebration;
  emailOnUnlock: boolean;
}

export interface Achievement extends AchievementDefinition {
  id: string;
  status: AchievementStatus;
  activatedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_POLICIES: Policies = { match: 'reach', onActivation: 'backfill', repeat: 'once' };

export const DEFAULT_CELEBRATION: Celebration = {
  enabled: true,
  message: null,
  animation: null,
  sound: null,
  durationSeconds: 5,
};

/** The key a single, untiered award is stored under. */
export const NO_TIER = '';
/** The period key of an award that can happen once. */
export const ONCE = '';

/** Thresholds in order: the tiers', or the single threshold as one step. */
export function thresholdsOf(achievement: Pick<AchievementDefinition, 'criteria' | 'tiers'>): number[] {
  if (achievement.criteria.type !== 'metric') return [];
  if (achievement.tiers.length > 0) return achievement.tiers.map((t) => t.threshold);
  return achievement.criteria.threshold === undefined ? [] : [achievement.criteria.threshold];
}

export function tierKeyAt(achievement: Pick<AchievementDefinition, 'tiers'>, index: number): string {
  return achievement.tiers[index]?.key ?? NO_TIER;
}

/** Trophy's name for the criterion type. */
export function trophyTrigger(criteria: Criterion): 'metric' | 'api' | 'achievement' {
  switch (criteria.type) {
    case 'metric':
      return 'metric';
    case 'api':
      return 'api';
    case 'composite':
      return 'achievement';
  }
}

/** What an achievement is: its conditions, its rewards and the policies that tune them. */

export type AchievementStatus = 'draft' | 'active' | 'locked' | 'archived';
export type Scope = 'community' | 'org';
export type Measure = 'sum' | 'count';
export type Match = 'reach' | 'exact';
export type OnActivation = 'backfill' | 'from_activation';
export type Repeat = 'once' | 'per_period' | 'unlimited';

/** "Within the last N days", in whole days of the user's calendar. */
export interface RollingWindow {
  days: number;
}

/** Only activity between two instants counts; after `end` the achievement can no longer be earned. */
export interface FixedWindow {
  start: string;
  end: string;
}

export interface PeriodDefinition {
  unit: 'day' | 'week' | 'month' | 'custom';
  /** Custom periods: first and last day (YYYY-MM-DD) of the first period. */
  start?: string;
  end?: string;
  /** Custom periods: repeat back to back after the first. */
  repeat?: boolean;
}

export interface MetricCriterion {
  type: 'metric';
  metric: string;
  measure: Measure;
  /** The goal, exactly one of: a fixed value, a percentage of the user's own target, or beating the previous period. */
  threshold?: number;
  targetPercent?: number;
  beatPrevious?: boolean;
  window?: RollingWindow | FixedWindow;
  period?: PeriodDefinition;
}

export interface StreakCriterion {
  type: 'streak';
  /** A streak definition's key; the community's primary streak when absent. */
  streak?: string;
  length?: number;
}

export interface AnniversaryCriterion {
  type: 'anniversary';
  years: number;
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
export type Criterion = MetricCriterion | ApiCriterion | CompositeCriterion | StreakCriterion | AnniversaryCriterion;
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

/** What caused an award: an event, an API completion, a backfill, a composite following, or the daily sweep. */
export type AwardSource = 'event' | 'api' | 'backfill' | 'composite' | 'sweep';

/** The key a single, untiered award is stored under. */
export const NO_TIER = '';
/** The period key of an award that can happen once. */
export const ONCE = '';

/** Thresholds in order (values, or streak lengths): the tiers', or the single one as one step. */
export function thresholdsOf(achievement: Pick<AchievementDefinition, 'criteria' | 'tiers'>): number[] {
  const c = achievement.criteria;
  if (c.type !== 'metric' && c.type !== 'streak') return [];
  if (achievement.tiers.length > 0) return achievement.tiers.map((t) => t.threshold);
  const single = c.type === 'metric' ? (c.threshold ?? c.targetPercent) : c.length;
  return single === undefined ? [] : [single];
}

export function isFixedWindow(window: RollingWindow | FixedWindow | undefined): window is FixedWindow {
  return window !== undefined && 'start' in window;
}

export function tierKeyAt(achievement: Pick<AchievementDefinition, 'tiers'>, index: number): string {
  return achievement.tiers[index]?.key ?? NO_TIER;
}

/** Trophy's name for the criterion type (anniversaries, which Trophy lacks, count as app-awarded). */
export function trophyTrigger(criteria: Criterion): 'metric' | 'api' | 'achievement' | 'streak' {
  switch (criteria.type) {
    case 'metric':
      return 'metric';
    case 'streak':
      return 'streak';
    case 'composite':
      return 'achievement';
    case 'api':
    case 'anniversary':
      return 'api';
  }
}

/** The achievement form's state, and its translation to and from the API's JSON. */
import type { Achievement, Criteria, Reward } from '../api';

export type Num = number | '';
export type Lang = 'en' | 'de' | 'fr';
export const LANGS: { value: Lang; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
];

export interface RewardDraft {
  type: 'points' | 'badge' | 'custom';
  system: string;
  amount: Num;
  data: string;
}

export interface TierDraft {
  key: string;
  name: string;
  threshold: Num;
  rewards: RewardDraft[];
  keyTouched: boolean;
}

export interface Pair {
  key: string;
  value: string;
}

export interface Draft {
  key: string;
  name: string;
  description: string;
  badgeUrl: string | null;
  category: string;
  tags: string[];
  featured: boolean;
  scope: 'community' | 'org';
  criteriaType: Criteria['type'];
  metric: string;
  measure: 'sum' | 'count';
  goal: 'threshold' | 'tiers' | 'targetPercent' | 'beatPrevious';
  threshold: Num;
  targetPercent: Num;
  time: 'lifetime' | 'rolling' | 'fixed' | 'period';
  windowDays: Num;
  windowStart: string;
  windowEnd: string;
  periodUnit: 'day' | 'week' | 'month' | 'custom';
  periodStart: string;
  periodEnd: string;
  periodRepeat: boolean;
  streak: string;
  streakGoal: 'length' | 'tiers';
  length: Num;
  years: Num;
  requires: string[];
  min: Num;
  tiers: TierDraft[];
  rewards: RewardDraft[];
  match: 'reach' | 'exact';
  onActivation: 'backfill' | 'from_activation';
  repeat: 'once' | 'per_period' | 'unlimited';
  eventFilters: Pair[];
  userFilters: Pair[];
  translations: Record<Lang, { name: string; description: string; unlockMessage: string }>;
  celebrationEnabled: boolean;
  message: string;
  animation: string;
  sound: string;
  durationSeconds: Num;
  emailOnUnlock: boolean;
}

const noTranslations = (): Draft['translations'] => ({
  en: { name: '', description: '', unlockMessage: '' },
  de: { name: '', description: '', unlockMessage: '' },
  fr: { name: '', description: '', unlockMessage: '' },
});

export function emptyDraft(): Draft {
  return {
    key: '',
    name: '',
    description: '',
    badgeUrl: null,
    category: '',
    tags: [],
    featured: false,
    scope: 'community',
    criteriaType: 'metric',
    metric: '',
    measure: 'sum',
    goal: 'threshold',
    threshold: '',
    targetPercent: 100,
    time: 'lifetime',
    windowDays: 30,
    windowStart: '',
    windowEnd: '',
    periodUnit: 'week',
    periodStart: '',
    periodEnd: '',
    periodRepeat: true,
    streak: '',
    streakGoal: 'length',
    length: 7,
    years: 1,
    requires: [],
    min: '',
    tiers: [],
    rewards: [],
    match: 'reach',
    onActivation: 'backfill',
    repeat: 'once',
    eventFilters: [],
    userFilters: [],
    translations: noTranslations(),
    celebrationEnabled: true,
    message: '',
    animation: '',
    sound: '',
    durationSeconds: 5,
    emailOnUnlock: false,
  };
}

export function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || ''
  );
}

export function emptyReward(): RewardDraft {
  return { type: 'points', system: '', amount: 10, data: '{\n  \n}' };
}

export function newTier(index: number): TierDraft {
  const names = ['Bronze', 'Silver', 'Gold', 'Platinum', 'Diamond'];
  const name = names[index] ?? `Tier ${index + 1}`;
  return { key: slug(name), name, threshold: '', rewards: [], keyTouched: false };
}

/** "2026-03-10T00:00:00Z" → the value of a datetime-local input in the browser's zone. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function rewardDraft(r: Reward): RewardDraft {
  return {
    type: r.type,
    system: r.type === 'points' ? r.system : '',
    amount: r.type === 'points' ? r.amount : '',
    data: r.type === 'custom' ? JSON.stringify(r.data, null, 2) : '{\n  \n}',
  };
}

/** The form fields of the criteria's own type; the rest keep their defaults. */
function criteriaDraft(c: Criteria, tiered: boolean): Partial<Draft> {
  switch (c.type) {
    case 'metric':
      return {
        metric: c.metric,
        measure: c.measure ?? 'sum',
        goal: tiered ? 'tiers' : c.beatPrevious ? 'beatPrevious' : c.targetPercent !== undefined ? 'targetPercent' : 'threshold',
        threshold: c.threshold ?? '',
        targetPercent: c.targetPercent ?? 100,
        time: c.period ? 'period' : c.window ? ('days' in c.window ? 'rolling' : 'fixed') : 'lifetime',
        windowDays: c.window && 'days' in c.window ? c.window.days : 30,
        windowStart: c.window && 'start' in c.window ? toLocalInput(c.window.start) : '',
        windowEnd: c.window && 'end' in c.window ? toLocalInput(c.window.end) : '',
        periodUnit: c.period?.unit ?? 'week',
        periodStart: c.period?.start ?? '',
        periodEnd: c.period?.end ?? '',
        periodRepeat: c.period?.repeat ?? true,
      };
    case 'streak':
      return { streak: c.streak ?? '', streakGoal: tiered ? 'tiers' : 'length', length: c.length ?? 7 };
    case 'anniversary':
      return { years: c.years };
    case 'composite':
      return { requires: c.requires, min: c.min ?? '' };
    case 'api':
      return {};
  }
}

export function draftFrom(a: Achievement): Draft {
  const d = emptyDraft();
  const c = a.criteria;
  const tiered = a.tiers.length > 0;
  const translations = noTranslations();
  for (const lang of ['en', 'de', 'fr'] as Lang[]) {
    const t = a.translations[lang];
    if (t) translations[lang] = { name: t.name ?? '', description: t.description ?? '', unlockMessage: t.unlockMessage ?? '' };
  }
  return {
    ...d,
    key: a.key,
    name: a.name,
    description: a.description ?? '',
    badgeUrl: a.badgeUrl,
    category: a.category ?? '',
    tags: a.tags,
    featured: a.featured,
    scope: a.scope,
    criteriaType: c.type,
    goal: tiered ? 'tiers' : d.goal,
    ...criteriaDraft(c, tiered),
    tiers: a.tiers.map((t) => ({
      key: t.key,
      name: t.name,
      threshold: t.threshold,
      rewards: t.rewards.map(rewardDraft),
      keyTouched: true,
    })),
    rewards: a.rewards.map(rewardDraft),
    match: a.policies.match,
    onActivation: a.policies.onActivation,
    repeat: a.policies.repeat,
    eventFilters: Object.entries(a.filters.event).map(([key, value]) => ({ key, value })),
    userFilters: Object.entries(a.filters.user).map(([key, value]) => ({ key, value })),
    translations,
    celebrationEnabled: a.celebration.enabled,
    message: a.celebration.message ?? '',
    animation: a.celebration.animation ?? '',
    sound: a.celebration.sound ?? '',
    durationSeconds: a.celebration.durationSeconds,
    emailOnUnlock: a.emailOnUnlock,
  };
}

export class DraftProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function rewardBody(r: RewardDraft, field: string): Record<string, unknown> {
  if (r.type === 'badge') return { type: 'badge' };
  if (r.type === 'points') return { type: 'points', system: r.system, ...(r.amount === '' ? {} : { amount: r.amount }) };
  let data: unknown;
  try {
    data = JSON.parse(r.data || '{}');
  } catch {
    throw new DraftProblem(`${field}.data`, 'This is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new DraftProblem(`${field}.data`, 'Custom data must be a JSON object');
  return { type: 'custom', data };
}

const pairs = (list: Pair[]) => Object.fromEntries(list.filter((p) => p.key.trim() !== '').map((p) => [p.key.trim(), p.value]));

/** The API body for a create (or an edit) of the draft. Throws DraftProblem for what the browser can tell is wrong. */
export function toBody(d: Draft, options: { forPreview?: boolean } = {}): Record<string, unknown> {
  const tiered = (d.criteriaType === 'metric' && d.goal === 'tiers') || (d.criteriaType === 'streak' && d.streakGoal === 'tiers');
  let criteria: Record<string, unknown>;
  switch (d.criteriaType) {
    case 'metric': {
      criteria = { type: 'metric', metric: d.metric.trim(), measure: d.measure };
      if (d.goal === 'threshold' && d.threshold !== '') criteria.threshold = d.threshold;
      if (d.goal === 'targetPercent' && d.targetPercent !== '') criteria.targetPercent = d.targetPercent;
      if (d.goal === 'beatPrevious') criteria.beatPrevious = true;
      if (d.time === 'rolling' && d.windowDays !== '') criteria.window = { days: d.windowDays };
      if (d.time === 'fixed') criteria.window = { start: fromLocalInput(d.windowStart), end: fromLocalInput(d.windowEnd) };
      if (d.time === 'period') {
        criteria.period =
          d.periodUnit === 'custom'
            ? { unit: 'custom', start: d.periodStart, end: d.periodEnd, repeat: d.periodRepeat }
            : { unit: d.periodUnit };
      }
      break;
    }
    case 'streak':
      criteria = {
        type: 'streak',
        ...(d.streak ? { streak: d.streak } : {}),
        ...(d.streakGoal === 'length' && d.length !== '' ? { length: d.length } : {}),
      };
      break;
    case 'anniversary':
      criteria = { type: 'anniversary', ...(d.years === '' ? {} : { years: d.years }) };
      break;
    case 'composite':
      criteria = { type: 'composite', requires: d.requires, ...(d.min === '' ? {} : { min: d.min }) };
      break;
    default:
      criteria = { type: 'api' };
  }
  const translations: Record<string, Record<string, string>> = {};
  for (const [lang, t] of Object.entries(d.translations)) {
    const entries = Object.entries(t).filter(([, v]) => v.trim() !== '');
    if (entries.length > 0) translations[lang] = Object.fromEntries(entries);
  }
  const body: Record<string, unknown> = {
    name: d.name.trim(),
    description: d.description.trim() || null,
    badgeUrl: d.badgeUrl,
    category: d.category.trim() || null,
    tags: d.tags,
    featured: d.featured,
    scope: d.scope,
    criteria,
    tiers: tiered
      ? d.tiers.map((t, i) => ({
          key: t.key || slug(t.name) || `tier-${i + 1}`,
          name: t.name || `Tier ${i + 1}`,
          ...(t.threshold === '' ? (options.forPreview ? { threshold: 0 } : {}) : { threshold: t.threshold }),
          rewards: t.rewards.map((r, j) => rewardBody(r, `tiers[${i}].rewards[${j}]`)),
        }))
      : [],
    rewards: tiered ? [] : d.rewards.map((r, j) => rewardBody(r, `rewards[${j}]`)),
    filters: { event: d.criteriaType === 'metric' ? pairs(d.eventFilters) : {}, user: pairs(d.userFilters) },
    policies: { match: d.match, onActivation: d.onActivation, repeat: d.repeat },
    translations,
    celebration: {
      enabled: d.celebrationEnabled,
      message: d.message.trim() || null,
      animation: d.animation.trim() || null,
      sound: d.sound.trim() || null,
      ...(d.durationSeconds === '' ? {} : { durationSeconds: d.durationSeconds }),
    },
    emailOnUnlock: d.emailOnUnlock,
  };
  if (d.key.trim()) body.key = d.key.trim();
  return body;
}

import { IntlMessageFormat } from 'intl-messageformat';
import type { AchievementDefinition, MetricCriterion } from './achievement.js';
import { isFixedWindow, thresholdsOf } from './achievement.js';
import { LOCALES, type Locale, translated } from './locale.js';
import type { Messages } from './locales/messages.js';

/** How a metric is worded in sentences ("Write" + "words"), per language. */
export interface MetricWording {
  key: string;
  name: string;
  unit: string | null;
  unitSingular: string | null;
  verb: string | null;
  translations: Record<string, MetricWordingTranslation>;
}

export interface MetricWordingTranslation {
  name?: string;
  unit?: string;
  unitSingular?: string;
  verb?: string;
}

export interface ConditionLookup {
  metric(key: string): MetricWording | undefined;
  /** A streak by key, or the primary streak when no key is given. */
  streak(key: string | undefined): { name: string; frequency: 'daily' | 'weekly' | 'monthly' } | undefined;
  /** An achievement's name in the given language, by key. */
  achievementName(key: string, locale: Locale): string | undefined;
}

type Definition = Pick<AchievementDefinition, 'criteria' | 'tiers' | 'filters' | 'scope' | 'policies' | 'translations'>;

const compiled = new Map<string, IntlMessageFormat>();

/** One of a language's message templates, filled in. */
export function format(locale: Locale, template: keyof Messages, values: Record<string, string | number | undefined>): string {
  const cacheKey = `${locale}\u0000${template}`;
  let message = compiled.get(cacheKey);
  if (!message) {
    message = new IntlMessageFormat(LOCALES[locale][template], locale);
    compiled.set(cacheKey, message);
  }
  return String(message.format(values));
}

/** The human-readable condition of an achievement ("Write 10,000 words"), in one language. */
export function conditionText(def: Definition, locale: Locale, lookup: ConditionLookup): string {
  const custom = def.translations[locale]?.condition;
  if (custom) return custom;
  const text = criterionText(def, locale, lookup);
  return decorate(def, text, locale);
}

function criterionText(def: Definition, locale: Locale, lookup: ConditionLookup): string {
  const c = def.criteria;
  switch (c.type) {
    case 'metric':
      return metricText(def, c, locale, lookup);
    case 'api':
      return format(locale, 'api', {});
    case 'composite': {
      const names = c.requires.map((key) => format(locale, 'quoted', { name: lookup.achievementName(key, locale) ?? key }));
      const min = c.min ?? c.requires.length;
      return min >= c.requires.length
        ? format(locale, 'compositeAll', { list: new Intl.ListFormat(locale, { type: 'conjunction' }).format(names) })
        : format(locale, 'compositeSome', { min, list: new Intl.ListFormat(locale, { type: 'disjunction' }).format(names) });
    }
    case 'streak': {
      const streak = lookup.streak(c.streak);
      const unit = { daily: 'day', weekly: 'week', monthly: 'month' }[streak?.frequency ?? 'daily'];
      const lengths = thresholdsOf(def);
      return format(locale, 'streak', { n: lengths[0] ?? 0, unit, streak: streak?.name ?? c.streak ?? '' });
    }
    case 'anniversary':
      return format(locale, 'anniversary', { n: c.years });
  }
}

/** Repeats and scope, which apply to every criterion type. */
function decorate(def: Definition, text: string, locale: Locale): string {
  let out = text;
  if (def.policies.repeat === 'unlimited') out = format(locale, 'repeatable', { text: out });
  if (def.policies.repeat === 'per_period' && def.criteria.type === 'metric' && def.criteria.period) {
    out = format(locale, 'perPeriod', { text: out, unit: def.criteria.period.unit });
  }
  if (def.scope === 'org') out = format(locale, 'orgScope', { text: out });
  return out;
}

/** The condition of one tier on its own ("Write 50 words"). */
export function tierConditionText(def: Definition, tierIndex: number, locale: Locale, lookup: ConditionLookup): string {
  if (def.criteria.type === 'streak') {
    const streak = lookup.streak(def.criteria.streak);
    const unit = { daily: 'day', weekly: 'week', monthly: 'month' }[streak?.frequency ?? 'daily'];
    return format(locale, 'streak', { n: def.tiers[tierIndex]?.threshold ?? 0, unit, streak: streak?.name ?? '' });
  }
  if (def.criteria.type !== 'metric') return conditionText(def, locale, lookup);
  const threshold = def.tiers[tierIndex]?.threshold ?? 0;
  return withFilters(def, withTime(def.criteria, quantityText(def.criteria, threshold, locale, lookup), locale), locale);
}

function metricText(def: Definition, c: MetricCriterion, locale: Locale, lookup: ConditionLookup): string {
  const unit = c.period?.unit;
  if (c.targetPercent !== undefined || c.beatPrevious) {
    const metric = lookup.metric(c.metric);
    const name = metric ? translated(metric.name, metric.translations, locale, 'name') : c.metric;
    const text = c.beatPrevious
      ? format(locale, 'beatPrevious', { unit, metric: name })
      : format(locale, 'targetPercent', { percent: c.targetPercent, unit, metric: name });
    return withFilters(def, text, locale);
  }
  const thresholds = thresholdsOf(def);
  const first = quantityText(c, thresholds[0] ?? 0, locale, lookup);
  let text = first;
  if (def.tiers.length > 1) {
    const [firstTier, ...rest] = def.tiers.map((tier) => translated(tier.name, tier.translations, locale, 'name'));
    const ladder = rest.map((tier, i) => format(locale, 'tierStep', { n: thresholds[i + 1] ?? 0, tier }));
    text = [`${first} (${firstTier})`, ...ladder].join(' · ');
  }
  return withFilters(def, withTime(c, text, locale), locale);
}

/** "… within 90 days", "… between 1 Mar and 31 Mar", "… in a week". */
function withTime(c: MetricCriterion, text: string, locale: Locale): string {
  if (c.period) return format(locale, 'inPeriod', { text, unit: c.period.unit });
  if (!c.window) return text;
  if (!isFixedWindow(c.window)) return format(locale, 'withinDays', { text, days: c.window.days });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return format(locale, 'between', { text, start: date.format(new Date(c.window.start)), end: date.format(new Date(c.window.end)) });
}

function quantityText(c: MetricCriterion, n: number, locale: Locale, lookup: ConditionLookup): string {
  const metric = lookup.metric(c.metric);
  const name = metric ? translated(metric.name, metric.translations, locale, 'name') : c.metric;
  // Wording is only used in the language it was written in: a German verb never meets an English unit.
  const wording = metric ? wordingIn(metric, locale) : null;
  if (wording) {
    const quantity = format(locale, 'quantity', { n, one: wording.unitSingular, other: wording.unit });
    return format(locale, 'withVerb', { verb: wording.verb, quantity });
  }
  return format(locale, c.measure === 'count' ? 'countPlain' : 'sumPlain', { n, metric: name });
}

function wordingIn(metric: MetricWording, locale: Locale): { verb: string; unit: string; unitSingular: string } | null {
  const t = metric.translations[locale];
  const own = t?.verb && t.unit ? t : locale === 'en' ? metric : null;
  if (!own?.verb || !own.unit) return null;
  return { verb: own.verb, unit: own.unit, unitSingular: own.unitSingular ?? own.unit };
}

function withFilters(def: Definition, text: string, locale: Locale): string {
  const entries = Object.entries(def.filters.event);
  if (entries.length === 0) return text;
  const filters = entries.map(([k, v]) => `${k}: ${v}`).join(', ');
  return format(locale, 'eventFilter', { text, filters });
}

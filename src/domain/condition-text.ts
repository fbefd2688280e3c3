import { IntlMessageFormat } from 'intl-messageformat';
import type { AchievementDefinition, MetricCriterion } from './achievement.js';
import { thresholdsOf } from './achievement.js';
import { LOCALES, translated, type Locale } from './locale.js';
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
  /** An achievement's name in the given language, by key. */
  achievementName(key: string, locale: Locale): string | undefined;
}

type Definition = Pick<AchievementDefinition, 'criteria' | 'tiers' | 'filters' | 'scope' | 'policies' | 'translations'>;

const compiled = new Map<string, IntlMessageFormat>();

function format(locale: Locale, template: keyof Messages, values: Record<string, string | number>): string {
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
  let text: string;
  switch (def.criteria.type) {
    case 'metric':
      text = metricText(def, def.criteria, locale, lookup);
      break;
    case 'api':
      text = format(locale, 'api', {});
      break;
    case 'composite': {
      const c = def.criteria;
      const names = c.requires.map((key) =>
        format(locale, 'quoted', { name: lookup.achievementName(key, locale) ?? key }),
      );
      const min = c.min ?? c.requires.length;
      text =
        min >= c.requires.length
          ? format(locale, 'compositeAll', { list: new Intl.ListFormat(locale, { type: 'conjunction' }).format(names) })
          : format(locale, 'compositeSome', {
              min,
              list: new Intl.ListFormat(locale, { type: 'disjunction' }).format(names),
            });
      break;
    }
  }
  if (def.policies.repeat === 'unlimited') text = format(locale, 'repeatable', { text });
  if (def.scope === 'org') text = format(locale, 'orgScope', { text });
  return text;
}

/** The condition of one tier on its own ("Write 50 words"). */
export function tierConditionText(def: Definition, tierIndex: number, locale: Locale, lookup: ConditionLookup): string {
  if (def.criteria.type !== 'metric') return conditionText(def, locale, lookup);
  const threshold = def.tiers[tierIndex]?.threshold ?? 0;
  return withFilters(def, quantityText(def.criteria, threshold, locale, lookup), locale);
}

function metricText(def: Definition, c: MetricCriterion, locale: Locale, lookup: ConditionLookup): string {
  const thresholds = thresholdsOf(def);
  const first = quantityText(c, thresholds[0] ?? 0, locale, lookup);
  if (def.tiers.length <= 1) return withFilters(def, first, locale);
  const [firstTier, ...rest] = def.tiers.map((tier) => translated(tier.name, tier.translations, locale, 'name'));
  const ladder = rest.map((tier, i) => format(locale, 'tierStep', { n: thresholds[i + 1] ?? 0, tier }));
  return withFilters(def, [`${first} (${firstTier})`, ...ladder].join(' · '), locale);
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

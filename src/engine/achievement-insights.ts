/**
 * What the dashboard shows about achievements beyond their definition: the condition of a draft as
 * it is being written (validated, never saved), how many users activating one would grant silently,
 * and its analytics (users per stage of progress, unlocks per day, latest unlocks).
 */
import { DateTime } from 'luxon';
import type { AchievementAnalytics, AchievementPreview, BackfillPreview, Problem } from '../api/schemas/insights.js';
import type { Achievement, AchievementDefinition } from '../domain/achievement.js';
import { NO_TIER, thresholdsOf, tierKeyAt } from '../domain/achievement.js';
import { validateAchievement } from '../domain/achievement-validation.js';
import { isEmptyFilter } from '../domain/attribute-filter.js';
import { conditionText, tierConditionText } from '../domain/condition-text.js';
import { LaurelError, notFound } from '../domain/errors.js';
import { type Locale, translated } from '../domain/locale.js';
import { healthOf, measureSource, timeScopeOf } from '../domain/rules.js';
import { HELD_STAGE, type Step, type UserValueSource } from '../store/repositories/analytics.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { type AchievementInput, definitionFrom, duplicateNameWarnings, rarity, validationContextOf } from './manage-achievements.js';
import { iso } from './presenters.js';

/** Validates a draft as saving would, and words its condition, without saving anything. */
export async function previewAchievement(
  ctx: EngineContext,
  tenant: Tenant,
  input: AchievementInput,
  locale: Locale,
  problemsSoFar: Problem[] = [],
): Promise<AchievementPreview> {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const existing = input.key ? config.rules.achievementsByKey.get(input.key) : undefined;
  const problems = [...problemsSoFar];
  const hasName = typeof input.name === 'string' && input.name.trim() !== '';
  if (!input.criteria) {
    return {
      condition: null,
      tiers: [],
      problems: problems.length > 0 ? problems : [{ code: 'criteria_required', error: 'Choose a criterion', field: 'criteria' }],
      warnings: [],
    };
  }
  const definition = definitionFrom({ ...input, name: hasName ? input.name : 'Untitled' }, input.key ?? 'preview');
  if (problems.length === 0) {
    try {
      validateAchievement(definition, validationContextOf(config, existing?.id ?? null));
      const c = definition.criteria;
      if (c.type === 'metric' && !config.rules.metricsByKey.has(c.metric) && config.community.settings.strictMetrics) {
        problems.push({
          code: 'metric_not_found',
          error: `There is no metric "${c.metric}" (strict metrics are on)`,
          field: 'criteria.metric',
        });
      }
    } catch (error) {
      if (!(error instanceof LaurelError)) throw error;
      problems.push({ code: error.code, error: error.message, ...(error.field ? { field: error.field } : {}) });
    }
  }
  const worded = wording(definition, config, locale);
  const warnings = hasName
    ? duplicateNameWarnings(
        { ...definition, id: existing?.id ?? '', status: 'draft', activatedAt: null, createdAt: 0, updatedAt: 0 },
        config,
      )
    : [];
  return { ...worded, ...(problems.length > 0 ? { problems } : {}), warnings };
}

function wording(def: AchievementDefinition, config: CommunityConfig, locale: Locale): Pick<AchievementPreview, 'condition' | 'tiers'> {
  try {
    return {
      condition: conditionText(def, locale, config.lookup),
      tiers: def.tiers.map((t, i) => ({
        key: t.key,
        name: translated(t.name, t.translations, locale, 'name'),
        condition: tierConditionText(def, i, locale, config.lookup),
      })),
    };
  } catch {
    // A half-written draft (an unreadable date, say) has no condition yet; its problems say why.
    return { condition: null, tiers: [] };
  }
}

/** How many users already qualify and would be granted the achievement silently if it went live now. */
export async function backfillPreview(ctx: EngineContext, tenant: Tenant, key: string): Promise<BackfillPreview> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const a = config.rules.achievementsByKey.get(key);
  if (!a) throw notFound('achievement_not_found', `There is no achievement "${key}"`, 'key');
  const base = { key: a.key, status: a.status, onActivation: a.policies.onActivation, tiers: [] as BackfillPreview['tiers'] };
  const none = (reason: string, backfills = true): BackfillPreview => ({ ...base, backfills, supported: true, users: 0, reason });
  const notCounted = (reason: string): BackfillPreview => ({ ...base, backfills: true, supported: false, users: null, reason });

  if (a.policies.onActivation === 'from_activation') {
    return none('Only activity from activation on counts, so nobody receives it when it goes live.', false);
  }
  const issues = healthOf(
    a,
    config.rules.metricsByKey,
    config.rules.achievementsByKey,
    config.rules.streaksByKey,
    config.rules.primaryStreak,
  );
  if (issues.length > 0)
    return none(`It refers to something that is gone (${issues.map((i) => i.message).join('; ')}), so nobody is granted it.`);
  if (a.criteria.type === 'api') return none('API achievements are completed by API calls only; nobody receives it on activation.');
  const plan = qualificationPlan(a, config, ctx.clock.now());
  if ('reason' in plan) return plan.counted ? none(plan.reason) : notCounted(plan.reason);
  const counted = await repos.analytics.countQualifying(tenant, a.id, plan.source, plan.steps, plan.comparison, userFilterOf(a));
  return {
    ...base,
    backfills: true,
    supported: true,
    users: counted.users,
    tiers: a.tiers.map((t, i) => ({ key: t.key, name: t.name, users: counted.perStep[i]?.users ?? 0 })),
    reason: null,
  };
}

type Plan = { source: UserValueSource; steps: Step[]; comparison: '>=' | '=' } | { reason: string; counted: boolean };

/** Where a backfill reads each user's value from, and the steps it compares it with (mirrors backfill-achievement). */
function qualificationPlan(a: Achievement, config: CommunityConfig, now: number): Plan {
  const steps = thresholdsOf(a).map((threshold, i) => ({ tierKey: tierKeyAt(a, i), threshold }));
  const comparison = a.policies.match === 'exact' ? ('=' as const) : ('>=' as const);
  const c = a.criteria;
  switch (c.type) {
    case 'api':
      return { reason: 'API achievements are completed by API calls only.', counted: true };
    case 'composite': {
      const ids = c.requires.map((k) => config.rules.achievementsByKey.get(k)?.id).filter((id): id is string => id !== undefined);
      return {
        source: { kind: 'held_count', achievementIds: ids },
        steps: [{ tierKey: NO_TIER, threshold: c.min ?? ids.length }],
        comparison: '>=',
      };
    }
    case 'anniversary': {
      const joinedBy = DateTime.fromMillis(now, { zone: 'utc' }).minus({ years: c.years }).toMillis();
      return { source: { kind: 'joined_by', joinedBy }, steps: [{ tierKey: NO_TIER, threshold: 1 }], comparison: '>=' };
    }
    case 'streak': {
      const streak = c.streak === undefined ? config.rules.primaryStreak : config.rules.streaksByKey.get(c.streak);
      if (!streak) return { reason: 'Its streak does not exist.', counted: true };
      return { source: { kind: comparison === '=' ? 'streak_current' : 'streak_best', streakId: streak.id }, steps, comparison };
    }
    case 'metric':
      break;
  }
  const metric = config.rules.metricsByKey.get(c.metric);
  if (!metric) return { reason: `Metric "${c.metric}" does not exist yet, so nobody has any of it.`, counted: true };
  const measure = c.measure === 'count' ? ('count' as const) : ('total' as const);
  const time = timeScopeOf(a);
  if (time.kind === 'rolling' || time.kind === 'period') {
    return {
      reason:
        'Laurel cannot count in advance who qualifies for a rolling window or a period goal; the backfill still runs when it goes live.',
      counted: false,
    };
  }
  if (time.kind === 'fixed' && now >= time.until)
    return { reason: 'Its window has closed, so nobody can earn it any more.', counted: true };
  const eventFilter = isEmptyFilter(a.filters.event) ? null : a.filters.event;
  const source: UserValueSource =
    measureSource(a) === 'total'
      ? { kind: 'metric_total', metricId: metric.id, measure }
      : {
          kind: 'events',
          metricId: metric.id,
          measure,
          eventFilter,
          from: time.kind === 'fixed' ? time.from : null,
          until: time.kind === 'fixed' ? time.until : null,
        };
  return { source, steps: a.policies.repeat === 'unlimited' ? steps.slice(0, 1) : steps, comparison };
}

function userFilterOf(a: Achievement): Record<string, string> | null {
  return isEmptyFilter(a.filters.user) ? null : a.filters.user;
}

const DAY_MS = 86_400_000;
const PROGRESS_LABELS = ['0%', '1–24%', '25–49%', '50–74%', '75–99%'];

export async function achievementAnalytics(
  ctx: EngineContext,
  tenant: Tenant,
  key: string,
  options: { days: number; locale: Locale },
): Promise<AchievementAnalytics> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const a = config.rules.achievementsByKey.get(key);
  if (!a) throw notFound('achievement_not_found', `There is no achievement "${key}"`, 'key');
  const now = ctx.clock.now();
  const firstDay = Math.floor(now / DAY_MS) - (options.days - 1);
  const steps =
    a.criteria.type === 'composite'
      ? [{ tierKey: NO_TIER, threshold: a.criteria.min ?? a.criteria.requires.length }]
      : thresholdsOf(a).map((threshold, i) => ({ tierKey: tierKeyAt(a, i), threshold }));
  const source = progressSource(a, config);
  const [users, stats, stageRows, perDay, latest] = await Promise.all([
    repos.users.count(tenant),
    repos.achievements.stats(tenant),
    repos.analytics.progressStages(tenant, a.id, source, steps, userFilterOf(a)),
    repos.analytics.unlocksPerDay(tenant, a.id, firstDay * DAY_MS),
    repos.analytics.latestUnlocks(tenant, a.id, 10),
  ]);
  const completions = stats.get(a.id)?.completions ?? 0;
  const counts = new Map(stageRows.map((r) => [r.stage, r.users]));
  const tierName = (i: number) => {
    const tier = a.tiers[i];
    return tier ? translated(tier.name, tier.translations, options.locale, 'name') : 'Unlocked';
  };
  const heldStages = (a.tiers.length > 0 ? a.tiers : [null]).map((_, i) => ({
    stage: `held:${i}`,
    label: a.tiers.length > 0 ? tierName(i) : 'Unlocked',
    users: counts.get(HELD_STAGE + i) ?? 0,
  }));
  const stages = source
    ? [...PROGRESS_LABELS.map((label, i) => ({ stage: `progress:${i}`, label, users: counts.get(i) ?? 0 })), ...heldStages]
    : [{ stage: 'progress:0', label: 'Not yet', users: counts.get(0) ?? 0 }, ...heldStages];
  const perDayMap = new Map(perDay.map((d) => [d.day, d.unlocks]));
  return {
    key: a.key,
    users,
    completions,
    rarity: rarity(completions, users),
    stagesKind: source ? 'progress' : 'held',
    stages,
    days: options.days,
    unlocksPerDay: Array.from({ length: options.days }, (_, i) => ({
      date: iso((firstDay + i) * DAY_MS).slice(0, 10),
      unlocks: perDayMap.get(firstDay + i) ?? 0,
    })),
    latest: latest.map((u) => {
      const index = a.tiers.findIndex((t) => t.key === u.tierKey);
      return {
        userId: u.userId,
        userName: u.userName,
        tier: index >= 0 ? { key: u.tierKey, name: tierName(index) } : null,
        achievedAt: iso(u.achievedAt),
        source: u.source,
        backfilled: u.backfilled,
      };
    }),
  };
}

/** The running value progress is measured by, where there is a single one to read. */
function progressSource(a: Achievement, config: CommunityConfig): UserValueSource | null {
  const c = a.criteria;
  if (c.type === 'composite') {
    const ids = c.requires.map((k) => config.rules.achievementsByKey.get(k)?.id).filter((id): id is string => id !== undefined);
    return { kind: 'held_count', achievementIds: ids };
  }
  if (c.type === 'streak') {
    const streak = c.streak === undefined ? config.rules.primaryStreak : config.rules.streaksByKey.get(c.streak);
    return streak ? { kind: 'streak_best', streakId: streak.id } : null;
  }
  if (c.type !== 'metric' || c.targetPercent !== undefined || c.beatPrevious) return null;
  const time = timeScopeOf(a);
  if (time.kind === 'rolling' || time.kind === 'period') return null;
  const metric = config.rules.metricsByKey.get(c.metric);
  if (!metric) return null;
  const measure = c.measure === 'count' ? ('count' as const) : ('total' as const);
  return measureSource(a) === 'total'
    ? { kind: 'metric_total', metricId: metric.id, measure }
    : { kind: 'counter', achievementId: a.id, measure };
}

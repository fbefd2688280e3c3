/** The achievement catalogue: create, edit, change status, list and read, for admins. */
import type { Static } from 'typebox';
import type {
  AchievementChangeSchema,
  AdminAchievementViewSchema,
  BackfillStatusSchema,
  WarningSchema,
} from '../api/schemas/admin-achievement-view.js';
import type {
  Achievement,
  AchievementDefinition,
  AchievementStatus,
  Celebration,
  Criterion,
  Filters,
  MetricCriterion,
  Policies,
  Reward,
  Scope,
  Tier,
  Translation,
} from '../domain/achievement.js';
import { DEFAULT_CELEBRATION, DEFAULT_POLICIES } from '../domain/achievement.js';
import { assertTransition } from '../domain/achievement-status.js';
import { type ValidationContext, validateAchievement } from '../domain/achievement-validation.js';
import { assertBadgeUrls } from '../domain/badge-url.js';
import { conflict, invalid, notFound } from '../domain/errors.js';
import type { Locale } from '../domain/locale.js';
import { healthOf } from '../domain/rules.js';
import type { AchievementStats } from '../store/repositories/achievements.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import { BACKFILL } from './background.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { achievementView, iso } from './presenters.js';
import { resolveMetrics } from './resolve-metrics.js';
import { badgeOwnerOf } from './upload-badge.js';

/** Criteria as written: a metric criterion's measure defaults to sum. */
export type CriterionInput =
  | Exclude<Criterion, MetricCriterion>
  | (Omit<MetricCriterion, 'measure'> & { measure?: MetricCriterion['measure'] });

export type TierInput = Omit<Tier, 'rewards'> & { rewards?: Reward[] };

export interface AchievementInput {
  key?: string;
  name?: string;
  description?: string | null;
  badgeUrl?: string | null;
  category?: string | null;
  tags?: string[];
  featured?: boolean;
  scope?: Scope;
  status?: AchievementStatus;
  criteria?: CriterionInput;
  tiers?: TierInput[];
  rewards?: Reward[];
  filters?: Partial<Filters>;
  policies?: Partial<Policies>;
  translations?: Record<string, Translation>;
  celebration?: Partial<Celebration>;
  emailOnUnlock?: boolean;
}

export type Warning = Static<typeof WarningSchema>;
export type AdminAchievementView = Static<typeof AdminAchievementViewSchema>;
/** Where the backfill a change started stands: done (with how many awards it wrote), or still going. */
export type BackfillStatus = Static<typeof BackfillStatusSchema>;
export type AchievementChange = Static<typeof AchievementChangeSchema>;

/** How long a request waits for the backfill it started before answering with the job to follow. */
const BACKFILL_WAIT_MS = 5000;

export async function createAchievement(
  ctx: EngineContext,
  tenant: Tenant,
  input: AchievementInput & { name: string; criteria: CriterionInput },
  locale: Locale,
): Promise<AchievementChange> {
  const now = ctx.clock.now();
  const status = input.status ?? 'draft';
  if (status !== 'draft' && status !== 'active') {
    throw invalid('invalid_initial_status', `A new achievement is saved as draft or active, not ${status}`, 'status');
  }
  const change = await ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const key = input.key ?? uniqueKey(slugify(input.name), config);
    if (config.rules.achievementsByKey.has(key)) {
      throw conflict('duplicate_key', `An achievement with key "${key}" already exists`, 'key');
    }
    const achievement: Achievement = {
      id: randomId(),
      ...definitionFrom(input, key),
      status,
      activatedAt: status === 'active' ? now : null,
      createdAt: now,
      updatedAt: now,
    };
    await prepareDefinition(tx, tenant, config, achievement, now);
    await tx.achievements.insert(tenant, achievement);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    return {
      achievement,
      warnings: duplicateNameWarnings(achievement, config),
      backfillJob: status === 'active' ? await enqueueBackfill(tx, tenant, achievement, now) : null,
    };
  });
  return finish(ctx, tenant, change, locale);
}

export async function updateAchievement(
  ctx: EngineContext,
  tenant: Tenant,
  key: string,
  patch: AchievementInput,
  locale: Locale,
): Promise<AchievementChange> {
  const now = ctx.clock.now();
  const change = await ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const before = config.rules.achievementsByKey.get(key);
    if (!before) throw notFound('achievement_not_found', `There is no achievement "${key}"`, 'key');
    if (patch.key !== undefined && patch.key !== key) {
      throw invalid('key_immutable', 'An achievement keeps its key for life; create a new one instead', 'key');
    }
    const status = patch.status ?? before.status;
    assertTransition(before.status, status);
    if (before.status === 'archived') {
      throw conflict('achievement_archived', `Achievement "${key}" is archived and kept for the record only`, 'status');
    }
    const definition = definitionFrom({ ...definitionOf(before), ...patch, key }, key);
    const candidate: Achievement = { ...before, ...definition, status, updatedAt: now };
    const becameActive = status === 'active' && before.status !== 'active';
    const rulesChanged = qualifyingRulesChanged(before, candidate);
    // from_activation counts from the moment it goes live, and again from an edit of what it counts.
    const restartCount = before.status !== 'draft' && measureChanged(before, candidate);
    const after: Achievement = {
      ...candidate,
      activatedAt: (before.status === 'draft' && becameActive) || restartCount ? now : before.activatedAt,
    };
    await prepareDefinition(tx, tenant, config, after, now);
    await tx.achievements.update(tenant, after);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    if (restartCount) await tx.backfill.clearCounters(tenant, after.id);

    return {
      achievement: after,
      warnings: patch.name !== undefined && patch.name !== before.name ? duplicateNameWarnings(after, config) : [],
      backfillJob: status === 'active' && (becameActive || rulesChanged) ? await enqueueBackfill(tx, tenant, after, now) : null,
    };
  });
  return finish(ctx, tenant, change, locale);
}

export interface AchievementQuery {
  status?: string;
  scope?: Scope;
  tag?: string;
  category?: string;
  q?: string;
  sort?: string;
}

const SORTS: Record<string, (a: AdminAchievementView, b: AdminAchievementView) => number> = {
  name: (a, b) => a.name.localeCompare(b.name),
  key: (a, b) => a.key.localeCompare(b.key),
  status: (a, b) => a.status.localeCompare(b.status),
  scope: (a, b) => a.scope.localeCompare(b.scope),
  category: (a, b) => (a.category ?? '').localeCompare(b.category ?? ''),
  completions: (a, b) => a.completions - b.completions,
  rarity: (a, b) => a.rarity - b.rarity,
  createdAt: (a, b) => a.createdAt.localeCompare(b.createdAt),
  updatedAt: (a, b) => a.updatedAt.localeCompare(b.updatedAt),
};
export const SORT_FIELDS = Object.keys(SORTS);

export async function listAchievements(
  ctx: EngineContext,
  tenant: Tenant,
  query: AchievementQuery,
  locale: Locale,
): Promise<AdminAchievementView[]> {
  const sortField = (query.sort ?? 'createdAt').replace(/^-/, '');
  const compare = SORTS[sortField];
  if (!compare) {
    throw invalid('invalid_sort', `sort must be one of ${SORT_FIELDS.join(', ')} (prefix - for descending)`, 'sort');
  }
  const statuses = query.status?.split(',').map((s) => s.trim());
  const q = query.q?.trim().toLowerCase();
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const [stats, users] = await Promise.all([repos.achievements.stats(tenant), repos.users.count(tenant)]);
  const views = [...config.rules.achievementsById.values()]
    .filter((a) => !statuses || statuses.includes(a.status))
    .filter((a) => !query.scope || a.scope === query.scope)
    .filter((a) => !query.tag || a.tags.includes(query.tag))
    .filter((a) => !query.category || a.category === query.category)
    .map((a) => buildAdminView(a, config, stats.get(a.id), users, locale))
    .filter((v) => !q || [v.name, v.key, v.description ?? ''].some((s) => s.toLowerCase().includes(q)));
  const direction = query.sort?.startsWith('-') ? -1 : 1;
  return views.sort((a, b) => direction * compare(a, b) || a.key.localeCompare(b.key));
}

export async function getAchievement(ctx: EngineContext, tenant: Tenant, key: string, locale: Locale): Promise<AdminAchievementView> {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const achievement = config.rules.achievementsByKey.get(key);
  if (!achievement) throw notFound('achievement_not_found', `There is no achievement "${key}"`, 'key');
  return adminView(ctx.store.read, tenant, ctx, achievement, locale);
}

/** Queues the backfill of an achievement that just went live (or changed while live), if its policy says so. */
async function enqueueBackfill(tx: Repositories, tenant: Tenant, achievement: Achievement, now: number): Promise<string | null> {
  if (achievement.policies.onActivation !== 'backfill') return null;
  const id = randomId();
  await tx.jobs.enqueue(tenant, { id, kind: BACKFILL, payload: { achievementId: achievement.id }, runAt: now }, now);
  return id;
}

/** After the change has committed: give its backfill a few seconds, then answer. */
async function finish(
  ctx: EngineContext,
  tenant: Tenant,
  change: { achievement: Achievement; warnings: Warning[]; backfillJob: string | null },
  locale: Locale,
): Promise<AchievementChange> {
  let backfill: BackfillStatus | null = null;
  if (change.backfillJob) {
    const outcome = await ctx.jobs.waitFor(change.backfillJob, BACKFILL_WAIT_MS);
    const result = outcome.result as { granted?: number } | null;
    backfill = { jobId: outcome.jobId, status: outcome.status, granted: result?.granted ?? null, error: outcome.error };
  }
  return { achievement: await adminView(ctx.store.read, tenant, ctx, change.achievement, locale), warnings: change.warnings, backfill };
}

/** Validates against the rest of the community and creates a metric the criteria name, if new. */
async function prepareDefinition(
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  achievement: Achievement,
  now: number,
): Promise<void> {
  validateAchievement(achievement, validationContextOf(config, achievement.id));
  assertBadgeUrls(
    [[achievement.badgeUrl, 'badgeUrl'], ...achievement.tiers.map((t, i) => [t.badgeUrl, `tiers[${i}].badgeUrl`] as const)],
    badgeOwnerOf(tenant),
  );
  if (achievement.criteria.type === 'metric') {
    await resolveMetrics(tx, tenant, config, [{ key: achievement.criteria.metric, field: 'criteria.metric' }], now);
  }
}

/** What validating an achievement needs to know about the rest of the community (all but `exceptId`). */
export function validationContextOf(config: CommunityConfig, exceptId: string | null): ValidationContext {
  const others = new Map(
    [...config.rules.achievementsById.values()]
      .filter((a) => a.id !== exceptId)
      .map((a) => [a.key, { requires: a.criteria.type === 'composite' ? a.criteria.requires : [] }]),
  );
  return {
    pointsSystems: new Set([...config.pointsSystemsByKey.values()].filter((p) => p.status === 'active').map((p) => p.key)),
    achievements: others,
    streaks: new Set(config.rules.streaksByKey.keys()),
    primaryStreak: config.rules.primaryStreak?.key ?? null,
  };
}

export function definitionFrom(input: AchievementInput, key: string): AchievementDefinition {
  const criteria = input.criteria as CriterionInput;
  return {
    key,
    name: (input.name as string).trim(),
    description: input.description ?? null,
    badgeUrl: input.badgeUrl ?? null,
    category: input.category ?? null,
    tags: [...new Set(input.tags ?? [])],
    featured: input.featured ?? false,
    scope: input.scope ?? 'community',
    criteria: criteria.type === 'metric' ? { ...criteria, measure: criteria.measure ?? 'sum' } : criteria,
    tiers: (input.tiers ?? []).map((t) => ({ ...t, rewards: t.rewards ?? [] })),
    rewards: input.rewards ?? [],
    filters: { event: input.filters?.event ?? {}, user: input.filters?.user ?? {} },
    policies: { ...DEFAULT_POLICIES, ...input.policies },
    translations: input.translations ?? {},
    celebration: { ...DEFAULT_CELEBRATION, ...input.celebration },
    emailOnUnlock: input.emailOnUnlock ?? false,
  };
}

function definitionOf(a: Achievement): AchievementInput {
  const { id: _id, status: _status, activatedAt: _at, createdAt: _c, updatedAt: _u, ...definition } = a;
  return definition;
}

/** Changes that alter who qualifies, and so call for another backfill. */
function qualifyingRulesChanged(before: Achievement, after: Achievement): boolean {
  const rules = (a: Achievement) => JSON.stringify([a.criteria, a.tiers.map((t) => [t.key, t.threshold]), a.filters, a.policies]);
  return rules(before) !== rules(after);
}

/** Changes to what an achievement's own counter counts. */
function measureChanged(before: Achievement, after: Achievement): boolean {
  const measure = (a: Achievement) => JSON.stringify([a.criteria, a.filters.event, a.policies.onActivation]);
  return measure(before) !== measure(after);
}

export function duplicateNameWarnings(achievement: Achievement, config: CommunityConfig): Warning[] {
  const name = achievement.name.toLowerCase();
  const same = [...config.rules.achievementsById.values()].filter(
    (a) => a.id !== achievement.id && a.status !== 'archived' && a.name.toLowerCase() === name,
  );
  if (same.length === 0) return [];
  return [
    {
      code: 'duplicate_name',
      message: `Another achievement is already called "${achievement.name}"`,
      field: 'name',
      achievements: same.map((a) => a.key),
    },
  ];
}

async function adminView(
  repos: Repositories,
  tenant: Tenant,
  ctx: EngineContext,
  achievement: Achievement,
  locale: Locale,
): Promise<AdminAchievementView> {
  const config = await ctx.config.get(repos, tenant);
  const [stats, users] = await Promise.all([repos.achievements.stats(tenant), repos.users.count(tenant)]);
  return buildAdminView(achievement, config, stats.get(achievement.id), users, locale);
}

function buildAdminView(
  a: Achievement,
  config: CommunityConfig,
  stats: AchievementStats | undefined,
  users: number,
  locale: Locale,
): AdminAchievementView {
  const issues = a.status === 'archived' ? [] : healthOf(a, config.rules.metricsByKey, config.rules.achievementsByKey);
  const completions = stats?.completions ?? 0;
  return {
    ...achievementView(a, config, locale),
    status: a.status,
    health: issues.length > 0 ? 'dangling' : 'ok',
    healthIssues: issues,
    completions,
    rarity: rarity(completions, users),
    filters: a.filters,
    translations: a.translations,
    celebration: a.celebration,
    emailOnUnlock: a.emailOnUnlock,
    activatedAt: a.activatedAt === null ? null : iso(a.activatedAt),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

export function rarity(completions: number, users: number): number {
  return users === 0 ? 0 : Math.round((completions / users) * 10000) / 100;
}

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'achievement';
}

function uniqueKey(base: string, config: CommunityConfig): string {
  let key = base;
  for (let n = 2; config.rules.achievementsByKey.has(key); n++) key = `${base}-${n}`;
  return key;
}

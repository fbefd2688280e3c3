/** Leaderboards for admins: define, activate (seeding the current run from history), edit. */
import type { AdminLeaderboard } from '../api/schemas/leaderboard-view.js';
import { attributeOf } from '../domain/attribute-filter.js';
import { dayNumber, localDay } from '../domain/calendar.js';
import { conflict, invalid, LaurelError, notFound } from '../domain/errors.js';
import { type Leaderboard, type RankBy, type RunUnit, runOf } from '../domain/leaderboards.js';
import { streakStatus } from '../domain/streaks.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { iso, leaderboardView } from './presenters.js';
import { resolveMetrics } from './resolve-metrics.js';

export interface LeaderboardInput {
  key?: string;
  name?: string;
  description?: string | null;
  status?: 'inactive' | 'active' | 'archived';
  rankBy?: RankBy;
  metric?: string;
  pointsSystem?: string;
  streak?: string;
  maxParticipants?: number;
  breakdownAttribute?: string | null;
  start?: string;
  end?: string | null;
  runUnit?: RunUnit | null;
  runInterval?: number | null;
}

export function adminLeaderboardView(lb: Leaderboard, config: CommunityConfig, today: number): AdminLeaderboard {
  return {
    ...leaderboardView(lb, config, { start: lb.startDay, end: lb.endDay }, today),
    state: lb.status,
    streakKey: lb.streakId ? (config.streaks.find((s) => s.id === lb.streakId)?.key ?? null) : null,
    created: iso(lb.createdAt),
    updated: iso(lb.updatedAt),
  };
}

const date = (value: string, field: string) => {
  try {
    return dayNumber(value);
  } catch (error) {
    throw error instanceof LaurelError ? invalid('invalid_date', error.message, field) : error;
  }
};

export async function createLeaderboard(
  ctx: EngineContext,
  tenant: Tenant,
  input: LeaderboardInput & { key: string; name: string; rankBy: RankBy },
) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    if (config.leaderboardsByKey.has(input.key))
      throw conflict('duplicate_key', `A leaderboard with key "${input.key}" already exists`, 'key');
    const lb: Leaderboard = {
      id: randomId(),
      key: input.key,
      name: input.name,
      description: input.description ?? null,
      status: input.status ?? 'inactive',
      rankBy: input.rankBy,
      metricId: null,
      pointsSystemId: null,
      streakId: null,
      maxParticipants: input.maxParticipants ?? 1000,
      breakdownAttribute: input.breakdownAttribute ?? null,
      startDay: input.start === undefined ? localDay(now, null) : date(input.start, 'start'),
      endDay: input.end == null ? null : date(input.end, 'end'),
      runUnit: input.runUnit ?? null,
      runInterval: input.runUnit ? (input.runInterval ?? 1) : null,
      createdAt: now,
      updatedAt: now,
    };
    if (lb.rankBy === 'metric') {
      if (!input.metric) throw invalid('metric_required', 'A metric leaderboard needs a metric', 'metric');
      lb.metricId = (
        (await resolveMetrics(tx, tenant, config, [{ key: input.metric, field: 'metric' }], now)).get(input.metric) as { id: string }
      ).id;
    }
    if (lb.rankBy === 'points') {
      const system = input.pointsSystem ? config.pointsSystemsByKey.get(input.pointsSystem) : undefined;
      if (!system) throw invalid('unknown_points_system', `There is no points system "${input.pointsSystem ?? ''}"`, 'pointsSystem');
      lb.pointsSystemId = system.id;
    }
    if (lb.rankBy === 'streak') {
      const streak = input.streak === undefined ? config.rules.primaryStreak : config.rules.streaksByKey.get(input.streak);
      if (!streak)
        throw invalid(
          'unknown_streak',
          input.streak ? `There is no streak "${input.streak}"` : 'The community has no primary streak',
          'streak',
        );
      lb.streakId = input.streak === undefined ? null : streak.id;
    }
    validate(lb);
    await tx.leaderboards.insert(tenant, lb);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    if (lb.status === 'active') await seed(ctx, tx, tenant, lb, now);
    return adminLeaderboardView(lb, await ctx.config.get(tx, tenant), localDay(now, null));
  });
}

export async function updateLeaderboard(ctx: EngineContext, tenant: Tenant, key: string, patch: LeaderboardInput) {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const existing = config.leaderboardsByKey.get(key);
    if (!existing) throw notFound('leaderboard_not_found', `There is no leaderboard "${key}"`, 'key');
    if (patch.key !== undefined && patch.key !== key) throw invalid('key_immutable', 'A leaderboard keeps its key for life', 'key');
    for (const field of ['rankBy', 'metric', 'pointsSystem', 'streak', 'runUnit', 'runInterval', 'start', 'breakdownAttribute'] as const) {
      if (patch[field] !== undefined) {
        throw conflict('leaderboard_immutable', `${field} is fixed once a leaderboard exists: create another one instead`, field);
      }
    }
    const lb: Leaderboard = {
      ...existing,
      name: patch.name ?? existing.name,
      description: patch.description === undefined ? existing.description : patch.description,
      status: patch.status ?? existing.status,
      maxParticipants: patch.maxParticipants ?? existing.maxParticipants,
      endDay: patch.end === undefined ? existing.endDay : patch.end === null ? null : date(patch.end, 'end'),
      updatedAt: now,
    };
    validate(lb);
    await tx.leaderboards.update(tenant, lb);
    await tx.communities.bumpConfigVersion(tenant.communityId);
    if (lb.status === 'active' && existing.status !== 'active') await seed(ctx, tx, tenant, lb, now);
    return adminLeaderboardView(lb, await ctx.config.get(tx, tenant), localDay(now, null));
  });
}

export async function listLeaderboards(ctx: EngineContext, tenant: Tenant) {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const today = localDay(ctx.clock.now(), null);
  return [...config.leaderboardsByKey.values()].map((lb) => adminLeaderboardView(lb, config, today));
}

export async function getLeaderboard(ctx: EngineContext, tenant: Tenant, key: string) {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const lb = config.leaderboardsByKey.get(key);
  if (!lb) throw notFound('leaderboard_not_found', `There is no leaderboard "${key}"`, 'key');
  return adminLeaderboardView(lb, config, localDay(ctx.clock.now(), null));
}

function validate(lb: Leaderboard): void {
  if (!Number.isInteger(lb.maxParticipants) || lb.maxParticipants < 1 || lb.maxParticipants > 1000) {
    throw invalid('invalid_max_participants', 'maxParticipants is a whole number from 1 to 1000', 'maxParticipants');
  }
  if (lb.endDay !== null && lb.endDay < lb.startDay) throw invalid('invalid_end', 'end must not come before start', 'end');
  if (lb.runUnit !== null && lb.rankBy === 'streak')
    throw invalid('streak_runs', 'Streak leaderboards do not repeat: leave runUnit out', 'runUnit');
  if (lb.runInterval !== null && (!Number.isInteger(lb.runInterval) || lb.runInterval < 1)) {
    throw invalid('invalid_run_interval', 'runInterval is a whole number, at least 1', 'runInterval');
  }
}

/** Fills the current run from history when a leaderboard becomes active. */
async function seed(ctx: EngineContext, tx: Repositories, tenant: Tenant, lb: Leaderboard, now: number): Promise<void> {
  const today = localDay(now, null);
  if (lb.rankBy === 'streak') {
    const config = await ctx.config.get(tx, tenant);
    const streak = lb.streakId ? config.rules.streaksById.get(lb.streakId) : config.rules.primaryStreak;
    if (!streak) return;
    const entries = [];
    for (let offset = 0, page = 1000; ; offset += page) {
      const rows = await tx.streakRankings.latestByLength(tenant, streak.id, page, offset);
      const users = await tx.userState.findUsers(
        tenant,
        rows.map((r) => r.point.userId),
      );
      for (const { point } of rows) {
        const user = users.get(point.userId);
        const length = streakStatus(streak, point, localDay(now, user?.tz ?? null), config.community.settings.weekStart).length;
        const group = lb.breakdownAttribute ? attributeOf(user?.attributes, lb.breakdownAttribute) : '';
        if (length > 0) entries.push({ userId: point.userId, group, value: length });
      }
      if (rows.length < page) break;
    }
    await tx.leaderboards.replaceEntries(tenant, lb, entries, now);
    return;
  }
  const run = runOf(lb, today);
  if (!run) return;
  const source =
    lb.rankBy === 'metric'
      ? { kind: 'metric' as const, metricId: lb.metricId as string }
      : {
          kind: 'points' as const,
          systemId: lb.pointsSystemId as string,
          fromMs: run.start * 86_400_000,
          untilMs: run.end === null ? null : (run.end + 1) * 86_400_000,
        };
  await tx.leaderboards.seedRun(tenant, lb, run, source, now);
}

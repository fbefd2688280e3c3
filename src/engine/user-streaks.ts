/**
 * Streaks across users: the primary streak of a list of users, rankings, and the admin's two
 * corrections: giving users a freeze, and restoring a streak that was lost.
 */
import type { Static } from 'typebox';
import type { FreezeGrant, StreakIssue, StreakRestore } from '../api/schemas/streak-correction.js';
import type { StreakRankingSchema, UserStreakLengthSchema } from '../api/schemas/streak-view.js';
import { localDay } from '../domain/calendar.js';
import { invalid } from '../domain/errors.js';
import { lostAt, type StreakDefinition, type StreakPoint, streakPeriod, streakStatus } from '../domain/streaks.js';
import type { User } from '../domain/user.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { iso } from './presenters.js';

/** A day after every period (the largest 32-bit integer): points "before" it are all of them. */
const AFTER_EVERY_PERIOD = 2 ** 31 - 1;

/** Latest point per user of one streak. */
async function latestPoints(
  repos: Repositories,
  tenant: Tenant,
  userIds: string[],
  streak: StreakDefinition,
): Promise<Map<string, StreakPoint>> {
  const loaded = await repos.userState.loadStreakPoints(tenant, new Map(userIds.map((u) => [u, [streak.id]])), AFTER_EVERY_PERIOD);
  const out = new Map<string, StreakPoint>();
  for (const userId of userIds) {
    const last = loaded.get(userId)?.get(streak.id)?.at(-1);
    if (last) out.set(userId, last);
  }
  return out;
}

/** The primary streak of up to 100 users, longest first (Trophy's bulk streak response). */
export async function streaksOf(ctx: EngineContext, tenant: Tenant, userIds: string[]): Promise<Static<typeof UserStreakLengthSchema>[]> {
  if (userIds.length > 100) throw invalid('too_many_users', 'Ask for at most 100 users at a time', 'userIds');
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const primary = config.rules.primaryStreak;
  const users = await repos.userState.findUsers(tenant, userIds);
  const points = primary ? await latestPoints(repos, tenant, [...users.keys()], primary) : new Map<string, StreakPoint>();
  const weekStart = config.community.settings.weekStart;
  return userIds
    .filter((id) => users.has(id))
    .map((id) => {
      const status = primary
        ? streakStatus(primary, points.get(id) ?? null, localDay(ctx.clock.now(), (users.get(id) as User).tz), weekStart)
        : null;
      return { userId: id, streakLength: status?.length ?? 0, extended: status?.extendedAt ? iso(status.extendedAt) : null };
    })
    .sort((a, b) => b.streakLength - a.streakLength || a.userId.localeCompare(b.userId));
}

/** The users with the longest streaks: running now (active) or ever (longest). */
export async function streakRankings(
  ctx: EngineContext,
  tenant: Tenant,
  options: { limit: number; type: 'active' | 'longest' },
): Promise<Static<typeof StreakRankingSchema>[]> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const primary = config.rules.primaryStreak;
  if (!primary) return [];
  const weekStart = config.community.settings.weekStart;
  if (options.type === 'longest') {
    const rows = await repos.streakRankings.longest(tenant, primary.id, options.limit);
    const users = await repos.userState.findUsers(
      tenant,
      rows.map((r) => r.userId),
    );
    return rows.map((r) => ({ userId: r.userId, name: users.get(r.userId)?.name ?? null, streakLength: r.length }));
  }
  // Latest points by length; some of those streaks have since broken, so look further until enough are alive.
  const out: Static<typeof StreakRankingSchema>[] = [];
  for (let offset = 0, page = Math.max(50, options.limit * 2); out.length < options.limit; offset += page) {
    const rows = await repos.streakRankings.latestByLength(tenant, primary.id, page, offset);
    const users = await repos.userState.findUsers(
      tenant,
      rows.map((r) => r.point.userId),
    );
    for (const { point } of rows) {
      const user = users.get(point.userId);
      const status = streakStatus(primary, point, localDay(ctx.clock.now(), user?.tz ?? null), weekStart);
      if (status.length > 0) out.push({ userId: point.userId, name: user?.name ?? null, streakLength: status.length });
    }
    if (rows.length < page) break;
  }
  return out.sort((a, b) => b.streakLength - a.streakLength).slice(0, options.limit);
}

/** Gives each user one more freeze on the primary streak (up to its maximum). */
export async function grantFreezes(ctx: EngineContext, tenant: Tenant, userIds: string[]): Promise<FreezeGrant> {
  return correct(ctx, tenant, userIds, (streak, last, user, issues) => {
    if (!last) {
      issues.push({ userId: user.id, level: 'warning', reason: 'The user has no streak yet' });
      return null;
    }
    const max = streak.freezes?.max ?? Number.MAX_SAFE_INTEGER;
    if (last.freezes >= max) {
      issues.push({ userId: user.id, level: 'warning', reason: `The user already holds the maximum of ${max} freezes` });
      return null;
    }
    return { from: last.period, points: [{ ...last, freezes: last.freezes + 1 }] };
  }).then(({ issues }) => ({ issues }));
}

/** Brings back a streak that was lost, at the length it had, as if the missed periods had been frozen. */
export async function restoreStreaks(ctx: EngineContext, tenant: Tenant, userIds: string[]): Promise<StreakRestore> {
  const now = ctx.clock.now();
  return correct(ctx, tenant, userIds, (streak, last, user, issues, weekStart) => {
    const today = localDay(now, user.tz);
    if (!last) {
      issues.push({ userId: user.id, level: 'warning', reason: 'The user has no streak to restore' });
      return null;
    }
    if (streakStatus(streak, last, today, weekStart).length > 0) {
      issues.push({ userId: user.id, level: 'warning', reason: 'The streak is still running' });
      return null;
    }
    const previous = streakPeriod(streak.frequency, streakPeriod(streak.frequency, today, weekStart).start - 1, weekStart);
    return { from: previous.start, points: [{ ...last, period: previous.start, extendedAt: now }] };
  });
}

type Correction = (
  streak: StreakDefinition,
  last: StreakPoint | null,
  user: User,
  issues: StreakIssue[],
  weekStart: number,
) => { from: number; points: StreakPoint[] } | null;

async function correct(ctx: EngineContext, tenant: Tenant, userIds: string[], change: Correction) {
  return ctx.store.transaction(async (tx) => {
    const config = await ctx.config.get(tx, tenant);
    const streak = config.rules.primaryStreak;
    if (!streak) throw invalid('no_primary_streak', 'This community has no primary streak', 'users');
    await tx.ingest.lockUsers(tenant, userIds);
    const users = await tx.userState.findUsers(tenant, userIds);
    const last = await latestPoints(tx, tenant, [...users.keys()], streak);
    const issues: StreakIssue[] = [];
    const changed: string[] = [];
    const rewrites = [];
    for (const userId of userIds) {
      const user = users.get(userId);
      if (!user) {
        issues.push({ userId, level: 'error', reason: 'There is no such user' });
        continue;
      }
      const weekStart = config.community.settings.weekStart;
      const rewrite = change(streak, last.get(userId) ?? null, user, issues, weekStart);
      if (!rewrite) continue;
      changed.push(userId);
      const end = rewrite.points.at(-1);
      const lost = end ? lostAt(streak, end, user.tz, weekStart, ctx.clock.now()) : null;
      rewrites.push({ userId, streakId: streak.id, ...rewrite, lostAt: lost });
    }
    await tx.ingest.write(tenant, { streaks: rewrites });
    return { restoredUsers: changed, issues };
  });
}

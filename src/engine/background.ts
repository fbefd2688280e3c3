/** The kinds of background job Laurel runs, and the daily schedule. */
import { DateTime } from 'luxon';
import { isEmptyFilter } from '../domain/attribute-filter.js';
import type { Tenant } from '../store/tenant.js';
import { announceFinishedRuns, announceLostStreaks, fillStreakLosses } from './announce-endings.js';
import { announceRun } from './announce-grants.js';
import { backfillAchievement, catalogueOf, countUnlocksOfRun, payRewardsOfRun } from './backfill-achievement.js';
import type { EngineContext } from './context.js';
import { idPrefix, randomId } from './ids.js';
import { rewardViews } from './presenters.js';

export const BACKFILL = 'backfill';
export const ANNIVERSARY_SWEEP = 'sweep-anniversaries';
export const ENDINGS_SWEEP = 'sweep-endings';
export const STREAK_LOSSES_FILL = 'fill-streak-losses';

export function registerJobs(ctx: EngineContext): void {
  ctx.jobs.register(BACKFILL, async (tx, tenant, payload, now) => {
    const { achievementId } = payload as { achievementId: string };
    const config = await ctx.config.get(tx, tenant);
    const achievement = config.rules.achievementsById.get(achievementId);
    if (achievement?.status !== 'active' || achievement.policies.onActivation !== 'backfill') {
      return { granted: 0, skipped: 'The achievement is no longer active with the backfill policy' };
    }
    return { granted: await backfillAchievement(tx, tenant, achievement, catalogueOf(config), now, ctx.log) };
  });

  ctx.jobs.register(ANNIVERSARY_SWEEP, async (tx, tenant, _payload, now) => {
    const config = await ctx.config.get(tx, tenant);
    let granted = 0;
    for (const rule of config.rules.anniversaryRules) {
      const a = rule.achievement;
      const runId = randomId();
      const joinedBy = DateTime.fromMillis(now, { zone: 'utc' }).minus({ years: rule.years }).toMillis();
      await tx.backfill.grantAnniversary(
        tenant,
        {
          achievementId: a.id,
          tierKey: '',
          rewardsJson: JSON.stringify(rewardViews(a.rewards, a.badgeUrl)),
          runId,
          now,
          idPrefix: idPrefix(now),
          source: 'sweep',
        },
        joinedBy,
        isEmptyFilter(a.filters.user) ? null : a.filters.user,
      );
      await payRewardsOfRun(tx, tenant, a, catalogueOf(config), runId, now);
      await countUnlocksOfRun(tx, tenant, a, catalogueOf(config), runId, now);
      await announceRun(tx, tenant, config, a, runId, now);
      await tx.backfill.refreshStats(a.id);
      granted += await tx.backfill.countRun(runId);
    }
    await tx.jobs.enqueue(tenant, nextSweep(now, tenant), now);
    return { granted };
  });

  ctx.jobs.register(ENDINGS_SWEEP, async (tx, tenant, _payload, now) => {
    const config = await ctx.config.get(tx, tenant);
    const streaksLost = await announceLostStreaks(tx, tenant, config, now);
    const leaderboardsFinished = await announceFinishedRuns(tx, tenant, config, now);
    await tx.jobs.enqueue(tenant, nextEndingsSweep(now, tenant), now);
    return { streaksLost, leaderboardsFinished };
  });

  ctx.jobs.register(STREAK_LOSSES_FILL, async (tx, tenant, _payload, now) => {
    const config = await ctx.config.get(tx, tenant);
    return { filled: await fillStreakLosses(tx, tenant, config, now) };
  });
}

/** The next anniversary sweep: shortly after midnight UTC, once per community and day. */
function nextSweep(now: number, tenant: Tenant) {
  const runAt = DateTime.fromMillis(now, { zone: 'utc' }).plus({ days: 1 }).startOf('day').plus({ minutes: 10 });
  return {
    id: randomId(),
    kind: ANNIVERSARY_SWEEP,
    payload: {},
    runAt: runAt.toMillis(),
    dedupeKey: `${ANNIVERSARY_SWEEP}:${tenant.communityId}:${runAt.toISODate()}`,
  };
}

/**
 * The next sweep of what ended (streaks lost, leaderboard runs finished): at the top of every hour,
 * once per community, so that a streak is announced lost within an hour of its user's midnight,
 * whatever their time zone's offset.
 */
function nextEndingsSweep(now: number, tenant: Tenant) {
  const runAt = DateTime.fromMillis(now, { zone: 'utc' }).startOf('hour').plus({ hours: 1 });
  return {
    id: randomId(),
    kind: ENDINGS_SWEEP,
    payload: {},
    runAt: runAt.toMillis(),
    dedupeKey: `${ENDINGS_SWEEP}:${tenant.communityId}:${runAt.toISO()}`,
  };
}

/** Every process calls this at start; the dedupe keys keep it to one sweep a day and one an hour. */
export async function scheduleSweeps(ctx: EngineContext, tenants: readonly Tenant[]): Promise<void> {
  const now = ctx.clock.now();
  for (const tenant of tenants) {
    await ctx.store.read.jobs.enqueue(tenant, nextSweep(now, tenant), now);
    await ctx.store.read.jobs.enqueue(tenant, nextEndingsSweep(now, tenant), now);
    // Once ever per community: streaks written before the sweep of endings existed.
    await ctx.store.read.jobs.enqueue(
      tenant,
      { id: randomId(), kind: STREAK_LOSSES_FILL, payload: {}, runAt: now, dedupeKey: `${STREAK_LOSSES_FILL}:${tenant.communityId}` },
      now,
    );
  }
}

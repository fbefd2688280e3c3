/**
 * The hourly sweep's announcements of what ended: streaks lost (`streak.lost`, once per user and
 * streak that ends) and leaderboard runs finished (`leaderboard.finished`, once per run and
 * breakdown group). Both read only what just ended, through an index, never every user.
 */
import { localDay } from '../domain/calendar.js';
import { lastFinishedDay, runsEnded } from '../domain/leaderboards.js';
import { lostAt, lostOn } from '../domain/streaks.js';
import type { LossCursor } from '../store/repositories/streak-losses.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import { leaderboardFinished, streakLost } from './announcements.js';
import type { CommunityConfig } from './community-config.js';
import { leaderboardView } from './presenters.js';

const PAGE = 500;
const DAY_MS = 86_400_000;

/** A loss or a run's end the sweep has not seen within this long (it did not run) is not announced. */
export const ENDINGS_LOOKBACK_DAYS = 7;

/** Trophy's `leaderboard.finished` carries the top ten. */
const FINISHED_RANKINGS = 10;

/**
 * Announces the streaks lost since the last sweep: points whose `lost_at` has come, checked again
 * in the user's calendar as it is now (their time zone may have changed since), each claimed so
 * that it is announced once.
 */
export async function announceLostStreaks(tx: Repositories, tenant: Tenant, config: CommunityConfig, now: number): Promise<number> {
  const weekStart = config.community.settings.weekStart;
  let announced = 0;
  for (let after: LossCursor | null = null; ; ) {
    const page = await tx.streakLosses.due(tenant, now - ENDINGS_LOOKBACK_DAYS * DAY_MS, now, after, PAGE);
    if (page.length === 0) return announced;
    const users = await tx.userState.findUsers(tenant, [...new Set(page.map((l) => l.userId))]);
    const due = page.flatMap((loss) => {
      const def = config.rules.streaksById.get(loss.streakId);
      const user = users.get(loss.userId);
      const day = def ? lostOn(def, loss.point, weekStart) : null;
      return def && user && day !== null && localDay(now, user.tz) >= day ? [{ loss, def, user, day }] : [];
    });
    const claimed = new Set(
      await tx.streakLosses.claim(
        tenant,
        due.map((d) => d.loss),
      ),
    );
    const records = due.filter((d) => claimed.has(d.loss)).map((d) => streakLost(d.user, d.def, d.loss.point, d.day, weekStart, now));
    await tx.outbox.append(tenant, records);
    announced += records.length;
    if (page.length < PAGE) return announced;
    const last = page[page.length - 1] as (typeof page)[number];
    after = { userId: last.userId, streakId: last.streakId, lostAt: last.lostAt, period: last.point.period };
  }
}

/**
 * Announces the leaderboard runs finished since the last sweep (none that ended before the
 * leaderboard was created), each once: the run is recorded as finished in the same transaction.
 */
export async function announceFinishedRuns(tx: Repositories, tenant: Tenant, config: CommunityConfig, now: number): Promise<number> {
  const until = lastFinishedDay(now);
  const today = localDay(now, null);
  let announced = 0;
  for (const lb of config.leaderboards) {
    if (lb.status !== 'active') continue;
    const since = Math.max(until - ENDINGS_LOOKBACK_DAYS, lastFinishedDay(lb.createdAt) + 1);
    for (const run of runsEnded(lb, since, until)) {
      if (!(await tx.leaderboards.markFinished(tenant, lb.id, run.start, now))) continue;
      const groups = lb.breakdownAttribute ? await tx.leaderboards.groups(lb.id, run.start) : [''];
      for (const group of groups) {
        const limit = Math.min(FINISHED_RANKINGS, lb.maxParticipants);
        const rows = await tx.leaderboards.rankings({ leaderboardId: lb.id, run: run.start, group }, lb.maxParticipants, {
          offset: 0,
          limit,
        });
        const users = await tx.userState.findUsers(
          tenant,
          rows.map((r) => r.userId),
        );
        const leaderboard = {
          ...leaderboardView(lb, config, run, today),
          ...(lb.breakdownAttribute ? { breakdownValue: group } : {}),
          rankings: rows.map((r) => ({ userId: r.userId, userName: users.get(r.userId)?.name ?? null, rank: r.rank, value: r.value })),
        };
        await tx.outbox.append(tenant, [leaderboardFinished(leaderboard, now)]);
        announced += 1;
      }
    }
  }
  return announced;
}

/**
 * Gives the running streaks written before `lost_at` existed theirs, once per community (the
 * streaks already lost by then are not announced). Reads every user's latest point once.
 */
export async function fillStreakLosses(tx: Repositories, tenant: Tenant, config: CommunityConfig, now: number): Promise<number> {
  const weekStart = config.community.settings.weekStart;
  let filled = 0;
  for (const def of config.rules.streaksById.values()) {
    for (let after = ''; ; ) {
      const page = await tx.streakLosses.latest(tenant, def.id, after, PAGE);
      if (page.length === 0) break;
      const users = await tx.userState.findUsers(
        tenant,
        page.map((p) => p.userId),
      );
      const missing = page.flatMap(({ userId, point, lostAt: stored }) => {
        const at = stored === null ? lostAt(def, point, users.get(userId)?.tz ?? null, weekStart, now) : null;
        return at === null ? [] : [{ userId, period: point.period, lostAt: at }];
      });
      await tx.streakLosses.fill(tenant, def.id, missing);
      filled += missing.length;
      after = (page[page.length - 1] as (typeof page)[number]).userId;
    }
  }
  return filled;
}

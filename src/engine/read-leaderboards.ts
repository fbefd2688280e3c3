/** Leaderboards as apps see them: the list, one run's rankings, one user's standing and history. */
import type { Static } from 'typebox';
import type { LeaderboardRankingsSchema, UserLeaderboardSchema } from '../api/schemas/leaderboard-view.js';
import { attributeOf } from '../domain/attribute-filter.js';
import { dayNumber, isoDay, localDay } from '../domain/calendar.js';
import { invalid, LaurelError, notFound } from '../domain/errors.js';
import { displayStatus, type Leaderboard, runOf } from '../domain/leaderboards.js';
import { entryId } from '../store/repositories/leaderboards.js';
import type { Tenant } from '../store/tenant.js';
import type { Principal } from './api-keys.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import { type LeaderboardView, leaderboardView } from './presenters.js';

function find(config: CommunityConfig, key: string): Leaderboard {
  const lb = config.leaderboardsByKey.get(key);
  if (lb?.status !== 'active') throw notFound('leaderboard_not_found', `There is no leaderboard "${key}"`, 'key');
  return lb;
}

/** The run asked for (a date in it), or the one running today. */
function resolveRun(lb: Leaderboard, run: string | undefined, today: number) {
  let day = today;
  if (run !== undefined) {
    try {
      day = dayNumber(run);
    } catch (error) {
      throw error instanceof LaurelError ? invalid('invalid_date', error.message, 'run') : error;
    }
  }
  if (lb.rankBy === 'streak') return { start: lb.startDay, end: lb.endDay };
  return runOf(lb, Math.max(lb.startDay, lb.endDay === null ? day : Math.min(day, lb.endDay))) ?? { start: lb.startDay, end: lb.endDay };
}

export async function listPublicLeaderboards(ctx: EngineContext, tenant: Tenant, includeFinished: boolean): Promise<LeaderboardView[]> {
  const config = await ctx.config.get(ctx.store.read, tenant);
  const today = localDay(ctx.clock.now(), null);
  return config.leaderboards
    .filter((lb) => includeFinished || displayStatus(lb, today) !== 'finished')
    .map((lb) => leaderboardView(lb, config, resolveRun(lb, undefined, today), today));
}

/** Rankings a widget token may read at once: a widget shows a handful. */
export const MEMBER_RANKINGS_LIMIT = 100;

export async function leaderboardRankings(
  ctx: EngineContext,
  tenant: Tenant | Principal,
  key: string,
  query: {
    offset: number;
    limit: number;
    run?: string | undefined;
    userId?: string | undefined;
    userAttributes?: Record<string, string> | undefined;
  },
): Promise<Static<typeof LeaderboardRankingsSchema>> {
  const repos = ctx.store.read;
  const config = await ctx.config.get(repos, tenant);
  const lb = find(config, key);
  const today = localDay(ctx.clock.now(), null);
  const run = resolveRun(lb, query.run, today);
  const member = 'kind' in tenant && tenant.kind === 'member' ? tenant : null;
  let group = '';
  if (lb.breakdownAttribute) {
    let value = query.userAttributes?.[lb.breakdownAttribute];
    if (member) {
      // A member sees their own group's board, and no other: the group is their attribute's value.
      const own = attributeOf((await repos.users.get(tenant, member.userId))?.attributes, lb.breakdownAttribute);
      if (value !== undefined && value !== own) {
        throw new LaurelError(
          'forbidden',
          'widget_token_scope',
          `A widget token may only read its member's own "${lb.breakdownAttribute}" group`,
          'userAttributes',
        );
      }
      value = own;
    }
    if (value === undefined) {
      throw invalid(
        'breakdown_required',
        `This leaderboard is broken down by "${lb.breakdownAttribute}": pass userAttributes=${lb.breakdownAttribute}:<value>`,
        'userAttributes',
      );
    }
    group = value;
  }
  const k = { leaderboardId: lb.id, run: run.start, group };
  let offset = query.offset;
  if (query.userId !== undefined) {
    const mine = { ...k, userId: query.userId };
    const value = (await repos.leaderboards.values([mine])).get(entryId(mine));
    const rank = value === undefined ? null : await repos.leaderboards.rankOf(mine, value, lb.maxParticipants);
    if (rank === null) return { ...leaderboardView(lb, config, run, today), rankings: [] };
    offset = Math.max(0, rank - 1 + query.offset);
  }
  const limit = Math.min(query.limit, lb.maxParticipants, member ? MEMBER_RANKINGS_LIMIT : Number.POSITIVE_INFINITY);
  const rows = await repos.leaderboards.rankings(k, lb.maxParticipants, { offset, limit });
  const users = await repos.userState.findUsers(
    tenant,
    rows.map((r) => r.userId),
  );
  return {
    ...leaderboardView(lb, config, run, today),
    rankings: rows.map((r) => ({ userId: r.userId, userName: users.get(r.userId)?.name ?? null, rank: r.rank, value: r.value })),
  };
}

export async function userLeaderboard(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  key: string,
  query: { run?: string | undefined; numEvents: number },
): Promise<Static<typeof UserLeaderboardSchema>> {
  const repos = ctx.store.read;
  const user = await repos.users.get(tenant, userId);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const lb = find(config, key);
  const today = localDay(ctx.clock.now(), null);
  const run = resolveRun(lb, query.run, today);
  const group = lb.breakdownAttribute ? attributeOf(user.attributes, lb.breakdownAttribute) : '';
  const entry = { leaderboardId: lb.id, run: run.start, group, userId };
  const value = (await repos.leaderboards.values([entry])).values().next().value;
  const rank = value === undefined ? null : await repos.leaderboards.rankOf(entry, value, lb.maxParticipants);
  const history = query.numEvents > 0 ? await repos.leaderboards.history(lb.id, run.start, userId, query.numEvents) : [];
  return {
    ...leaderboardView(lb, config, run, today),
    rank,
    value: value ?? null,
    history: history.map((h) => ({
      date: isoDay(h.day),
      timestamp: `${isoDay(h.day)}T00:00:00.000Z`,
      previousRank: h.previous_rank,
      rank: h.rank,
      previousValue: h.previous_value,
      value: h.value,
    })),
  };
}

/** A user's streak (the primary one unless named): Trophy's StreakResponse with history. */
import type { Static } from 'typebox';
import type { UserStreakSchema } from '../api/schemas/streak-view.js';
import { localDay } from '../domain/calendar.js';
import { notFound } from '../domain/errors.js';
import { streakPeriod } from '../domain/streaks.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { iso, NO_STREAK, streakHistory, streakView } from './presenters.js';

export async function userStreak(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: { historyPeriods: number; streak?: string | undefined },
): Promise<Static<typeof UserStreakSchema>> {
  const repos = ctx.store.read;
  const user = await repos.users.get(tenant, userId);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const def = options.streak === undefined ? config.rules.primaryStreak : config.rules.streaksByKey.get(options.streak);
  if (options.streak !== undefined && !def) throw notFound('streak_not_found', `There is no streak "${options.streak}"`, 'streak');
  if (!def) return { ...NO_STREAK, extended: null, streakHistory: [], pauses: [] };
  const weekStart = config.community.settings.weekStart;
  const today = localDay(ctx.clock.now(), user.tz);
  // The history needs the points of its periods and the one point before them.
  let historyStart = streakPeriod(def.frequency, today, weekStart);
  for (let i = 1; i < options.historyPeriods; i++) historyStart = streakPeriod(def.frequency, historyStart.start - 1, weekStart);
  const loaded = await repos.userState.loadStreakPoints(tenant, new Map([[userId, [def.id]]]), historyStart.start);
  const points = loaded.get(userId)?.get(def.id) ?? [];
  const base = points[0] && points[0].period < historyStart.start ? points[0] : null;
  const last = points.at(-1) ?? null;
  const view = streakView(def, last, today, weekStart);
  return {
    ...view,
    extended: view.length > 0 && last ? iso(last.extendedAt) : null,
    streakHistory: streakHistory(def, base, base ? points.slice(1) : points, today, weekStart, options.historyPeriods),
    pauses: [],
  };
}

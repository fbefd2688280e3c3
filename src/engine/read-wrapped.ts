/** A user's year in review (Trophy's "wrapped"): activity, busiest day, week and month, longest streak. */

import type { Static } from 'typebox';
import type { WrappedSchema } from '../api/schemas/wrapped-view.js';
import { isBuiltInMetric } from '../domain/built-in-events.js';
import { type DayNumber, isoDay, localDay, periodOf } from '../domain/calendar.js';
import { invalid, notFound } from '../domain/errors.js';
import { type Locale, translated } from '../domain/locale.js';
import { type StreakDefinition, type StreakPoint, streakPeriod } from '../domain/streaks.js';
import { roundValue } from '../domain/values.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { achievementView, iso, userView } from './presenters.js';

interface Span {
  first: DayNumber;
  last: DayNumber;
}

export async function userWrapped(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: { year?: number | undefined; locale: Locale },
): Promise<Static<typeof WrappedSchema>> {
  const repos = ctx.store.read;
  const user = await repos.users.get(tenant, userId);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const weekStart = config.community.settings.weekStart;
  const today = localDay(ctx.clock.now(), user.tz);
  const thisYear = new Date(today * 86_400_000).getUTCFullYear();
  const year = options.year ?? thisYear;
  if (!Number.isInteger(year) || year < 1 || year > thisYear)
    throw invalid('invalid_year', `year must be between 1 and ${thisYear}`, 'year');
  const yearSpan: Span = { first: Date.UTC(year, 0, 1) / 86_400_000, last: Date.UTC(year + 1, 0, 1) / 86_400_000 - 1 };

  // The member's own activity: built-in events (unlocks, joining) are what came of it, not more of it.
  const metrics = [...config.rules.metricsById.values()].filter((m) => !isBuiltInMetric(m.key));
  const systems = [...config.pointsSystemsById.values()];
  const primary = config.rules.primaryStreak;
  const [days, totals, pointTotals, awards, streaks, ...pointsAwards] = await Promise.all([
    repos.userState.loadDays(tenant, new Map([[userId, metrics.map((m) => m.id)]]), yearSpan.first),
    repos.userState.loadTotals(
      tenant,
      [userId],
      metrics.map((m) => m.id),
    ),
    repos.points.totals(tenant, userId),
    repos.awards.forUser(tenant, userId),
    primary ? repos.userState.loadStreakPoints(tenant, new Map([[userId, [primary.id]]]), yearSpan.first) : Promise.resolve(new Map()),
    ...systems.map((s) => repos.points.awardsSince(tenant, userId, s.id, (yearSpan.first - 1) * 86_400_000)),
  ]);
  const byMetric = days.get(userId) ?? new Map();
  const pointsByDay = systems.map((s, i) => {
    const changes = new Map<DayNumber, number>();
    for (const a of pointsAwards[i] ?? []) {
      const day = localDay(a.createdAt, user.tz);
      changes.set(day, (changes.get(day) ?? 0) + a.amount);
    }
    return { system: s, changes };
  });

  // Activity per day of the year: events of every metric.
  const activity = new Map<DayNumber, number>();
  for (const series of byMetric.values()) {
    for (const [day, tally] of series)
      if (day >= yearSpan.first && day <= yearSpan.last) activity.set(day, (activity.get(day) ?? 0) + tally.count);
  }
  const distinct = (unit: 'week' | 'month') => new Set([...activity.keys()].map((d) => periodOf(d, { unit }, weekStart)?.start)).size;
  const busiest = (unit: 'day' | 'week' | 'month'): Span => {
    const counts = new Map<DayNumber, { span: Span; n: number }>();
    for (const [day, n] of activity) {
      const p = periodOf(day, { unit }, weekStart) as { start: number; end: number };
      const entry = counts.get(p.start) ?? {
        span: { first: Math.max(p.start, yearSpan.first), last: Math.min(p.end, yearSpan.last) },
        n: 0,
      };
      entry.n += n;
      counts.set(p.start, entry);
    }
    const best = [...counts.values()].sort((a, b) => b.n - a.n || a.span.first - b.span.first)[0];
    return (
      best?.span ?? {
        first: yearSpan.first,
        last: unit === 'day' ? yearSpan.first : (periodOf(yearSpan.first, { unit }, weekStart) as { end: number }).end,
      }
    );
  };

  const period = (span: Span) => ({
    metrics: Object.fromEntries(
      metrics.map((m) => {
        const changes = new Map([...(byMetric.get(m.id) ?? new Map()).entries()].map(([d, t]) => [d, t.total as number]));
        const { total, change } = movement(changes, totals.get(userId)?.get(m.id)?.total ?? 0, span);
        return [
          m.key,
          {
            name: translated(m.name, m.translations, options.locale, 'name'),
            units: m.unit,
            currentTotal: total,
            changeThisPeriod: change,
            percentChange: percent(total, change),
            byAttribute: {},
          },
        ];
      }),
    ),
    points: Object.fromEntries(
      pointsByDay.map(({ system, changes }) => {
        const { total, change } = movement(changes, pointTotals.get(system.id) ?? 0, span);
        return [
          system.key,
          {
            name: system.name,
            description: system.description,
            currentTotal: total,
            changeThisPeriod: change,
            percentChange: percent(total, change),
          },
        ];
      }),
    ),
    achievements: awards
      .filter((a) => {
        const day = localDay(a.achievedAt, user.tz);
        return day >= span.first && day <= span.last;
      })
      .flatMap((a) => {
        const achievement = config.rules.achievementsById.get(a.achievementId);
        return achievement && achievement.status !== 'archived'
          ? [{ ...achievementView(achievement, config, options.locale), achievedAt: iso(a.achievedAt) }]
          : [];
      }),
    leaderboards: {},
  });

  const day = busiest('day');
  const week = busiest('week');
  const month = busiest('month');
  return {
    user: userView(user),
    activity: {
      daysActive: activity.size,
      weeksActive: distinct('week'),
      monthsActive: distinct('month'),
      mostActiveDay: { date: isoDay(day.first), ...period(day) },
      mostActiveWeek: { start: isoDay(week.first), end: isoDay(week.last), ...period(week) },
      mostActiveMonth: { month: new Date(month.first * 86_400_000).getUTCMonth() + 1, ...period(month) },
      entireYear: {
        ...period(yearSpan),
        longestStreak: longestStreak(primary, streaks.get(userId)?.get(primary?.id ?? '') ?? [], yearSpan, weekStart),
      },
    },
  };
}

/** The total at the end of a span and what the span added, from per-day changes and the total now. */
function movement(changes: ReadonlyMap<DayNumber, number>, totalNow: number, span: Span) {
  let change = 0;
  let after = 0;
  for (const [day, value] of changes) {
    if (day >= span.first && day <= span.last) change += value;
    if (day > span.last) after += value;
  }
  return { total: roundValue(totalNow - after), change: roundValue(change) };
}

function percent(total: number, change: number): number {
  const before = total - change;
  if (before === 0) return change > 0 ? 100 : 0;
  return Math.round((change / before) * 10000) / 100;
}

/** The longest the primary streak got during the year, and the period it got there. */
function longestStreak(def: StreakDefinition | null, points: readonly StreakPoint[], year: Span, weekStart: number) {
  if (!def) return { length: 0, frequency: 'daily' as const, periodStart: null, periodEnd: null, started: null };
  const best = points
    .filter((p) => p.period >= year.first && p.period <= year.last)
    .sort((a, b) => b.length - a.length || a.period - b.period)[0];
  if (!best) return { length: 0, frequency: def.frequency, periodStart: null, periodEnd: null, started: null };
  const period = streakPeriod(def.frequency, best.period, weekStart);
  return {
    length: best.length,
    frequency: def.frequency,
    periodStart: isoDay(period.start),
    periodEnd: isoDay(period.end),
    started: isoDay(best.started),
  };
}

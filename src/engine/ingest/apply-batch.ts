/**
 * One group of events, inside its transaction, in the steps a reader can follow:
 * plan (which state the batch needs) → load → evaluate (pure, in event order) → pay → rank →
 * respond (answers from what was decided) → announce (outbox records for webhooks and others) →
 * persist (everything in one write, answers and announcements included).
 */
import { BUILT_IN_METRIC_KEYS } from '../../domain/built-in-events.js';
import { localDay } from '../../domain/calendar.js';
import type { Locale } from '../../domain/locale.js';
import type { Metric } from '../../domain/metric.js';
import type { RuleSet } from '../../domain/rules.js';
import type { Repositories } from '../../store/store.js';
import type { Tenant } from '../../store/tenant.js';
import { announcements } from '../announcements.js';
import { announceCelebrations } from '../celebrations.js';
import type { CommunityConfig } from '../community-config.js';
import type { EngineContext } from '../context.js';
import { builtInReferences, resolveMetrics } from '../resolve-metrics.js';
import { UnlockRecorder } from '../unlock-recorder.js';
import { workingStates } from '../user-states.js';
import { applyTeams } from './apply-teams.js';
import { type AppliedEvent, evaluateBatch } from './evaluate-batch.js';
import { nothingPaid, Payer } from './pay.js';
import { planBatch } from './plan.js';
import { fieldOf, type PreparedEvent } from './prepare.js';
import { rank } from './rank.js';
import { type EventOutcome, respond } from './respond.js';

const withoutExtended = ({ extended: _extended, ...streak }: AppliedEvent['currentStreak']) => streak;

/** How an event names its metric, and where in the request that name is (for errors). */
export const metricReference = (e: PreparedEvent) => ({ key: e.metric, field: fieldOf(e, e.at ? 'metric' : 'key') });

export async function applyBatch(
  ctx: EngineContext,
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  events: readonly PreparedEvent[],
  now: number,
  locale: Locale,
): Promise<EventOutcome[]> {
  const settings = config.community.settings;
  const rules = settings.achievementsEnabled ? config.rules : config.inactiveRules;
  const userIds = [...new Set(events.map((e) => e.user.id))];
  // Users first: creating a metric below locks the community row, and every transaction must take
  // its locks in the same order (users, then community) or two could wait on each other.
  await tx.ingest.lockUsers(tenant, userIds);
  // Built-in metrics are created with a community's first events, so rules written later find their history.
  const metrics = await resolveMetrics(tx, tenant, config, [...events.map(metricReference), ...builtInReferences(config)], now);
  const metricIdOf = (e: PreparedEvent) => (metrics.get(e.metric) as Metric).id;

  const counted = countedBuiltIns(config, rules, metrics);
  const needs = planBatch(
    rules,
    settings.weekStart,
    events.map((e) => ({ userId: e.user.id, metricId: metricIdOf(e), occurredAt: e.occurredAt })),
    counted,
    now,
  );
  const keyed = events.flatMap((e) =>
    e.idempotencyKey === undefined ? [] : [{ userId: e.user.id, metricId: metricIdOf(e), key: e.idempotencyKey }],
  );
  const [loaded, stored] = await Promise.all([
    tx.ingest.loadState(tenant, { ...needs, users: true, points: true }),
    tx.ingest.findIdempotent(tenant, keyed),
  ]);
  const users = loaded.users;
  const states = workingStates(loaded, users, needs);

  const recorder = new UnlockRecorder(config, locale, ctx.log, now);
  // Balances come with the state: most groups pay someone, and a separate read is a round trip.
  const payer = new Payer(recorder, config, loaded.points);
  const evaluation = evaluateBatch({
    rules,
    context: { now, weekStart: settings.weekStart },
    events,
    metrics,
    users,
    states,
    stored,
    counted,
    pay: (e) => payer.pay(e),
  });
  const { applied } = evaluation;
  // Teams named inline, by the events applied (a replayed event changes nothing, as for the profile).
  await applyTeams(
    tx,
    tenant,
    config,
    applied.flatMap((e) => (e.depth === 0 ? [e.event] : [])),
  );
  const paid = payer.paid;
  const standings = await rank(tx, tenant, config, applied, paid, now, localDay(now, null));
  const { outcomes, idempotency } = respond(evaluation.events, paid, standings, now);
  const outbox = announcements(
    config,
    applied.flatMap((e) =>
      e.depth > 0
        ? []
        : [
            {
              user: e.user,
              ...(paid.get(e.eventId) ?? nothingPaid()),
              extendedStreak: e.currentStreak.extended ? withoutExtended(e.currentStreak) : null,
            },
          ],
    ),
    now,
  );

  // Before the write, which then carries the news to other processes.
  announceCelebrations(tx, tenant, outbox);
  await tx.ingest.write(tenant, {
    createdUsers: evaluation.createdUsers,
    updatedUsers: evaluation.updatedUsers,
    events: evaluation.records,
    totals: evaluation.totals,
    counters: evaluation.counters,
    days: evaluation.days,
    streaks: evaluation.streaks,
    idempotency,
    outbox,
    ...recorder.changes(),
  });
  return outcomes;
}

/**
 * The built-in metrics something counts (an achievement, a points trigger, a streak, a leaderboard).
 * Their events are stored in full; the others only add to the members' totals, so an unlock nobody
 * counts costs one merged row per member and metric, not an event and a day's total each.
 */
function countedBuiltIns(config: CommunityConfig, rules: RuleSet, metrics: ReadonlyMap<string, Metric>): string[] {
  return BUILT_IN_METRIC_KEYS.flatMap((key) => {
    const id = metrics.get(key)?.id;
    if (id === undefined) return [];
    const counts =
      rules.metricRules.has(id) ||
      rules.streaksByMetric.has(id) ||
      rules.triggers.byMetric.has(id) ||
      config.leaderboards.some((l) => l.rankBy === 'metric' && l.metricId === id);
    return counts ? [id] : [];
  });
}

/**
 * Moves a batch's users on the community's leaderboards: by the metric value of each event, the
 * streak lengths it reached and the points it was paid (built-in events included). Returns, by event id, the leaderboards each
 * event moved (by key), with the ranks after the batch.
 */
import type { Repositories } from '../../store/store.js';
import type { Tenant } from '../../store/tenant.js';
import type { CommunityConfig } from '../community-config.js';
import { LeaderboardTracker } from '../leaderboard-tracker.js';
import type { EventLeaderboardView } from '../presenters.js';
import type { AppliedEvent } from './evaluate-batch.js';
import type { Paid } from './pay.js';

export type Standings = Record<string, EventLeaderboardView>;

export async function rank(
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  events: readonly AppliedEvent[],
  paid: ReadonlyMap<string, Paid>,
  now: number,
  today: number,
): Promise<Map<string, Standings>> {
  const tracker = new LeaderboardTracker(config);
  if (!tracker.active) return new Map();
  // A built-in event moves the boards of the request's event it descends from, whose paid points
  // include its own.
  for (const e of events) {
    tracker.onMetric(e.userId, e.attributes, e.metric.id, e.day, e.event.value, e.rootId);
    for (const move of e.streakMoves) tracker.onStreak(e.userId, e.attributes, move.streakId, e.day, move.length, e.rootId);
    if (e.depth > 0) continue;
    for (const [key, change] of Object.entries(paid.get(e.eventId)?.points ?? {})) {
      const system = config.pointsSystemsByKey.get(key) as { id: string };
      tracker.onPoints(e.userId, e.attributes, system.id, e.day, change.added, e.eventId);
    }
  }
  return tracker.flush(tx, tenant, now, today);
}

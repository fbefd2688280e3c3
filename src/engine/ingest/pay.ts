/**
 * Pays what one applied event unlocked and fired, over the balances loaded with the batch's state
 * (what an event unlocks never depends on points). A built-in event pays into the answer of the
 * request's event it descends from.
 */
import type { CommunityConfig } from '../community-config.js';
import type { PointsChangeView, UnlockRecorder, UnlockView } from '../unlock-recorder.js';
import type { AppliedEvent, PointsMove } from './evaluate-batch.js';
import { checked } from './prepare.js';

/** What paying one request's event gave: the achievements it unlocked and the points it added, by system key. */
export interface Paid {
  achievements: UnlockView[];
  points: Record<string, PointsChangeView>;
}

/** What an event that paid nothing answers (a fresh value each time: answers are not shared). */
export const nothingPaid = (): Paid => ({ achievements: [], points: {} });

/** Pays events as they apply; `paid` holds, by request event id, what each paid with what it raised. */
export class Payer {
  readonly paid = new Map<string, Paid>();

  /** `balances`: points by system id of each payee, updated as they are paid. */
  constructor(
    private readonly recorder: UnlockRecorder,
    private readonly config: CommunityConfig,
    private readonly balances: Map<string, Map<string, number>>,
  ) {}

  pay(e: AppliedEvent): PointsMove[] {
    if (e.unlocks.length === 0 && e.firings.length === 0) return [];
    let own = this.balances.get(e.userId);
    if (!own) this.balances.set(e.userId, (own = new Map()));
    const userPoints = own;
    let into = this.paid.get(e.rootId);
    if (!into) this.paid.set(e.rootId, (into = nothingPaid()));
    const out = into;
    const before = new Map(userPoints);
    checked(e.event, () => {
      for (const unlock of e.unlocks) out.achievements.push(this.recorder.record(e.userId, unlock, e.eventId, userPoints, out.points));
      for (const firing of e.firings) this.recorder.recordFiring(e.userId, firing, e.eventId, userPoints, out.points);
    });
    const moves: PointsMove[] = [];
    for (const [systemId, after] of userPoints) {
      const was = before.get(systemId) ?? 0;
      const system = this.config.pointsSystemsById.get(systemId);
      if (after !== was && system) moves.push({ systemKey: system.key, levels: system.levels, before: was, after, at: e.event.occurredAt });
    }
    return moves;
  }
}

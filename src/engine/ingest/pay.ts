/**
 * Pays what a batch's events unlocked and fired, in event order, over the balances loaded with the
 * batch's state (what an event unlocks never depends on points).
 */
import type { PointsChangeView, UnlockRecorder, UnlockView } from '../unlock-recorder.js';
import type { AppliedEvent } from './evaluate-batch.js';
import { checked } from './prepare.js';

/** What paying one event gave: the achievements it unlocked and the points it added, by system key. */
export interface Paid {
  achievements: UnlockView[];
  points: Record<string, PointsChangeView>;
}

/** What an event that paid nothing answers (a fresh value each time: answers are not shared). */
export const nothingPaid = (): Paid => ({ achievements: [], points: {} });

const pays = (e: AppliedEvent) => e.unlocks.length > 0 || e.firings.length > 0;

/** `balances`: points by system id of each payee, updated as they are paid. By event id, what each paid. */
export function pay(
  recorder: UnlockRecorder,
  events: readonly AppliedEvent[],
  balances: Map<string, Map<string, number>>,
): Map<string, Paid> {
  const paid = new Map<string, Paid>();
  for (const e of events) {
    if (!pays(e)) continue;
    let userPoints = balances.get(e.userId);
    if (!userPoints) balances.set(e.userId, (userPoints = new Map()));
    const own = userPoints;
    const points: Record<string, PointsChangeView> = {};
    const achievements = checked(e.event, () => {
      const unlocked = e.unlocks.map((unlock) => recorder.record(e.userId, unlock, e.eventId, own, points));
      for (const firing of e.firings) recorder.recordFiring(e.userId, firing, e.eventId, own, points);
      return unlocked;
    });
    paid.set(e.eventId, { achievements, points });
  }
  return paid;
}

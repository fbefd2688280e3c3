import type { Match, Repeat } from './achievement.js';
import { invalid } from './errors.js';
import { roundValue } from './values.js';

/**
 * The most completions of a repeatable achievement one change may add, and the most one change
 * grants. Each is a stored award, and a tiny threshold with a large value (1e-8 and 1,000) would
 * otherwise mean 1e11 of them, built in one synchronous loop that stops the server.
 */
export const MAX_COMPLETIONS_PER_CHANGE = 1000;

export interface ThresholdRule {
  /** Ascending; one entry for an untiered achievement. */
  thresholds: readonly number[];
  match: Match;
  repeat: Repeat;
}

/** What a user already holds of one achievement. */
export interface Held {
  tiers: ReadonlySet<number>;
  completions: number;
}

export interface Unlock {
  tierIndex: number;
  /** 1-based completion number for repeatable achievements, 0 for once-only ones. */
  completion: number;
}

/**
 * Which steps a change of a measure from `before` to `after` unlocks.
 * - reach: every step whose threshold `after` has reached and the user does not hold yet.
 * - exact: a step only when this change makes the measure equal its threshold.
 * - unlimited (one step): every further multiple of the threshold reached (reach), or each time the
 *   measure becomes equal to it again (exact). A change whose own multiples exceed the bound is
 *   refused; completions the user is behind on are granted up to the bound, the rest by later changes.
 */
export function decideUnlocks(rule: ThresholdRule, before: number, after: number, held: Held): Unlock[] {
  const unlocks: Unlock[] = [];
  if (rule.repeat === 'unlimited') {
    const threshold = rule.thresholds[0];
    if (threshold === undefined) return unlocks;
    if (rule.match === 'exact') {
      if (after === threshold && before !== threshold) unlocks.push({ tierIndex: 0, completion: held.completions + 1 });
      return unlocks;
    }
    const reached = Math.floor(roundValue(after / threshold));
    const added = reached - Math.floor(roundValue(before / threshold));
    if (added > MAX_COMPLETIONS_PER_CHANGE) {
      throw invalid(
        'too_many_completions',
        `This would complete a repeatable achievement ${added} times at once; one event may complete it at most ${MAX_COMPLETIONS_PER_CHANGE} times`,
        'value',
      );
    }
    // A user behind on completions (history from before activation, beyond what backfill grants)
    // catches up by at most the same bound per event, so no event is refused for its history.
    const last = Math.min(reached, held.completions + MAX_COMPLETIONS_PER_CHANGE);
    for (let k = held.completions + 1; k <= last; k++) unlocks.push({ tierIndex: 0, completion: k });
    return unlocks;
  }
  rule.thresholds.forEach((threshold, tierIndex) => {
    if (held.tiers.has(tierIndex)) return;
    const hit = rule.match === 'exact' ? after === threshold && before !== threshold : after >= threshold;
    if (hit) unlocks.push({ tierIndex, completion: 0 });
  });
  return unlocks;
}

/**
 * When a failed delivery is tried again: exponential back-off with jitter, until a day after the
 * delivery was queued; then it is dead (Trophy gives up after three tries; receivers that were
 * down for hours still get their events here).
 */

/** First pause after a failure; each further failure doubles it. */
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 3_600_000;
/** How long after it was queued a delivery is still retried. */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
/** ± this share of the pause, so receivers coming back are not hit by every retry at once. */
export const JITTER = 0.2;

/**
 * When to try again after the `attempts`-th attempt (counting it) failed at `now`, or null when the
 * next try would fall more than a day after `queuedAt`. `random` is in [0, 1).
 */
export function retryAt(attempts: number, queuedAt: number, now: number, random: number): number | null {
  const pause = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
  const next = now + Math.round(pause * (1 - JITTER + 2 * JITTER * random));
  return next > queuedAt + GIVE_UP_AFTER_MS ? null : next;
}

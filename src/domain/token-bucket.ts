/**
 * A token bucket holding one second's allowance: it refills continuously at `perSecond` and never
 * holds more than that, so a key may burst to its limit but averages at most the limit over time.
 * A request heavier than a whole second's allowance (a batch of 1,000 events against a limit of
 * 100) passes when the bucket is full and leaves it in debt, so it is neither refused forever nor
 * free: the key waits until the debt is paid back.
 */
export interface BucketDecision {
  allowed: boolean;
  /** Units left after this request (never below 0). */
  remaining: number;
  /** Whole seconds until the bucket is full again. */
  resetSeconds: number;
  /** Whole seconds until this request would pass (0 when it did). */
  retryAfterSeconds: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** When the bucket is full again at the last limit used: from then on it is no different from a new one. */
  private fullAt: number;

  constructor(perSecond: number, now: number) {
    this.tokens = perSecond;
    this.updatedAt = now;
    this.fullAt = now;
  }

  /** Whether the bucket has refilled by `now`, so forgetting it (and starting a new one later) changes nothing. */
  isFull(now: number): boolean {
    return now >= this.fullAt;
  }

  /** Takes `units` if the bucket allows them at `now`, under a limit of `perSecond` (which may have changed). */
  take(units: number, perSecond: number, now: number): BucketDecision {
    const perMs = perSecond / 1000;
    this.tokens = Math.min(perSecond, this.tokens + Math.max(0, now - this.updatedAt) * perMs);
    this.updatedAt = now;
    const needed = Math.min(units, perSecond);
    const allowed = this.tokens >= needed;
    if (allowed) this.tokens -= units;
    this.fullAt = now + Math.max(0, perSecond - this.tokens) / perMs;
    const seconds = (deficit: number) => Math.max(0, Math.ceil(deficit / perMs / 1000));
    return {
      allowed,
      remaining: Math.max(0, Math.floor(this.tokens)),
      resetSeconds: seconds(perSecond - this.tokens),
      retryAfterSeconds: allowed ? 0 : Math.max(1, seconds(needed - this.tokens)),
    };
  }
}

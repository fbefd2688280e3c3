/**
 * Per-key rate limits, set per community (`rateLimits` in its settings, off by default). Each API
 * key has one bucket for events and one for reads (and each member with widget tokens one bucket
 * for reads), in this process (a bucket that has refilled is forgotten: memory stays bounded): with several processes behind
 * a load balancer, a key's effective limit is the setting times the number of processes it reaches.
 */
import { type BucketDecision, TokenBucket } from '../domain/token-bucket.js';
import type { Principal } from './api-keys.js';
import type { EngineContext } from './context.js';

export type RateClass = 'events' | 'reads';

/** How old a view of the settings may be: a change to the limits applies within this. */
const SETTINGS_MAX_AGE_MS = 1_000;

export interface RateLimiterBounds {
  /** Buckets held beyond which the full ones (idle long enough to have refilled) are dropped. */
  sweepAt: number;
  /** Buckets kept by a sweep at most, the least recently used dropped even if not full (so at most twice this between sweeps). */
  maxBuckets: number;
}

const BOUNDS: RateLimiterBounds = { sweepAt: 10_000, maxBuckets: 100_000 };

export interface RateDecision extends BucketDecision {
  /** The limit that applied, per second. */
  limit: number;
}

export class RateLimiter {
  /** In least recently used order (a bucket used is moved to the end). */
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly bounds: RateLimiterBounds;
  private nextSweepAt: number;

  constructor(
    private readonly ctx: EngineContext,
    bounds: Partial<RateLimiterBounds> = {},
  ) {
    this.bounds = { ...BOUNDS, ...bounds };
    this.nextSweepAt = this.bounds.sweepAt;
  }

  /** Buckets held now. */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes `units` from the key's allowance for `rateClass`; null when its community sets no limit. */
  async admit(principal: Principal, rateClass: RateClass, units: number): Promise<RateDecision | null> {
    const now = this.ctx.clock.now();
    const config = await this.ctx.config.recent(this.ctx.store.read, principal, now, SETTINGS_MAX_AGE_MS);
    const limits = config.community.settings.rateLimits;
    const limit = rateClass === 'events' ? limits.eventsPerSecond : limits.readsPerSecond;
    if (limit === null) return null;
    // A member's widgets share one allowance per member, whatever tokens they hold.
    const who = principal.kind === 'member' ? `member:${principal.userId}` : `key:${principal.keyId}`;
    const id = `${principal.communityId}\u0000${who}\u0000${rateClass}`;
    let bucket = this.buckets.get(id);
    if (bucket) this.buckets.delete(id);
    else bucket = new TokenBucket(limit, now);
    this.buckets.set(id, bucket);
    const decision = bucket.take(units, limit, now);
    if (this.buckets.size > this.nextSweepAt) this.sweep(now);
    return { limit, ...decision };
  }

  /**
   * Drops the buckets that have refilled: a new one starts full, so nothing changes for their keys
   * (one per member makes them many). Sweeps again only once the map has doubled, so it costs
   * O(1) per request.
   */
  private sweep(now: number): void {
    for (const [id, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(id);
    // A burst of distinct members within a second: forget the least recently used, not memory.
    for (const id of this.buckets.keys()) {
      if (this.buckets.size <= this.bounds.maxBuckets) break;
      this.buckets.delete(id);
    }
    this.nextSweepAt = Math.max(this.bounds.sweepAt, 2 * this.buckets.size);
  }
}

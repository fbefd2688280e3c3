/**
 * Per-key rate limits, set per community (`rateLimits` in its settings, off by default). Each API
 * key has one bucket for events and one for reads (and each member with widget tokens one bucket
 * for reads), in this process: with several processes behind
 * a load balancer, a key's effective limit is the setting times the number of processes it reaches.
 */
import { type BucketDecision, TokenBucket } from '../domain/token-bucket.js';
import type { Principal } from './api-keys.js';
import type { EngineContext } from './context.js';

export type RateClass = 'events' | 'reads';

/** How old a view of the settings may be: a change to the limits applies within this. */
const SETTINGS_MAX_AGE_MS = 1_000;

export interface RateDecision extends BucketDecision {
  /** The limit that applied, per second. */
  limit: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly ctx: EngineContext) {}

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
    if (!bucket) this.buckets.set(id, (bucket = new TokenBucket(limit, now)));
    return { limit, ...bucket.take(units, limit, now) };
  }
}

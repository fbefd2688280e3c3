/**
 * The rate-limit hook of the application API: runs after the key check and after the body is read
 * (a batch counts as its number of events), answers RateLimit-Limit, RateLimit-Remaining and
 * RateLimit-Reset (IETF draft) on every limited response, and 429 with Retry-After beyond the limit.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LaurelError } from '../domain/errors.js';
import type { RateClass, RateLimiter } from '../engine/rate-limiter.js';

/**
 * What a request costs: reads are GETs; events are events, and any other change counts as one. A
 * member's widgets only read (acknowledging what they showed is part of reading).
 */
function costOf(request: FastifyRequest): [RateClass, number] {
  if (request.principal.kind === 'member') return ['reads', 1];
  if (request.method === 'GET' || request.method === 'HEAD') return ['reads', 1];
  const events = (request.body as { events?: unknown } | undefined)?.events;
  return ['events', Array.isArray(events) ? Math.max(1, events.length) : 1];
}

export function rateLimitHook(limiter: RateLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const [rateClass, units] = costOf(request);
    const decision = await limiter.admit(request.principal, rateClass, units);
    if (!decision) return;
    void reply.header('RateLimit-Limit', decision.limit);
    void reply.header('RateLimit-Remaining', decision.remaining);
    void reply.header('RateLimit-Reset', decision.resetSeconds);
    if (!decision.allowed) {
      throw new LaurelError(
        'rate_limited',
        'rate_limited',
        `${request.principal.kind === 'member' ? 'A member' : 'This API key'} may send ${decision.limit} ${rateClass} per second; retry in ${decision.retryAfterSeconds} s`,
        undefined,
        { retryAfter: decision.retryAfterSeconds },
      );
    }
  };
}

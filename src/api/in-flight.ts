/**
 * A bound on application requests being worked on at once in this process. Beyond it a request is
 * refused before any work (no key lookup, no body, no database) with 503 and Retry-After, so the
 * ones accepted share the process with a bounded number of others and keep a bounded latency: with
 * 1,000 connections of single events, the time went to parsing, answering and applying that many
 * requests at once, not to waiting in the commit queue.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unavailable } from '../domain/errors.js';

const RETRY_AFTER_S = 1;

/** An onRequest hook admitting at most `max` requests at a time (0: no bound). */
export function inFlightBound(max: number) {
  let inFlight = 0;
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (max === 0) return;
    if (inFlight >= max) {
      throw unavailable('overloaded', `The server is at capacity (${max} requests at once); retry in ${RETRY_AFTER_S} s`, {
        retryAfter: RETRY_AFTER_S,
      });
    }
    inFlight += 1;
    // 'close' comes once per response, whether it was sent or its client went away.
    reply.raw.once('close', () => (inFlight -= 1));
  };
}

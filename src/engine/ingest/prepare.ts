/**
 * An event as the client sent it, checked and made ready before it queues: its value rounded, its
 * time read (refused in the future beyond clock drift), and its content hashed for idempotency.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { isBuiltInMetric } from '../../domain/built-in-events.js';
import { invalid, LaurelError } from '../../domain/errors.js';
import { type UserInput, validateUserInput } from '../../domain/user.js';
import { roundValue, valueRangeError, withinValueRange } from '../../domain/values.js';

/** How far ahead of the server's clock an event's timestamp may be (clients' clocks drift). */
const FUTURE_TOLERANCE_MS = 60_000;

export interface EventInput {
  metric: string;
  user: UserInput;
  value: number;
  attributes?: Record<string, string>;
  timestamp?: string;
  idempotencyKey?: string;
}

export interface PreparedEvent extends EventInput {
  occurredAt: number;
  index: number | null;
  /** Where this event sits in the request, for error fields ("events[3]"), or '' for a single one. */
  at: string;
  /** What the event says, hashed: an idempotency key may only be repeated with the same content. */
  fingerprint: string;
}

/** `index`: the event's place in a batch, or null for a single event. */
export function prepare(input: EventInput, now: number, index: number | null): PreparedEvent {
  const at = index === null ? '' : `events[${index}]`;
  try {
    validateUserInput(input.user, 'user');
    if (isBuiltInMetric(input.metric)) {
      throw invalid(
        'metric_reserved',
        `Metric "${input.metric}" is built in: Laurel raises its events itself and refuses them from clients`,
        index === null ? 'key' : 'metric',
      );
    }
    if (!withinValueRange(input.value)) throw valueRangeError('value', input.value);
    let occurredAt = now;
    if (input.timestamp !== undefined) {
      const parsed = DateTime.fromISO(input.timestamp, { zone: 'utc' });
      if (!parsed.isValid) {
        throw invalid('invalid_timestamp', `timestamp "${input.timestamp}" is not an ISO 8601 date-time`, 'timestamp');
      }
      occurredAt = parsed.toMillis();
      if (occurredAt > now + FUTURE_TOLERANCE_MS) {
        throw invalid('timestamp_in_future', `timestamp ${input.timestamp} is in the future`, 'timestamp');
      }
    }
    return { ...input, value: roundValue(input.value), occurredAt, at, index, fingerprint: fingerprintOf(input) };
  } catch (error) {
    throw error instanceof LaurelError && index !== null ? error.within(at, { index }) : error;
  }
}

/** Runs work for one event; the rules' refusals are located in its batch ("events[3].value"). */
export function checked<T>(e: PreparedEvent, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof LaurelError && e.index !== null ? error.within(e.at, { index: e.index }) : error;
  }
}

/** Where a field of this event is, in the request. */
export const fieldOf = (e: PreparedEvent, name: string) => (e.at ? `${e.at}.${name}` : name);

/**
 * A hash of what an event does (metric, user id, value, attributes, timestamp), the same whatever
 * order its fields came in. A retry may differ in everything else: an updated profile (name, email)
 * or a per-attempt field the engine ignores (`sentAt`). An event carrying only these fields hashes
 * as it did when the whole event was hashed, so stored fingerprints still match.
 */
function fingerprintOf(input: EventInput): string {
  const { metric, user, value, attributes, timestamp } = input;
  return createHash('sha256')
    .update(canonicalJson({ metric, user: { id: user.id }, value, attributes, timestamp }))
    .digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

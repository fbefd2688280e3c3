/**
 * The answers to a batch's events, built from what the batch decided, paid and ranked (the same
 * records it writes), in request order. A keyed event's answer is also what is stored for its key.
 */
import type { Static } from 'typebox';
import type { EventResponseSchema } from '../../api/schemas/event-response.js';
import type { IdempotencyRecord } from '../../store/ingest/ingest-store.js';
import type { AppliedEvent, EvaluatedEvent } from './evaluate-batch.js';
import { nothingPaid, type Paid } from './pay.js';
import type { Standings } from './rank.js';

/** Trophy's EventResponse, with Laurel's fields: the route's response schema. */
export type EventResponse = Static<typeof EventResponseSchema>;

export interface EventOutcome {
  /** created: applied now; replayed: an earlier event with the same idempotency key answered. */
  status: 'created' | 'replayed';
  response: EventResponse;
}

export interface Answers {
  outcomes: EventOutcome[];
  /** What to store for the batch's new idempotency keys. */
  idempotency: IdempotencyRecord[];
}

export function respond(
  events: readonly EvaluatedEvent[],
  paid: ReadonlyMap<string, Paid>,
  standings: ReadonlyMap<string, Standings>,
  now: number,
): Answers {
  const outcomes: EventOutcome[] = [];
  const idempotency: IdempotencyRecord[] = [];
  for (const e of events) {
    if (e.kind === 'replayed') {
      const earlier = 'index' in e.earlier ? (outcomes[e.earlier.index] as EventOutcome).response : (e.earlier.stored as EventResponse);
      outcomes.push({ status: 'replayed', response: { ...earlier, idempotentReplayed: true } });
      continue;
    }
    const response = answer(e, paid.get(e.eventId) ?? nothingPaid(), standings.get(e.eventId) ?? {});
    outcomes.push({ status: 'created', response });
    const key = e.event.idempotencyKey;
    if (key !== undefined) {
      idempotency.push({
        userId: e.userId,
        metricId: e.metric.id,
        key,
        eventId: e.eventId,
        response,
        createdAt: now,
        fingerprint: e.event.fingerprint,
      });
    }
  }
  return { outcomes, idempotency };
}

function answer(e: AppliedEvent, paid: Paid, standings: Standings): EventResponse {
  return {
    eventId: e.eventId,
    metricId: e.metric.id,
    metricKey: e.metric.key,
    timestamp: new Date(e.event.occurredAt).toISOString(),
    total: e.tally.total,
    count: e.tally.count,
    achievements: paid.achievements,
    currentStreak: e.currentStreak,
    points: paid.points,
    leaderboards: standings,
    ...(e.event.idempotencyKey === undefined ? {} : { idempotencyKey: e.event.idempotencyKey }),
  };
}

/** What sending events answers: Trophy's EventResponse, with Laurel's extra fields. */
import Type from 'typebox';
import { AchievementViewSchema, AwardSourceSchema, TierRefSchema } from './achievement-view.js';
import { Nullable } from './common.js';
import { EventLeaderboardSchema } from './leaderboard-view.js';
import { PointsChangeViewSchema } from './points-view.js';
import { EventStreakSchema } from './streak-view.js';

export const UnlockedTierSchema = Type.Object({
  ...TierRefSchema.properties,
  threshold: Type.Number({ description: "The tier's goal" }),
});

/** An achievement a request unlocked (Trophy's UserAchievementResponse, with the completion's details). */
export const UnlockedAchievementSchema = Type.Object(
  {
    ...AchievementViewSchema.properties,
    achievedAt: Type.String({ description: 'When it was completed (ISO 8601)' }),
    completionId: Type.String({ description: 'The unique ID of the completion' }),
    completionCount: Type.Integer({ description: 'How many times the user has now completed it' }),
    tier: Nullable(UnlockedTierSchema, { description: 'The tier reached, for tiered achievements' }),
    source: AwardSourceSchema,
  },
  { description: 'An achievement unlocked; rewards are what the unlock paid' },
);

export const PointsChangesSchema = Type.Record(Type.String(), PointsChangeViewSchema, {
  description: 'The points systems the request changed, by key',
});

const eventFields = {
  eventId: Type.String({ description: 'The unique ID of the event' }),
  metricId: Type.String({ description: 'The unique ID of the metric' }),
  metricKey: Type.String({ description: 'The key of the metric' }),
  timestamp: Type.String({ description: 'When the event happened (ISO 8601)' }),
  total: Type.Number({ description: "The user's new total of the metric" }),
  count: Type.Integer({ description: "The number of the user's events on the metric" }),
  achievements: Type.Array(UnlockedAchievementSchema, { description: 'Achievements completed as a result of this event' }),
  currentStreak: EventStreakSchema,
  points: PointsChangesSchema,
  leaderboards: Type.Record(Type.String(), EventLeaderboardSchema, {
    description: 'The leaderboards the event changed, by key',
  }),
  idempotencyKey: Type.Optional(Type.String({ description: 'The idempotency key sent with the event, if any' })),
  idempotentReplayed: Type.Optional(Type.Boolean({ description: 'true: an earlier event with this key answered, and nothing changed' })),
};

export const EventResponseSchema = Type.Object(eventFields, { description: "Trophy's EventResponse" });

/** One event's answer in a batch: the EventResponse, where the event was, and what a single send would have answered. */
export const EventResultSchema = Type.Object(
  {
    index: Type.Integer({ description: "The event's position in the batch, from 0" }),
    status: Type.Union([Type.Literal(201), Type.Literal(202)], {
      description: '201: applied; 202: an earlier event with its idempotency key answered',
    }),
    ...eventFields,
  },
  { description: "One event's result" },
);

export const BatchResponseSchema = Type.Object(
  { results: Type.Array(EventResultSchema, { description: "Each event's result, in the batch's order" }) },
  { description: 'The results of a batch' },
);

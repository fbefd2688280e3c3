import Type, { type Static } from 'typebox';

const Pair = Type.Object(
  { key: Type.String({ description: 'Attribute name' }), value: Type.String({ description: 'Value it must have' }) },
  { description: 'An attribute a trigger matches' },
);

/** Trophy's PointsTriggerResponse. */
export const PointsTriggerSchema = Type.Object(
  {
    id: Type.String({ description: "The trigger's id" }),
    type: Type.Union([Type.Literal('metric'), Type.Literal('achievement'), Type.Literal('streak'), Type.Literal('user_creation')], {
      description: 'What fires it: units of a metric, an achievement, a streak length, or joining',
    }),
    points: Type.Integer({ description: 'Points paid each time it fires' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('archived')], {
      description: 'Only active triggers pay',
    }),
    metricId: Type.Optional(Type.String({ description: 'metric: the metric id' })),
    metricKey: Type.Optional(Type.String({ description: 'metric: the metric key' })),
    metricName: Type.Optional(Type.String({ description: "metric: the metric's name" })),
    metricThreshold: Type.Optional(Type.Number({ description: 'metric: pays once per this many units of the total' })),
    achievementId: Type.Optional(Type.String({ description: 'achievement: the achievement id' })),
    achievementKey: Type.Optional(Type.String({ description: 'achievement: the achievement key' })),
    achievementName: Type.Optional(Type.String({ description: "achievement: the achievement's name" })),
    streakLengthThreshold: Type.Optional(Type.Integer({ description: 'streak: pays when the primary streak reaches this length' })),
    userAttributes: Type.Array(Pair, { description: 'User attributes it requires' }),
    eventAttributes: Type.Optional(Type.Array(Pair, { description: 'metric: event attributes it requires' })),
    eventAttribute: Type.Optional(Type.Object(Pair.properties, { description: 'metric: the first of eventAttributes (Trophy has one)' })),
    created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it last changed (ISO 8601)' }),
  },
  { description: 'A points trigger' },
);
export type PointsTriggerView = Static<typeof PointsTriggerSchema>;

/** Points as apps see them (Trophy's PointsResponse family, with Laurel's extra fields), and as admins see them. */
import Type, { type Static } from 'typebox';
import { KeyValueSchema } from './achievement-view.js';
import { Nullable } from './common.js';

const text = (description: string) => Type.String({ description });

const headerFields = {
  id: text('The ID of the points system'),
  key: text('The key of the points system'),
  name: text('The name of the points system'),
  description: Nullable(text('The description of the points system')),
  badgeUrl: Nullable(text('The URL of the badge image for the points system')),
  maxPoints: Nullable(Type.Number({ description: 'The most points a user can hold in this system; null: no limit' })),
};

export const PointsSystemHeaderSchema = Type.Object(headerFields, { description: "Trophy's PointsResponse" });

export const LevelViewSchema = Type.Object(
  {
    id: text('The ID of the level (kept across edits while its key stays)'),
    key: text('The unique key of the level'),
    name: text('The name of the level'),
    description: text('The description of the level (empty when it has none)'),
    badgeUrl: Nullable(text('The URL of the badge image for the level')),
    points: Type.Number({ description: 'The points threshold required to reach this level' }),
  },
  { description: "Trophy's PointsLevel" },
);

/** A points system as admins see it. */
export const AdminPointsSystemSchema = Type.Object(
  {
    ...headerFields,
    kind: Type.Union([Type.Literal('xp'), Type.Literal('spendable')], { description: 'xp never goes down; spendable can be spent' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')], { description: 'archived: no more points are paid' }),
    levels: Type.Array(LevelViewSchema, { description: 'Its levels, lowest first' }),
  },
  { description: 'A points system with its levels, as admins see it' },
);
export type AdminPointsSystem = Static<typeof AdminPointsSystemSchema>;

const triggerType = Type.Union(
  [Type.Literal('metric'), Type.Literal('achievement'), Type.Literal('streak'), Type.Literal('user_creation')],
  { description: 'What fires it: units of a metric, an achievement, a streak length, or joining' },
);

/** Trophy's PointsTrigger: admins see every trigger, apps a points system's active ones. */
export const PointsTriggerViewSchema = Type.Object(
  {
    id: text('The ID of the trigger'),
    type: triggerType,
    points: Type.Number({ description: 'The points paid each time it fires' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('archived')], {
      description: 'Only active triggers pay',
    }),
    metricId: Type.Optional(text("The metric's ID, for metric triggers")),
    metricKey: Type.Optional(text("The metric's key, for metric triggers")),
    metricName: Type.Optional(text("The metric's name, for metric triggers")),
    metricThreshold: Type.Optional(Type.Number({ description: 'Metric triggers pay once per this much of the metric' })),
    achievementId: Type.Optional(text("The achievement's ID, for achievement triggers")),
    achievementKey: Type.Optional(text("The achievement's key, for achievement triggers")),
    achievementName: Type.Optional(text("The achievement's name, for achievement triggers")),
    streakLengthThreshold: Type.Optional(Type.Integer({ description: 'Streak triggers pay when the primary streak reaches this length' })),
    userAttributes: Type.Array(KeyValueSchema, { description: 'User attribute filters that must be met for it to pay' }),
    eventAttributes: Type.Optional(Type.Array(KeyValueSchema, { description: 'Event attribute filters (metric triggers only)' })),
    eventAttribute: Type.Optional(Type.Object(KeyValueSchema.properties, { description: 'Deprecated: the first of eventAttributes' })),
    created: Type.String({ format: 'date-time', description: 'When the trigger was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it was last updated (ISO 8601)' }),
  },
  { description: "Trophy's PointsTrigger" },
);
export type PointsTriggerView = Static<typeof PointsTriggerViewSchema>;

export const PointsAwardViewSchema = Type.Object(
  {
    id: text('The ID of the award'),
    awarded: Type.Number({ description: 'The points awarded' }),
    date: text('When they were awarded (ISO 8601)'),
    total: Type.Number({ description: "The user's total points after this award" }),
    trigger: Type.Object(
      {
        id: text("The ID of the trigger (an achievement's own reward: the achievement's ID)"),
        ...Type.Pick(PointsTriggerViewSchema, [
          'type',
          'points',
          'achievementId',
          'achievementName',
          'metricId',
          'metricName',
          'metricThreshold',
          'streakLengthThreshold',
        ]).properties,
      },
      { description: 'What paid the points' },
    ),
  },
  { description: "Trophy's PointsAward" },
);

/** Trophy's MetricEventPointsResponse: one points system's change caused by one request. */
export const PointsChangeViewSchema = Type.Object(
  {
    ...headerFields,
    total: Type.Number({ description: "The user's total points after the request" }),
    added: Type.Number({ description: 'The points the request added' }),
    level: Type.Optional(
      Nullable(LevelViewSchema, { description: "The user's new level; present only when the request changed it (null: none)" }),
    ),
    awards: Type.Array(PointsAwardViewSchema, { description: 'The awards that added points' }),
  },
  { description: "Trophy's MetricEventPointsResponse" },
);

export const UserPointsSchema = Type.Object(
  {
    ...headerFields,
    total: Type.Number({ description: "The user's total points" }),
    level: Nullable(LevelViewSchema, { description: "The user's current level, or null if they have reached none" }),
    awards: Type.Array(PointsAwardViewSchema, { description: 'The latest awards, newest first' }),
  },
  { description: "Trophy's GetUserPointsResponse" },
);

export const PointsSystemViewSchema = Type.Object(
  {
    ...headerFields,
    triggers: Type.Array(PointsTriggerViewSchema, { description: 'Its active triggers' }),
    levels: Type.Array(LevelViewSchema, { description: 'Its levels, lowest first' }),
  },
  { description: "Trophy's PointsSystemResponse" },
);

export const PointsRangeSchema = Type.Object(
  {
    from: Type.Integer({ description: 'The start of the points range (inclusive)' }),
    to: Type.Integer({ description: 'The end of the points range (inclusive)' }),
    users: Type.Integer({ description: 'The number of users in this range' }),
  },
  { description: "Trophy's PointsRange" },
);

import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

/** A streak's definition as admins see it. */
export const StreakDefinitionSchema = Type.Object(
  {
    id: Type.String({ description: "Laurel's id of the streak" }),
    key: Type.String({ description: 'Streak key' }),
    name: Type.String({ description: 'Display name' }),
    frequency: Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')], {
      description: "How long a period is, in each user's own calendar",
    }),
    metrics: Type.Array(
      Type.Object(
        {
          metric: Type.String({ description: 'Metric key' }),
          min: Nullable(Type.Number({ description: "The period's sum must reach this (null: any event)" })),
        },
        { description: 'A metric that counts' },
      ),
      { description: 'The metrics that count' },
    ),
    mode: Type.Union([Type.Literal('all'), Type.Literal('any')], { description: 'Every metric must pass, or any one' }),
    primary: Type.Boolean({ description: "The streak Trophy's API reports" }),
    freezes: Nullable(
      Type.Object(
        {
          initial: Type.Integer({ description: 'Freezes given when a user starts their first streak' }),
          autoEarnEveryDays: Type.Integer({ description: 'One more every N days (0: never)' }),
          max: Type.Integer({ description: 'Most a user can hold' }),
        },
        { description: 'Freezes, each keeping a streak through one missed period (null: none)' },
      ),
    ),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')], { description: 'archived: no longer counted' }),
    created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it last changed (ISO 8601)' }),
  },
  { description: 'A streak definition' },
);
export type StreakDefinitionView = Static<typeof StreakDefinitionSchema>;

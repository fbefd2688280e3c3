/** Streaks as apps see them: Trophy's streak responses. */
import Type from 'typebox';
import { Nullable } from './common.js';

const day = (description: string) => Nullable(Type.String({ description: `${description} (YYYY-MM-DD)` }));

export const StreakFrequencySchema = Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')], {
  description: 'How often the streak must be extended',
});

const streakFields = {
  key: Type.Optional(Type.String({ description: "The streak's key (absent when the community has no streak)" })),
  name: Type.Optional(Type.String({ description: "The streak's name (absent when the community has no streak)" })),
  length: Type.Integer({ description: "The length of the user's current streak" }),
  frequency: StreakFrequencySchema,
  started: day('The date the streak started'),
  periodStart: day('The start date of the current streak period'),
  periodEnd: day('The end date of the current streak period'),
  expires: day('The date the streak will expire if the user does not extend it'),
  freezes: Type.Optional(Type.Integer({ description: 'Streak freezes the user holds (only when the streak has freezes)' })),
  maxFreezes: Type.Optional(Type.Integer({ description: 'The most freezes a user can hold (only when the streak has freezes)' })),
  freezeAutoEarnInterval: Type.Optional(Type.Integer({ description: 'A freeze is earned every this many days (0: never)' })),
  freezeAutoEarnAmount: Type.Optional(Type.Integer({ description: 'Freezes earned per interval' })),
};

export const StreakViewSchema = Type.Object(streakFields, { description: "Trophy's BaseStreakResponse" });

/** Trophy's MetricEventStreakResponse: the primary streak after an event. */
export const EventStreakSchema = Type.Object(
  { ...streakFields, extended: Type.Boolean({ description: "Whether this event increased the user's streak length" }) },
  { description: "Trophy's MetricEventStreakResponse" },
);

export const StreakPeriodSchema = Type.Object(
  {
    periodStart: Type.String({ description: 'The date this period started (YYYY-MM-DD)' }),
    periodEnd: Type.String({ description: 'The date this period ended (YYYY-MM-DD)' }),
    length: Type.Integer({ description: 'The length of the streak during this period' }),
    usedFreeze: Type.Boolean({ description: 'Whether a freeze kept the streak alive in this period' }),
    usedPause: Type.Boolean({ description: 'Whether the streak was paused (Laurel has no pauses: always false)' }),
  },
  { description: 'One period of a streak' },
);

export const UserStreakSchema = Type.Object(
  {
    ...streakFields,
    extended: Nullable(Type.String({ description: 'When the streak was last extended (ISO 8601); null if it is not active' })),
    streakHistory: Type.Array(StreakPeriodSchema, { description: 'The past periods up to the current one, oldest first' }),
    pauses: Type.Array(
      Type.Object({
        id: Type.String({ description: 'The ID of the pause' }),
        start: Type.String({ description: 'The first date the pause covers' }),
        end: Type.String({ description: 'The last date the pause covers' }),
      }),
      { description: 'Streak pauses (Laurel has none: always empty)' },
    ),
  },
  { description: "Trophy's StreakResponse" },
);

export const UserStreakLengthSchema = Type.Object(
  {
    userId: Type.String({ description: 'The ID of the user' }),
    streakLength: Type.Integer({ description: 'The length of their primary streak' }),
    extended: Nullable(Type.String({ description: 'When it was last extended (ISO 8601); null if never' })),
  },
  { description: "One entry of Trophy's BulkStreakResponse" },
);

export const StreakRankingSchema = Type.Object({
  userId: Type.String({ description: 'The ID of the user' }),
  name: Nullable(Type.String({ description: "The user's name" })),
  streakLength: Type.Integer({ description: 'The length of their primary streak' }),
});

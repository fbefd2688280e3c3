/** A user's year in review: Trophy's WrappedResponse. */
import Type from 'typebox';
import { EarnedAchievementSchema } from './achievement-view.js';
import { Nullable } from './common.js';
import { StreakFrequencySchema } from './streak-view.js';
import { UserViewSchema } from './user-view.js';

const change = {
  currentTotal: Type.Number({ description: 'The total at the end of the period' }),
  changeThisPeriod: Type.Number({ description: 'The change during the period' }),
  percentChange: Type.Number({ description: 'The change, in percent of the total before the period' }),
};

const WrappedMetricSchema = Type.Object(
  {
    name: Type.String({ description: 'The name of the metric' }),
    units: Nullable(Type.String({ description: 'The units of the metric' })),
    ...change,
    byAttribute: Type.Record(Type.String(), Type.Unknown(), { description: 'By attribute key and value (Laurel: always empty)' }),
  },
  { description: "Trophy's WrappedMetric" },
);

const WrappedPointsSchema = Type.Object(
  {
    name: Type.String({ description: 'The name of the points system' }),
    description: Nullable(Type.String({ description: 'The description of the points system' })),
    ...change,
  },
  { description: "Trophy's WrappedPoints" },
);

const periodFields = {
  metrics: Type.Record(Type.String(), WrappedMetricSchema, { description: 'The metrics during the period, by metric key' }),
  points: Type.Record(Type.String(), WrappedPointsSchema, { description: 'The points during the period, by points system key' }),
  achievements: Type.Array(EarnedAchievementSchema, { description: 'Achievements completed during the period' }),
  leaderboards: Type.Record(Type.String(), Type.Unknown(), { description: 'Best leaderboard rankings by key (Laurel: always empty)' }),
};

const WrappedStreakSchema = Type.Object(
  {
    length: Type.Integer({ description: 'The longest length the primary streak reached in the year' }),
    frequency: StreakFrequencySchema,
    periodStart: Nullable(Type.String({ description: 'The start of the period it reached it (YYYY-MM-DD)' })),
    periodEnd: Nullable(Type.String({ description: 'The end of that period (YYYY-MM-DD)' })),
    started: Nullable(Type.String({ description: 'The date that streak started (YYYY-MM-DD)' })),
  },
  { description: "Trophy's WrappedStreak" },
);

export const WrappedSchema = Type.Object(
  {
    user: UserViewSchema,
    activity: Type.Object(
      {
        daysActive: Type.Integer({ description: 'Days with at least one event' }),
        weeksActive: Type.Integer({ description: 'Weeks with at least one event' }),
        monthsActive: Type.Integer({ description: 'Months with at least one event' }),
        mostActiveDay: Type.Object(
          { date: Type.String({ description: 'The day with the most events (YYYY-MM-DD)' }), ...periodFields },
          { description: "Trophy's WrappedMostActiveDay" },
        ),
        mostActiveWeek: Type.Object(
          {
            start: Type.String({ description: 'The first day of the busiest week in the year (YYYY-MM-DD)' }),
            end: Type.String({ description: 'Its last day in the year (YYYY-MM-DD)' }),
            ...periodFields,
          },
          { description: "Trophy's WrappedMostActiveWeek" },
        ),
        mostActiveMonth: Type.Object(
          { month: Type.Integer({ description: 'The busiest month, 1 (January) to 12' }), ...periodFields },
          { description: "Trophy's WrappedMostActiveMonth" },
        ),
        entireYear: Type.Object({ ...periodFields, longestStreak: WrappedStreakSchema }, { description: "Trophy's WrappedEntireYear" }),
      },
      { description: "Trophy's WrappedActivity" },
    ),
  },
  { description: "Trophy's WrappedResponse" },
);

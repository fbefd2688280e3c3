/** Leaderboards as apps see them (Trophy's LeaderboardResponse family), and as admins see them. */
import Type, { type Static } from 'typebox';
import { KeyValueSchema } from './achievement-view.js';
import { Nullable } from './common.js';

const text = (description: string) => Type.String({ description });
const rank = (description: string) => Nullable(Type.Integer({ description }));
const value = (description: string) => Nullable(Type.Number({ description }));

const leaderboardFields = {
  id: text('The unique ID of the leaderboard'),
  key: text('The unique key used to reference the leaderboard in APIs'),
  name: text('The user-facing name of the leaderboard'),
  description: Nullable(text('The user-facing description of the leaderboard')),
  rankBy: Type.Union([Type.Literal('metric'), Type.Literal('points'), Type.Literal('streak')], {
    description: 'What the leaderboard ranks by',
  }),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('active'), Type.Literal('finished')], {
    description: 'scheduled: not started yet; finished: past its end date',
  }),
  runUnit: Nullable(Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('year')]), {
    description: 'The repetition unit of a recurring leaderboard; null for one-time leaderboards',
  }),
  runInterval: Nullable(Type.Integer({ description: 'Units between runs; null for one-time leaderboards' })),
  maxParticipants: Type.Integer({ description: 'The maximum number of participants' }),
  breakdownAttribute: Nullable(text('The user attribute rankings are kept per value of')),
  metricKey: Type.Optional(text('The key of the metric ranked by, if rankBy is metric')),
  metricName: Type.Optional(text('The name of that metric')),
  pointsSystemKey: Type.Optional(text('The key of the points system ranked by, if rankBy is points')),
  pointsSystemName: Type.Optional(text('The name of that points system')),
  start: Type.String({ format: 'date', description: 'The start date of the run (YYYY-MM-DD)' }),
  end: Nullable(Type.String({ format: 'date', description: 'The end date of the run (YYYY-MM-DD), or null if it never ends' })),
};

export const LeaderboardViewSchema = Type.Object(leaderboardFields, { description: "Trophy's LeaderboardResponse, for one run" });

/** A leaderboard's definition as admins see it: Trophy's LeaderboardResponse over all its runs, and its admin state. */
export const AdminLeaderboardSchema = Type.Object(
  {
    ...leaderboardFields,
    start: Type.String({ format: 'date', description: 'The first day of its first run (YYYY-MM-DD)' }),
    end: Nullable(Type.String({ format: 'date', description: 'The last day of its last run (YYYY-MM-DD), or null for none' })),
    state: Type.Union([Type.Literal('inactive'), Type.Literal('active'), Type.Literal('archived')], {
      description: 'What the admin set: only active leaderboards rank',
    }),
    streakKey: Nullable(text('The key of the streak ranked by, if rankBy is streak')),
    created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it last changed (ISO 8601)' }),
  },
  { description: 'A leaderboard, as admins see it' },
);
export type AdminLeaderboard = Static<typeof AdminLeaderboardSchema>;

export const LeaderboardRankingsSchema = Type.Object(
  {
    ...leaderboardFields,
    rankings: Type.Array(
      Type.Object({
        userId: text('The ID of the user'),
        userName: Nullable(text('The name of the user')),
        rank: Type.Integer({ description: "The user's rank" }),
        value: Type.Number({ description: "The user's value (points, metric total or streak length)" }),
      }),
      { description: 'The rankings asked for, best first' },
    ),
  },
  { description: "Trophy's LeaderboardResponseWithRankings" },
);

export const UserLeaderboardSchema = Type.Object(
  {
    ...leaderboardFields,
    rank: rank("The user's current rank; null if they are not on the leaderboard"),
    value: value("The user's current value; null if they are not on the leaderboard"),
    history: Type.Array(
      Type.Object({
        date: text('The day (YYYY-MM-DD)'),
        timestamp: text('Deprecated: the start of that day (ISO 8601)'),
        previousRank: rank('The rank before that day'),
        rank: rank('The rank after that day'),
        previousValue: value('The value before that day'),
        value: value('The value after that day'),
      }),
      { description: "The user's daily changes, newest first" },
    ),
  },
  { description: "Trophy's UserLeaderboardResponseWithHistory" },
);

/** Trophy's MetricEventLeaderboardResponse: where an event left the user on one leaderboard. */
export const EventLeaderboardSchema = Type.Object(
  {
    ...leaderboardFields,
    rank: rank("The user's rank after the event; null if they are not on the leaderboard"),
    previousRank: rank("The user's rank before the event; null if they were not on it"),
    threshold: Type.Number({ description: 'The lowest value on the leaderboard now: what it takes to enter' }),
    breakdownAttributeValue: Type.Optional(text("Deprecated: the user's value of the breakdown attribute")),
    breakdownAttributeValues: Type.Optional(Type.Array(KeyValueSchema, { description: "The user's values of the breakdown attributes" })),
  },
  { description: "Trophy's MetricEventLeaderboardResponse" },
);

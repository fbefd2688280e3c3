import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

/** A leaderboard's definition as admins see it: Trophy's LeaderboardResponse for its first run, and its admin state. */
export const AdminLeaderboardSchema = Type.Object(
  {
    id: Type.String({ description: "Laurel's id of the leaderboard" }),
    key: Type.String({ description: 'Leaderboard key' }),
    name: Type.String({ description: 'Display name' }),
    description: Nullable(Type.String({ description: 'What it ranks, in words' })),
    rankBy: Type.Union([Type.Literal('metric'), Type.Literal('points'), Type.Literal('streak')], {
      description: 'What users are ranked by',
    }),
    status: Type.Union([Type.Literal('scheduled'), Type.Literal('active'), Type.Literal('finished')], {
      description: 'Where today falls: before its start, within it, after its end',
    }),
    runUnit: Nullable(
      Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('year')], { description: 'Runs repeat by this unit' }),
    ),
    runInterval: Nullable(Type.Integer({ description: 'Runs repeat every this many runUnits' })),
    maxParticipants: Type.Integer({ description: 'How many users are ranked' }),
    breakdownAttribute: Nullable(Type.String({ description: 'Ranked separately per value of this user attribute' })),
    metricKey: Type.Optional(Type.String({ description: 'rankBy metric: the metric key' })),
    metricName: Type.Optional(Type.String({ description: "rankBy metric: the metric's name" })),
    pointsSystemKey: Type.Optional(Type.String({ description: 'rankBy points: the points system key' })),
    pointsSystemName: Type.Optional(Type.String({ description: "rankBy points: the points system's name" })),
    start: Type.String({ format: 'date', description: 'First day (YYYY-MM-DD)' }),
    end: Nullable(Type.String({ format: 'date', description: 'Last day (YYYY-MM-DD), or null for none' })),
    state: Type.Union([Type.Literal('inactive'), Type.Literal('active'), Type.Literal('archived')], {
      description: 'What the admin set: only active leaderboards rank',
    }),
    streakKey: Nullable(Type.String({ description: 'rankBy streak: the streak key' })),
    created: Type.String({ format: 'date-time', description: 'When it was created (ISO 8601)' }),
    updated: Type.String({ format: 'date-time', description: 'When it last changed (ISO 8601)' }),
  },
  { description: 'A leaderboard' },
);
export type AdminLeaderboard = Static<typeof AdminLeaderboardSchema>;

import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

export const PointsLevelSchema = Type.Object(
  {
    id: Type.String({ description: "Laurel's id of the level (kept across edits while its key stays)" }),
    key: Type.String({ description: 'Level key' }),
    name: Type.String({ description: 'Display name' }),
    description: Type.String({ description: 'Description ("" when none)' }),
    badgeUrl: Nullable(Type.String({ description: "URL of the level's badge" })),
    points: Type.Number({ description: 'Points needed to reach the level' }),
  },
  { description: 'A level of a points system' },
);

/** A points system as admins see it. */
export const PointsSystemSchema = Type.Object(
  {
    id: Type.String({ description: "Laurel's id of the points system" }),
    key: Type.String({ description: 'Points system key' }),
    name: Type.String({ description: 'Display name' }),
    description: Nullable(Type.String({ description: 'What the points are for' })),
    badgeUrl: Nullable(Type.String({ description: "URL of the system's badge" })),
    maxPoints: Nullable(Type.Number({ description: 'The most points a user can hold (null: no cap)' })),
    kind: Type.Union([Type.Literal('xp'), Type.Literal('spendable')], { description: 'xp never goes down; spendable can be spent' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')], { description: 'archived: no more points are paid' }),
    levels: Type.Array(PointsLevelSchema, { description: 'Levels, ascending by points' }),
  },
  { description: 'A points system with its levels' },
);
export type PointsSystemView = Static<typeof PointsSystemSchema>;

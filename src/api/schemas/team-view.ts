/** Teams and membership periods as the admin API answers them. */
import Type, { type Static } from 'typebox';
import { Nullable } from './common.js';

export const TeamViewSchema = Type.Object(
  {
    key: Type.String({ description: 'The team key' }),
    name: Type.String({ description: 'Display name' }),
    parent: Nullable(Type.String({ description: 'Key of the parent team; null for a root team' })),
    path: Type.Array(Type.String(), { description: 'Keys from the root team down to this one' }),
    memberCount: Type.Integer({ description: 'How many users are in the team now' }),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')], {
      description: 'active, or archived (history kept, no new members)',
    }),
    created: Type.String({ description: 'When the team was created (ISO 8601)' }),
    updated: Type.String({ description: 'When the team was last changed (ISO 8601)' }),
  },
  { description: 'A team of the community' },
);
export type TeamView = Static<typeof TeamViewSchema>;

export const MembershipPeriodSchema = Type.Object(
  {
    team: Type.String({ description: 'The team key' }),
    from: Type.String({ description: 'When the user joined (ISO 8601, inclusive)' }),
    until: Nullable(Type.String({ description: 'When the user left (ISO 8601, exclusive); null: still a member' })),
  },
  { description: 'One period of membership of a team' },
);

export const UserTeamsSchema = Type.Object(
  {
    id: Type.String({ description: 'The user id' }),
    teams: Type.Array(Type.String(), { description: 'Keys of the teams the user is in now' }),
    periods: Type.Optional(
      Type.Array(MembershipPeriodSchema, { description: 'With history=true (and after a change): every period, oldest first' }),
    ),
  },
  { description: "A user's teams" },
);
export type UserTeamsView = Static<typeof UserTeamsSchema>;

/** What admins send about teams and users' membership of them. */
import Type from 'typebox';
import { MAX_TEAMS_PER_USER } from '../../domain/team.js';
import { Key, Nullable } from './common.js';

const strict = { additionalProperties: false } as const;

const name = Type.String({ minLength: 1, maxLength: 200, description: 'Display name, e.g. "Sales North"' });
const parent = Nullable(
  Type.String({ minLength: 1, description: 'Key of the parent team (company → region → team); null or absent: a root team' }),
);

export const CreateTeamBody = Type.Object(
  { key: Key('Team key, stable for life'), name, parent: Type.Optional(parent) },
  { ...strict, description: 'A new team' },
);

export const UpdateTeamBody = Type.Object(
  {
    name: Type.Optional(name),
    parent: Type.Optional(parent),
    status: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('archived')], {
        description: 'archived: keeps its history, ends its current memberships and takes no new members',
      }),
    ),
  },
  { ...strict, description: 'Changes to a team; absent fields stay as they are' },
);

/** A user's teams as sent: team keys, replacing the user's current set. */
export const TeamKeys = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: MAX_TEAMS_PER_USER,
  description: `Keys of the teams the user is in (Laurel's addition). Replaces the current set from the change's time on; [] leaves every team; absent changes nothing (up to ${MAX_TEAMS_PER_USER})`,
});

export const SetUserTeamsBody = Type.Object(
  {
    teams: TeamKeys,
    at: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'From when the set holds (ISO 8601, not in the future; default now). Earlier: what was recorded from then on is replaced',
      }),
    ),
  },
  { ...strict, description: 'A user’s teams from a time on' },
);

export const UserTeamsQuery = Type.Object({
  history: Type.Optional(Type.Boolean({ description: 'true: every period of membership, ended ones included' })),
});

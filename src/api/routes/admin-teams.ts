import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { createTeam, getTeam, getUserTeams, listTeams, setUserTeams, updateTeam } from '../../engine/manage-teams.js';
import { ErrorBody, IdParams, KeyParams } from '../schemas/common.js';
import { TeamViewSchema as Team, UserTeamsSchema } from '../schemas/team-view.js';
import { CreateTeamBody, SetUserTeamsBody, UpdateTeamBody, UserTeamsQuery } from '../schemas/teams.js';

export const adminTeamRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const tags = ['Admin: teams'];

  app.post(
    '/teams',
    {
      schema: {
        tags,
        summary: 'Create a team',
        description:
          'A parent that does not exist, is archived, or would make the tree deeper than 8 levels is refused (422, field "parent").',
        body: CreateTeamBody,
        response: { 201: Team, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createTeam(ctx, request.principal, request.body)),
  );

  app.get(
    '/teams',
    {
      schema: { tags, summary: 'List teams, with their path from the root and current member count', response: { 200: Type.Array(Team) } },
    },
    async (request) => listTeams(ctx, request.principal),
  );

  app.get(
    '/teams/:key',
    { schema: { tags, summary: 'One team', params: KeyParams, response: { 200: Team, 404: ErrorBody } } },
    async (request) => getTeam(ctx, request.principal, request.params.key),
  );

  app.patch(
    '/teams/:key',
    {
      schema: {
        tags,
        summary: 'Edit a team (name, parent, status)',
        description: 'A parent that would make a cycle is refused (422, field "parent").',
        params: KeyParams,
        body: UpdateTeamBody,
        response: { 200: Team, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateTeam(ctx, request.principal, request.params.key, request.body),
  );

  app.delete(
    '/teams/:key',
    {
      schema: {
        tags,
        summary: 'Delete a team (it is archived: history stays, current memberships end now, no new members)',
        description: 'Refused (409) while the team has active sub-teams.',
        params: KeyParams,
        response: { 200: Team, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => updateTeam(ctx, request.principal, request.params.key, { status: 'archived' }),
  );

  app.get(
    '/users/:id/teams',
    {
      schema: {
        tags,
        summary: "A user's teams (with history=true, every period of membership)",
        params: IdParams,
        querystring: UserTeamsQuery,
        response: { 200: UserTeamsSchema, 404: ErrorBody },
      },
    },
    async (request) => getUserTeams(ctx, request.principal, request.params.id, request.query.history ?? false),
  );

  app.put(
    '/users/:id/teams',
    {
      schema: {
        tags,
        summary: "Set a user's teams from a time on (a back-dated correction)",
        description:
          'From `at` (default now; never in the future) the user is in exactly these teams: periods before stay, what was recorded from `at` on is replaced.',
        params: IdParams,
        body: SetUserTeamsBody,
        response: { 200: UserTeamsSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => setUserTeams(ctx, request.principal, request.params.id, request.body),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { createLeaderboard, getLeaderboard, listLeaderboards, updateLeaderboard } from '../../engine/manage-leaderboards.js';
import { ErrorBody, Int, Key, KeyParams, Nullable } from '../schemas/common.js';
import { AdminLeaderboardSchema as Board } from '../schemas/leaderboard-view.js';

const fields = {
  key: Key('Leaderboard key'),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  status: Type.Optional(Type.Union([Type.Literal('inactive'), Type.Literal('active'), Type.Literal('archived')])),
  rankBy: Type.Union([Type.Literal('metric'), Type.Literal('points'), Type.Literal('streak')]),
  metric: Type.Optional(Key('Metric key (rankBy metric)')),
  pointsSystem: Type.Optional(Key('Points system key (rankBy points)')),
  streak: Type.Optional(Key('Streak key (rankBy streak; default the primary streak)')),
  maxParticipants: Type.Optional(Int('1 to 1000 (default 1000)')),
  breakdownAttribute: Type.Optional(Nullable(Type.String({ description: 'Rank separately per value of this user attribute' }))),
  start: Type.Optional(Type.String({ description: 'YYYY-MM-DD (default today)' })),
  end: Type.Optional(Nullable(Type.String({ description: 'YYYY-MM-DD, or null for none' }))),
  runUnit: Type.Optional(Nullable(Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('year')]))),
  runInterval: Type.Optional(Nullable(Int('Runs repeat every this many runUnits'))),
};

export const adminLeaderboardRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const tags = ['Admin: leaderboards'];

  app.post(
    '/leaderboards',
    {
      schema: {
        tags,
        summary: 'Create a leaderboard (activating it fills the current run from history)',
        body: Type.Object(fields, { additionalProperties: false }),
        response: { 201: Board, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createLeaderboard(ctx, request.principal, request.body)),
  );

  app.get('/leaderboards', { schema: { tags, summary: 'List leaderboards', response: { 200: Type.Array(Board) } } }, async (request) =>
    listLeaderboards(ctx, request.principal),
  );

  app.get(
    '/leaderboards/:key',
    { schema: { tags, summary: 'One leaderboard', params: KeyParams, response: { 200: Board, 404: ErrorBody } } },
    async (request) => getLeaderboard(ctx, request.principal, request.params.key),
  );

  app.patch(
    '/leaderboards/:key',
    {
      schema: {
        tags,
        summary: 'Edit a leaderboard (name, description, status, size, end)',
        params: KeyParams,
        body: Type.Object(
          { ...fields, key: Type.Optional(fields.key), name: Type.Optional(fields.name), rankBy: Type.Optional(fields.rankBy) },
          { additionalProperties: false },
        ),
        response: { 200: Board, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateLeaderboard(ctx, request.principal, request.params.key, request.body),
  );
};

/** Community-wide reads of the application API: streaks, points systems, leaderboards. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { leaderboardRankings, listPublicLeaderboards } from '../../engine/read-leaderboards.js';
import { pointsSummary, publicPointsSystem } from '../../engine/read-points-system.js';
import { streakRankings, streaksOf } from '../../engine/user-streaks.js';
import { parseAttributes } from '../attributes-query.js';
import { localeOf } from '../locale.js';
import { ErrorBody, Int, KeyParams } from '../schemas/common.js';
import { LeaderboardRankingsSchema, LeaderboardViewSchema } from '../schemas/leaderboard-view.js';
import { PointsRangeSchema, PointsSystemViewSchema } from '../schemas/points-view.js';
import { StreakRankingSchema, UserStreakLengthSchema } from '../schemas/streak-view.js';
import { MEMBER_ROUTE, MEMBER_SECURITY } from '../widget-access.js';

export const communityRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/streaks',
    {
      schema: {
        tags: ['Streaks'],
        summary: 'The primary streak of up to 100 users, longest first',
        querystring: Type.Object({
          userIds: Type.Optional(Type.Array(Type.String(), { description: 'Repeat the parameter or separate ids with commas' })),
        }),
        response: { 200: Type.Array(UserStreakLengthSchema), 422: ErrorBody },
      },
    },
    async (request) => streaksOf(ctx, request.principal, (request.query.userIds ?? []).flatMap((ids) => ids.split(',')).filter(Boolean)),
  );

  app.get(
    '/streaks/rankings',
    {
      schema: {
        tags: ['Streaks'],
        summary: 'The longest streaks: running now (active) or ever (longest)',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
          type: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('longest')], { default: 'active' })),
        }),
        response: { 200: Type.Array(StreakRankingSchema) },
      },
    },
    async (request) => streakRankings(ctx, request.principal, { limit: request.query.limit ?? 10, type: request.query.type ?? 'active' }),
  );

  app.get(
    '/points/:key',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Points'],
        summary: 'A points system with its active triggers and levels',
        params: KeyParams,
        response: { 200: PointsSystemViewSchema, 404: ErrorBody },
      },
    },
    async (request) => publicPointsSystem(ctx, request.principal, request.params.key, localeOf(request)),
  );

  app.get(
    '/points/:key/summary',
    {
      schema: {
        tags: ['Points'],
        summary: 'How many users hold how many points, in ten ranges',
        params: KeyParams,
        querystring: Type.Object({ userAttributes: Type.Optional(Type.String({ description: 'attribute:value,attribute:value' })) }),
        response: { 200: Type.Array(PointsRangeSchema), 404: ErrorBody },
      },
    },
    async (request) => pointsSummary(ctx, request.principal, request.params.key, parseAttributes(request.query.userAttributes)),
  );

  app.get(
    '/leaderboards',
    {
      schema: {
        tags: ['Leaderboards'],
        summary: 'Active and scheduled leaderboards (finished ones too with includeFinished)',
        querystring: Type.Object({ includeFinished: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Type.Array(LeaderboardViewSchema) },
      },
    },
    async (request) => listPublicLeaderboards(ctx, request.principal, request.query.includeFinished ?? false),
  );

  app.get(
    '/leaderboards/:key',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Leaderboards'],
        summary: "A leaderboard run's rankings",
        params: KeyParams,
        querystring: Type.Object({
          offset: Type.Optional(Int('Rankings to skip', { minimum: 0, default: 0 })),
          limit: Type.Optional(Int('Rankings to return', { minimum: 0, default: 10 })),
          run: Type.Optional(Type.String({ description: 'A date in the run (YYYY-MM-DD); default: the current run' })),
          userId: Type.Optional(Type.String({ description: 'Makes offset relative to this user' })),
          userAttributes: Type.Optional(Type.String({ description: 'attribute:value, for leaderboards broken down by an attribute' })),
        }),
        response: { 200: LeaderboardRankingsSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) =>
      leaderboardRankings(ctx, request.principal, request.params.key, {
        offset: request.query.offset ?? 0,
        limit: request.query.limit ?? 10,
        run: request.query.run,
        userId: request.query.userId,
        userAttributes: parseAttributes(request.query.userAttributes),
      }),
  );
};

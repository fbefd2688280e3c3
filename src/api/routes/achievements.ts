import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { completeAchievement } from '../../engine/complete-achievement.js';
import type { EngineContext } from '../../engine/context.js';
import { listCommunityAchievements } from '../../engine/read-achievements.js';
import { parseAttributes } from '../attributes-query.js';
import { localeOf } from '../locale.js';
import { AchievementWithStatsSchema } from '../schemas/achievement-view.js';
import { CommunityAchievementsQuery, CompleteBody } from '../schemas/achievements.js';
import { ErrorBody, KeyParams } from '../schemas/common.js';
import { CompletionResponseSchema } from '../schemas/completion-response.js';
import { MEMBER_ROUTE, MEMBER_SECURITY } from '../widget-access.js';

export const achievementRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/achievements',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Achievements'],
        summary: 'All active achievements with completions and rarity',
        querystring: CommunityAchievementsQuery,
        response: { 200: Type.Array(AchievementWithStatsSchema) },
      },
    },
    async (request) => listCommunityAchievements(ctx, request.principal, localeOf(request), parseAttributes(request.query.userAttributes)),
  );

  app.post(
    '/achievements/:key/complete',
    {
      schema: {
        tags: ['Achievements'],
        summary: 'Complete an API achievement for a user',
        description: 'Answers 201 with the new completion, or 200 with the original one if the user already holds it.',
        params: KeyParams,
        body: CompleteBody,
        response: {
          200: CompletionResponseSchema,
          201: CompletionResponseSchema,
          404: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await completeAchievement(ctx, request.principal, request.params.key, request.body.user, localeOf(request));
      return reply.status(result.alreadyCompleted ? 200 : 201).send(result);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { createStreak, getStreak, listStreaks, updateStreak } from '../../engine/manage-streaks.js';
import { grantFreezes, restoreStreaks } from '../../engine/user-streaks.js';
import { CreateStreakBody, UpdateStreakBody } from '../schemas/admin.js';
import { ErrorBody, KeyParams, UserId } from '../schemas/common.js';
import { FreezeGrantSchema, StreakRestoreSchema } from '../schemas/streak-correction.js';
import { StreakDefinitionSchema as Streak } from '../schemas/streak-definition.js';

export const adminStreakRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const tags = ['Admin: streaks'];

  app.post(
    '/streaks',
    {
      schema: {
        tags,
        summary: 'Define a streak',
        description:
          "Which metrics count (and the minimum per period), daily, weekly or monthly, in each user's own calendar; with optional freezes.",
        body: CreateStreakBody,
        response: { 201: Streak, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createStreak(ctx, request.principal, request.body)),
  );

  app.get('/streaks', { schema: { tags, summary: 'List streaks', response: { 200: Type.Array(Streak) } } }, async (request) =>
    listStreaks(ctx, request.principal),
  );

  app.get(
    '/streaks/:key',
    { schema: { tags, summary: 'One streak', params: KeyParams, response: { 200: Streak, 404: ErrorBody } } },
    async (request) => getStreak(ctx, request.principal, request.params.key),
  );

  app.patch(
    '/streaks/:key',
    {
      schema: {
        tags,
        summary: 'Edit a streak (its frequency is fixed once created)',
        params: KeyParams,
        body: UpdateStreakBody,
        response: { 200: Streak, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateStreak(ctx, request.principal, request.params.key, request.body),
  );

  app.post(
    '/streaks/freezes',
    {
      schema: {
        tags,
        summary: 'Give users one more freeze on the primary streak',
        body: Type.Object({ freezes: Type.Array(Type.Object({ userId: UserId() }), { minItems: 1, maxItems: 1000 }) }),
        response: { 200: FreezeGrantSchema, 422: ErrorBody },
      },
    },
    async (request) =>
      grantFreezes(
        ctx,
        request.principal,
        request.body.freezes.map((f) => f.userId),
      ),
  );

  app.post(
    '/streaks/restore',
    {
      schema: {
        tags,
        summary: 'Restore lost primary streaks at the length they had',
        body: Type.Object({ users: Type.Array(Type.Object({ id: UserId() }), { minItems: 1, maxItems: 1000 }) }),
        response: { 200: StreakRestoreSchema, 422: ErrorBody },
      },
    },
    async (request) =>
      restoreStreaks(
        ctx,
        request.principal,
        request.body.users.map((u) => u.id),
      ),
  );
};

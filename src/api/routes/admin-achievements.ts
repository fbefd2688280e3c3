import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { LaurelError } from '../../domain/errors.js';
import type { EngineContext } from '../../engine/context.js';
import { createAchievement, getAchievement, listAchievements, updateAchievement } from '../../engine/manage-achievements.js';
import { localeOf } from '../locale.js';
import { AchievementListQuery, CreateAchievementBody, UpdateAchievementBody } from '../schemas/achievements.js';
import { AchievementChangeSchema, AdminAchievementViewSchema } from '../schemas/admin-achievement-view.js';
import { ErrorBody, KeyParams } from '../schemas/common.js';

export const adminAchievementRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/achievements',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'Create an achievement (draft unless status is "active")',
        description: 'A name another achievement already has is saved, with a duplicate_name warning.',
        body: CreateAchievementBody,
        response: { 201: AchievementChangeSchema, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createAchievement(ctx, request.principal, request.body, localeOf(request))),
  );

  app.get(
    '/achievements',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'List achievements of every status, filtered, searched and sorted',
        querystring: AchievementListQuery,
        response: { 200: Type.Array(AdminAchievementViewSchema), 422: ErrorBody },
      },
    },
    async (request) => listAchievements(ctx, request.principal, request.query, localeOf(request)),
  );

  app.get(
    '/achievements/:key',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'One achievement',
        params: KeyParams,
        response: { 200: AdminAchievementViewSchema, 404: ErrorBody },
      },
    },
    async (request) => getAchievement(ctx, request.principal, request.params.key, localeOf(request)),
  );

  app.patch(
    '/achievements/:key',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'Edit an achievement or change its status',
        description:
          'Status follows draft → active ⇄ locked → archived (a draft may be archived). Activating a backfill achievement, ' +
          'or editing the rules of an active one, grants it silently to every user who already qualifies.',
        params: KeyParams,
        body: UpdateAchievementBody,
        response: { 200: AchievementChangeSchema, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateAchievement(ctx, request.principal, request.params.key, request.body, localeOf(request)),
  );

  app.delete(
    '/achievements/:key',
    {
      schema: {
        tags: ['Admin: achievements'],
        summary: 'Refused: achievements are archived, never deleted',
        params: KeyParams,
        response: { 405: ErrorBody },
      },
    },
    async (_request, reply) => {
      void reply.header('allow', 'GET, PATCH');
      throw new LaurelError(
        'not_allowed',
        'delete_refused',
        'Achievements are never deleted: archive it with PATCH {"status": "archived"}',
      );
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import {
  createPointsSystem,
  getPointsSystem,
  listPointsSystems,
  updatePointsSystem,
} from '../../engine/manage-points-systems.js';
import { CreatePointsSystemBody, UpdatePointsSystemBody } from '../schemas/admin.js';
import { ErrorBody, KeyParams, Loose } from '../schemas/common.js';

export const adminPointsSystemRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const System = Loose('Points system with levels');
  const tags = ['Admin: points systems'];

  app.post(
    '/points-systems',
    {
      schema: { tags, summary: 'Create a points system', body: CreatePointsSystemBody, response: { 201: System, 409: ErrorBody, 422: ErrorBody } },
    },
    async (request, reply) => reply.status(201).send(await createPointsSystem(ctx, request.principal, request.body)),
  );

  app.get('/points-systems', { schema: { tags, summary: 'List points systems', response: { 200: Type.Array(System) } } }, async (request) =>
    listPointsSystems(ctx, request.principal),
  );

  app.get(
    '/points-systems/:key',
    { schema: { tags, summary: 'One points system', params: KeyParams, response: { 200: System, 404: ErrorBody } } },
    async (request) => getPointsSystem(ctx, request.principal, request.params.key),
  );

  app.patch(
    '/points-systems/:key',
    {
      schema: {
        tags,
        summary: 'Edit a points system (levels are replaced when given)',
        params: KeyParams,
        body: UpdatePointsSystemBody,
        response: { 200: System, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updatePointsSystem(ctx, request.principal, request.params.key, request.body),
  );
};

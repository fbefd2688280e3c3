import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { createPointsSystem, getPointsSystem, listPointsSystems, updatePointsSystem } from '../../engine/manage-points-systems.js';
import { createTrigger, listTriggers, updateTrigger } from '../../engine/manage-points-triggers.js';
import { localeOf } from '../locale.js';
import { CreatePointsSystemBody, UpdatePointsSystemBody } from '../schemas/admin.js';
import { Attributes, ErrorBody, Int, Key, KeyParams, Value } from '../schemas/common.js';
import { AdminPointsSystemSchema as System, PointsTriggerViewSchema as Trigger } from '../schemas/points-view.js';

export const adminPointsSystemRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  const tags = ['Admin: points systems'];

  app.post(
    '/points-systems',
    {
      schema: {
        tags,
        summary: 'Create a points system',
        body: CreatePointsSystemBody,
        response: { 201: System, 409: ErrorBody, 422: ErrorBody },
      },
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

  const triggerFields = {
    type: Type.Union([Type.Literal('metric'), Type.Literal('achievement'), Type.Literal('streak'), Type.Literal('user_creation')]),
    points: Int('Points paid each time it fires'),
    metric: Type.Optional(Key('metric: the metric')),
    metricThreshold: Type.Optional(Value('metric: pays once per this many units of the total')),
    achievement: Type.Optional(Key('achievement: the achievement')),
    streakLength: Type.Optional(Int('streak: pays when the primary streak reaches this length')),
    eventAttributes: Type.Optional(Attributes),
    userAttributes: Type.Optional(Attributes),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive'), Type.Literal('archived')])),
  };
  const TriggerParams = Type.Object({ key: Type.String({ minLength: 1 }), id: Type.String({ minLength: 1 }) });

  app.post(
    '/points-systems/:key/triggers',
    {
      schema: {
        tags,
        summary: 'Add a points trigger: per N units of a metric, on an achievement, on a streak length, on joining',
        params: KeyParams,
        body: Type.Object(triggerFields, { additionalProperties: false }),
        response: { 201: Trigger, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await createTrigger(ctx, request.principal, request.params.key, request.body)),
  );

  app.get(
    '/points-systems/:key/triggers',
    { schema: { tags, summary: "A points system's triggers", params: KeyParams, response: { 200: Type.Array(Trigger), 404: ErrorBody } } },
    async (request) => listTriggers(ctx, request.principal, request.params.key, localeOf(request)),
  );

  app.patch(
    '/points-systems/:key/triggers/:id',
    {
      schema: {
        tags,
        summary: 'Edit a points trigger (archive it with status "archived")',
        params: TriggerParams,
        body: Type.Object(
          { ...triggerFields, type: Type.Optional(triggerFields.type), points: Type.Optional(triggerFields.points) },
          { additionalProperties: false },
        ),
        response: { 200: Trigger, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => updateTrigger(ctx, request.principal, request.params.key, request.params.id, request.body),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { createApiKey, listApiKeys, revokeApiKey } from '../../engine/api-keys.js';
import type { EngineContext } from '../../engine/context.js';
import { getSettings, updateSettings } from '../../engine/manage-settings.js';
import { CreateApiKeyBody, SettingsBody } from '../schemas/admin.js';
import { SettingsSchema } from '../schemas/admin-settings.js';
import { ApiKeySchema, CreatedApiKeySchema } from '../schemas/api-key.js';
import { ErrorBody, IdParams } from '../schemas/common.js';

export const adminSettingsRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/api-keys',
    {
      schema: {
        tags: ['Admin: keys'],
        summary: 'Create an API key (application by default); the key is shown once',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKeySchema, 422: ErrorBody },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createApiKey(
            ctx.store.read,
            request.principal,
            { name: request.body.name, kind: request.body.kind ?? 'application' },
            ctx.clock.now(),
          ),
        ),
  );

  app.get(
    '/api-keys',
    { schema: { tags: ['Admin: keys'], summary: 'List API keys', response: { 200: Type.Array(ApiKeySchema) } } },
    async (request) => listApiKeys(ctx, request.principal),
  );

  app.delete(
    '/api-keys/:id',
    { schema: { tags: ['Admin: keys'], summary: 'Revoke an API key', params: IdParams, response: { 200: ApiKeySchema, 404: ErrorBody } } },
    async (request) => revokeApiKey(ctx, request.principal, request.params.id),
  );

  app.get(
    '/settings',
    { schema: { tags: ['Admin: settings'], summary: 'Community settings', response: { 200: SettingsSchema } } },
    async (request) => getSettings(ctx, request.principal),
  );

  app.patch(
    '/settings',
    {
      schema: {
        tags: ['Admin: settings'],
        summary: 'Change community settings',
        body: SettingsBody,
        response: { 200: SettingsSchema, 422: ErrorBody },
      },
    },
    async (request) => updateSettings(ctx, request.principal, request.body),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EngineContext } from '../../engine/context.js';
import { readEmailStatus } from '../../engine/read-email-status.js';
import { EmailStatusSchema } from '../schemas/email-view.js';

export const adminEmailRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/email',
    {
      schema: {
        tags: ['Admin: email'],
        summary: 'Whether email on unlock is on, its sender and links, and the achievements that send it',
        response: { 200: EmailStatusSchema },
      },
    },
    async (request) => readEmailStatus(ctx, request.principal),
  );
};

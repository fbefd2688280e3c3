import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EngineContext } from '../../engine/context.js';
import { WidgetSecretRotatedSchema } from '../schemas/widget-token-view.js';

export const adminWidgetRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/widget-secret/rotate',
    {
      schema: {
        tags: ['Admin: settings'],
        summary: 'Rotate the widget-token secret',
        description:
          'Every widget token minted before is refused from now on: at once in this process, within about 5 s in the others sharing the database.',
        response: { 200: WidgetSecretRotatedSchema },
      },
    },
    async (request) => {
      const { rotatedAt } = await ctx.widgetTokens.rotate(request.principal);
      return { rotatedAt: new Date(rotatedAt).toISOString() };
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EngineContext } from '../../engine/context.js';
import { mintWidgetToken } from '../../engine/mint-widget-token.js';
import { WIDGET_TOKEN_DEFAULT_S } from '../../engine/widget-tokens.js';
import { ErrorBody, IdParams } from '../schemas/common.js';
import { WidgetTokenSchema } from '../schemas/widget-token-view.js';
import { WidgetTokenBody } from '../schemas/widget-tokens.js';

export const widgetTokenRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.post(
    '/users/:id/widget-token',
    {
      schema: {
        tags: ['Users'],
        summary: "Mint a widget token for a member's browser",
        description:
          "Call it from your backend with an application key and hand the token to the member's page: the member widgets read that member's data with it (Authorization: Bearer), never with an API key. An unknown member is created first, as POST /v1/users would. The body may be left out (expiresIn defaults to 3600).",
        params: IdParams,
        body: WidgetTokenBody,
        response: { 200: WidgetTokenSchema, 422: ErrorBody },
      },
      // The body is optional: none at all means the defaults.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => mintWidgetToken(ctx, request.principal, request.params.id, request.body.expiresIn ?? WIDGET_TOKEN_DEFAULT_S),
  );
};

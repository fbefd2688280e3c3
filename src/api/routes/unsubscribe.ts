import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { unsubscribe } from '../../engine/unsubscribe.js';
import { ErrorBody } from '../schemas/common.js';
import { UnsubscribedSchema } from '../schemas/unsubscribe-view.js';

/** One-click unsubscribe (RFC 8058), without a key: the signed token in the link is the authority. */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  // Mail clients post the form body "List-Unsubscribe=One-Click"; the token in the query is what counts.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) =>
    done(null, undefined),
  );
  app.post(
    '/unsubscribe',
    {
      schema: {
        tags: ['Users'],
        summary: 'Stop emails to a member (the link in every email)',
        querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 2000, description: 'The token of the email’s link' }) }),
        response: { 200: UnsubscribedSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => unsubscribe(ctx, request.query.token),
  );
};

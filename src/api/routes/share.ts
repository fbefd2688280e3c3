/** `GET /share/:id`: a celebration's public page, without a key (the unguessable id is the authority). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { EngineContext } from '../../engine/context.js';
import { sharedCelebration } from '../../engine/read-shared-celebration.js';
import { localeOf } from '../locale.js';
import { addressFromRequest, publicBase } from '../public-address.js';
import { notFoundPage, sharePage } from '../share-page.js';

export const shareRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext }> = async (app, { ctx }) => {
  app.get(
    '/share/:id',
    // An HTML page for people and link previews, not an API operation.
    { schema: { hide: true, params: Type.Object({ id: Type.String() }) } },
    async (request, reply) => {
      const base = publicBase(ctx, request);
      // No celebration id is longer; a longer one is just not found.
      const shared =
        request.params.id.length <= 64
          ? await sharedCelebration(ctx, request.params.id, { locale: localeOf(request), shareBase: base })
          : null;
      const page = shared ? sharePage(shared, base) : notFoundPage();
      return (
        reply
          .status(shared ? 200 : 404)
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', page.policy)
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .header('cache-control', shared ? 'public, max-age=300' : 'public, max-age=60')
          // The description falls back to the share text, in the visitor's language; without
          // LAUREL_PUBLIC_URL the page's links are built on the Host, which a shared cache must not mix.
          .header('vary', addressFromRequest(ctx) ? 'Accept-Language, Host' : 'Accept-Language')
          .send(page.html)
      );
    },
  );
};

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { acknowledgeCelebrations, CelebrationFeed, listCelebrations } from '../../engine/celebrations.js';
import type { EngineContext } from '../../engine/context.js';
import { presentedKey } from '../auth.js';
import { localeOf } from '../locale.js';
import { publicBase } from '../public-address.js';
import { CelebrationAckSchema, CelebrationListSchema, CelebrationSchema } from '../schemas/celebration-view.js';
import { ErrorBody, IdParams } from '../schemas/common.js';
import { MEMBER_ROUTE, MEMBER_SECURITY } from '../widget-access.js';

/**
 * A comment line now and then keeps proxies from closing an idle stream; a member's stream also
 * re-checks its widget token then, so a rotation ends it within this (plus the secret cache's 5 s).
 */
const STREAM_HEARTBEAT_MS = 15_000;
/** setTimeout's longest delay (about 24.8 days); a token lives at most a day. */
const MAX_TIMER_MS = 2_147_483_647;

const After = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 64, description: 'Only celebrations after this one (an id already shown)' })),
});

export const celebrationRoutes: FastifyPluginAsyncTypebox<{ ctx: EngineContext; heartbeatMs?: number | undefined }> = async (
  app,
  { ctx, heartbeatMs = STREAM_HEARTBEAT_MS },
) => {
  app.get(
    '/users/:id/celebrations',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Celebrations'],
        summary: "A member's unseen celebrations",
        description: 'Unlocks, levels reached and streak milestones not yet acknowledged, oldest first (at most 100).',
        params: IdParams,
        querystring: After,
        response: { 200: CelebrationListSchema, 404: ErrorBody },
      },
    },
    async (request) => ({
      celebrations: await listCelebrations(ctx, request.principal, request.params.id, {
        after: request.query.after ?? null,
        locale: localeOf(request),
        shareBase: publicBase(ctx, request),
      }),
    }),
  );

  app.post(
    '/users/:id/celebrations/ack',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Celebrations'],
        summary: 'Mark celebrations seen',
        params: IdParams,
        body: Type.Object({
          ids: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000, description: 'The celebrations shown' }),
        }),
        response: { 200: CelebrationAckSchema, 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => acknowledgeCelebrations(ctx, request.principal, request.params.id, request.body.ids),
  );

  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/users/:id/celebrations/stream',
    {
      ...MEMBER_ROUTE,
      schema: {
        security: MEMBER_SECURITY,
        tags: ['Celebrations'],
        summary: "A member's celebrations as they happen (Server-Sent Events)",
        description:
          'Each unseen celebration is sent once as an event `celebration` whose id is the celebration id; a reconnecting client sends `Last-Event-ID` and gets what came after.',
        params: IdParams,
        querystring: After,
        response: {
          200: { description: 'A text/event-stream of celebrations', content: { 'text/event-stream': { schema: CelebrationSchema } } },
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const lastEventId = request.headers['last-event-id'];
      const after = (typeof lastEventId === 'string' && lastEventId) || request.query.after || null;
      // Opening reads the unseen ones, and answers 404 for an unknown user, before the stream starts.
      const feed = await CelebrationFeed.open(ctx, request.principal, request.params.id, {
        after,
        locale: localeOf(request),
        shareBase: publicBase(ctx, request),
      });
      reply.hijack();
      const raw: ServerResponse = reply.raw;
      raw.writeHead(200, {
        // What the hooks decided (a widget's CORS headers, rate-limit headers): hijacking skips Fastify's own writing.
        ...(reply.getHeaders() as OutgoingHttpHeaders),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // Sent at once, so the client knows the stream is open (and how soon to come back if it drops).
      raw.write('retry: 1000\n\n');
      const principal = request.principal;
      // A widget token was checked once, at open: the stream ends when it expires, or when a
      // re-check (each heartbeat) refuses it, e.g. after the community's secret was rotated.
      const token = principal.kind === 'member' ? presentedKey(request) : null;
      const expiresAt = principal.kind === 'member' ? principal.expiresAt : null;
      let ended = false;
      const stillAdmitted = async (): Promise<boolean> => {
        if (expiresAt !== null && ctx.clock.now() >= expiresAt) return false;
        if (token === null) return true;
        return (await ctx.widgetTokens.verify(token)).ok;
      };
      const heartbeat = setInterval(() => {
        void stillAdmitted().then(
          (ok) => (ok ? raw.write(': ping\n\n') : end()),
          () => undefined, // A database hiccup is no reason to drop the member: the next beat checks again.
        );
      }, heartbeatMs);
      const expiry = expiresAt === null ? null : setTimeout(() => end(), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - ctx.clock.now())));
      const end = () => {
        if (ended) return;
        ended = true;
        feed.stop();
        clearInterval(heartbeat);
        if (expiry) clearTimeout(expiry);
        streams.delete(end);
        raw.end();
      };
      streams.add(end);
      request.raw.on('close', end);
      feed.start((found) => {
        for (const c of found) raw.write(`id: ${c.id}\nevent: celebration\ndata: ${JSON.stringify(c)}\n\n`);
      });
    },
  );
};

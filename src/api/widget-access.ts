/**
 * Widget tokens on the application API: a member's browser, on a page of another origin, reads
 * that member's own data. Resolves the token to a member principal and decides CORS for it:
 *
 * - the page's origin must be in the token's community's `widgetOrigins` (or be this Laurel
 *   itself), else 403 origin_not_allowed; allowed, every answer (errors too, and the event
 *   stream) carries Access-Control-Allow-Origin so the widget can read it;
 * - a refused token (bad, rotated away, expired) from an origin some community allows carries it
 *   too, so a widget can tell "expired" from a network failure;
 * - only routes with `config: { member: true }` admit members, and on `/users/:id/…` only their own id.
 *
 * Requests with API keys never get CORS headers, and from another origin are refused (auth.ts):
 * keys do not belong in pages.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LaurelError } from '../domain/errors.js';
import type { MemberPrincipal } from '../engine/api-keys.js';
import type { EngineContext } from '../engine/context.js';
import { ownOrigins } from './public-address.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route admits widget tokens (a member reading their own data). */
    member?: boolean;
  }
}

/** What a preflight may ask for: the member routes' methods and the headers widgets send. */
export const CORS_METHODS = 'GET, POST';
export const CORS_HEADERS = 'authorization, content-type, last-event-id';
/** Seconds a browser may reuse a preflight's answer. */
export const CORS_MAX_AGE_S = 600;

/**
 * What a member route declares: it admits widget tokens (the hook checks `config.member`), and
 * says so in OpenAPI.
 */
export const MEMBER_ROUTE = { config: { member: true } } as const;
export const MEMBER_SECURITY: { [scheme: string]: string[] }[] = [{ ApiKey: [] }, { Bearer: [] }, { WidgetToken: [] }];

/** Headers beyond the CORS-safelisted ones a widget may read: when to retry after a 429. */
export const CORS_EXPOSED = 'retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset';

export function allowOrigin(reply: FastifyReply, origin: string): void {
  void reply.header('access-control-allow-origin', origin);
  void reply.header('vary', 'Origin');
}

/** An actual (not preflight) answer a widget on `origin` may read. */
function allowReading(reply: FastifyReply, origin: string): void {
  allowOrigin(reply, origin);
  void reply.header('access-control-expose-headers', CORS_EXPOSED);
}

function originOf(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== '' ? origin : undefined;
}

/** The request names an `Origin` that is not this Laurel's own: it comes from another site's page. */
export function fromForeignOrigin(ctx: EngineContext, request: FastifyRequest): boolean {
  const origin = originOf(request);
  return origin !== undefined && !ownOrigins(ctx, request).includes(origin);
}

/** Resolves a widget token for a /v1 request, or throws the error to answer (CORS headers already set). */
export async function authenticateMember(
  ctx: EngineContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<MemberPrincipal> {
  const origin = originOf(request);
  const own = origin !== undefined && ownOrigins(ctx, request).includes(origin);
  const check = await ctx.widgetTokens.verify(token);
  if (!check.ok) {
    if (origin !== undefined && !own && (await ctx.widgetOrigins.allowedAnywhere(origin))) allowReading(reply, origin);
    throw new LaurelError(
      'unauthorized',
      check.code,
      check.code === 'widget_token_expired'
        ? 'The widget token has expired: ask the app for a new one'
        : 'The widget token is not valid (malformed, tampered with, or signed before the secret was rotated)',
    );
  }
  const member = check.principal;
  if (origin !== undefined && !own) {
    if (!(await ctx.widgetOrigins.allowedFor(member.communityId, origin))) {
      throw new LaurelError('forbidden', 'origin_not_allowed', `Widgets may not call Laurel from ${origin}: add it to widgetOrigins`);
    }
    allowReading(reply, origin);
  }
  if (request.routeOptions.config.member !== true) {
    throw new LaurelError('forbidden', 'widget_token_scope', 'A widget token may only read its member’s data: use an API key here');
  }
  const id = (request.params as { id?: unknown } | undefined)?.id;
  if (id !== undefined && id !== member.userId) {
    throw new LaurelError('forbidden', 'widget_token_user', 'A widget token may only read the data of the member it was made for', 'id');
  }
  return member;
}

/**
 * `OPTIONS /v1/*`: a browser asking whether a page may call with a widget token. Allowed when any
 * community lists the origin (the token, and so the community, is not sent with a preflight).
 */
export async function answerPreflight(ctx: EngineContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = originOf(request);
  const asks = request.headers['access-control-request-method'];
  if (origin === undefined || typeof asks !== 'string' || !(await ctx.widgetOrigins.allowedAnywhere(origin))) {
    void reply.header('vary', 'Origin');
    await reply
      .status(403)
      .send({ error: 'This origin may not call the API from a browser: add it to widgetOrigins', code: 'origin_not_allowed' });
    return;
  }
  allowOrigin(reply, origin);
  void reply.header('access-control-allow-methods', CORS_METHODS);
  void reply.header('access-control-allow-headers', CORS_HEADERS);
  void reply.header('access-control-max-age', String(CORS_MAX_AGE_S));
  await reply.status(204).send();
}

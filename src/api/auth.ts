/**
 * API keys arrive as `X-API-Key: …` or `Authorization: Bearer …`; so do members' widget tokens
 * (`lw1.…`), which only the application API admits (see widget-access.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyKind } from '../domain/api-key.js';
import { LaurelError } from '../domain/errors.js';
import type { Keyring, MemberPrincipal, Principal } from '../engine/api-keys.js';
import { isWidgetToken } from '../engine/widget-tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** The key or widget token the request carries, as sent. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const authorization = request.headers.authorization;
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match ? (match[1] as string).trim() : null;
}

type MemberAuthenticator = (request: FastifyRequest, reply: FastifyReply, token: string) => Promise<MemberPrincipal>;

/** Whether the request comes from a page of another origin than this Laurel's (see widget-access.ts). */
type ForeignOrigin = (request: FastifyRequest) => boolean;

/**
 * An onRequest hook admitting keys of the given kind (admin keys are admitted everywhere), and
 * widget tokens where `members` resolves them. A key sent from a page of another origin is refused:
 * it has leaked into a browser (the dashboard, on this origin, is not refused).
 */
export function requireKey(keyring: Keyring, kind: KeyKind, foreignOrigin: ForeignOrigin, members?: MemberAuthenticator) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const key = presentedKey(request);
    if (!key) {
      throw new LaurelError('unauthorized', 'missing_api_key', 'Send an API key in the X-API-Key header or as Authorization: Bearer <key>');
    }
    if (isWidgetToken(key)) {
      if (!members) throw new LaurelError('forbidden', 'widget_token_scope', 'A widget token cannot call this API: use an API key');
      request.principal = await members(request, reply, key);
      return;
    }
    if (foreignOrigin(request)) {
      throw new LaurelError('forbidden', 'api_key_in_browser', 'API keys must stay on your server: a page sends a widget token instead');
    }
    const principal = await keyring.authenticate(key);
    if (!principal) throw new LaurelError('unauthorized', 'invalid_api_key', 'The API key is not valid (wrong, or revoked)');
    if (kind === 'admin' && principal.kind !== 'admin') {
      throw new LaurelError('forbidden', 'admin_key_required', 'This is the admin API: an application key cannot call it');
    }
    request.principal = principal;
  };
}

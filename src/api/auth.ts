/** API keys arrive as `X-API-Key: …` or `Authorization: Bearer …`. */
import type { FastifyRequest } from 'fastify';
import type { KeyKind } from '../domain/api-key.js';
import { LaurelError } from '../domain/errors.js';
import type { Keyring, Principal } from '../engine/api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const authorization = request.headers.authorization;
  const match = authorization?.match(/^Bearer\s+(.+)$/i);
  return match ? (match[1] as string).trim() : null;
}

/** An onRequest hook admitting keys of the given kind (admin keys are admitted everywhere). */
export function requireKey(keyring: Keyring, kind: KeyKind) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = presentedKey(request);
    if (!key) {
      throw new LaurelError('unauthorized', 'missing_api_key', 'Send an API key in the X-API-Key header or as Authorization: Bearer <key>');
    }
    const principal = await keyring.authenticate(key);
    if (!principal) throw new LaurelError('unauthorized', 'invalid_api_key', 'The API key is not valid (wrong, or revoked)');
    if (kind === 'admin' && principal.kind !== 'admin') {
      throw new LaurelError('forbidden', 'admin_key_required', 'This is the admin API: an application key cannot call it');
    }
    request.principal = principal;
  };
}

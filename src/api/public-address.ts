/**
 * Where members reach this Laurel: LAUREL_PUBLIC_URL when configured, else the request's own
 * scheme and host. Share links and badge images in link previews must be absolute.
 */
import type { FastifyRequest } from 'fastify';
import type { EngineContext } from '../engine/context.js';

/** Whether publicBase comes from the request (its Host): answers built on it vary with the Host. */
export function addressFromRequest(ctx: EngineContext): boolean {
  return !ctx.email.publicUrlSet;
}

/** `https://laurel.example.com` (no trailing slash; a path in LAUREL_PUBLIC_URL is kept). */
export function publicBase(ctx: EngineContext, request: FastifyRequest): string {
  if (ctx.email.publicUrlSet) return ctx.email.publicUrl.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

/** The origins that are this Laurel itself: the request's host, and LAUREL_PUBLIC_URL's. */
export function ownOrigins(ctx: EngineContext, request: FastifyRequest): string[] {
  const candidates = [`${request.protocol}://${request.host}`, ...(ctx.email.publicUrlSet ? [ctx.email.publicUrl] : [])];
  // As a browser writes `Origin`: lowercase, without the scheme's default port.
  return candidates.flatMap((url) => {
    try {
      return [new URL(url).origin];
    } catch {
      return [];
    }
  });
}

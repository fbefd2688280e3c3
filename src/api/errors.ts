/** Every error leaves as JSON `{ error, code, field? }` with the status its kind calls for. */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorKind, LaurelError } from '../domain/errors.js';

const STATUS: Record<ErrorKind, number> = {
  malformed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_allowed: 405,
  conflict: 409,
  too_large: 413,
  too_long: 414,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Fastify's own request errors, in Laurel's words. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The request body is empty but JSON was declared' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send JSON (Content-Type: application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'malformed_request', message: 'Content-Length does not match the body' },
  FST_ERR_BAD_URL: { status: 400, code: 'malformed_url', message: 'The URL is not validly percent-encoded' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'path_parameter_too_long',
    message: 'A path parameter is longer than any id or key can be',
  },
};

export function errorHandler(error: FastifyError | LaurelError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof LaurelError) {
    const retryAfter = error.details?.retryAfter;
    if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after')) void reply.header('retry-after', String(retryAfter));
    void reply.status(STATUS[error.kind]).send({
      error: error.message,
      code: error.code,
      ...(error.field ? { field: error.field } : {}),
      ...error.details,
    });
    return;
  }
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (known) {
    void reply.status(known.status).send({ error: known.message ?? error.message, code: known.code });
    return;
  }
  if (error.statusCode !== undefined && error.statusCode < 500) {
    void reply.status(error.statusCode).send({ error: error.message, code: (error.code ?? 'bad_request').toLowerCase() });
    return;
  }
  request.log.error({ err: error }, 'Request failed');
  void reply.status(500).send({ error: 'Internal server error', code: 'internal_error' });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send({ error: `There is no route ${request.method} ${request.url.split('?')[0]}`, code: 'route_not_found' });
}

/** What Node's HTTP parser refused before any route saw the request, in Laurel's words. */
const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'The request did not arrive in time' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', message: 'The request headers are too large' },
};

/**
 * Errors on the socket before Fastify has a request (a body that trickles in, malformed HTTP):
 * answered in the same `{ error, code }` shape, then the connection is destroyed, as Node's own
 * handler does, so nothing more on it is parsed or routed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code ? CLIENT_ERRORS[error.code] : undefined) ?? {
    status: 400,
    code: 'malformed_request',
    message: 'The request is not valid HTTP',
  };
  // A response already under way cannot take a second status line.
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !started) {
    const body = JSON.stringify({ error: known.message, code: known.code });
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

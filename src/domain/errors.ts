/**
 * Errors that carry their own meaning: the API turns `kind` into a status code and passes
 * `code`, `message` and `field` to the client unchanged.
 */
export type ErrorKind =
  | 'malformed'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'not_allowed'
  | 'too_large'
  | 'too_long'
  | 'rate_limited'
  | 'unavailable';

export class LaurelError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LaurelError';
  }

  /** The same error, located inside a larger request (a batch item, a nested object). */
  within(prefix: string, details?: Record<string, unknown>): LaurelError {
    const field = this.field ? `${prefix}.${this.field}` : prefix;
    return new LaurelError(this.kind, this.code, `${prefix}: ${this.message}`, field, {
      ...this.details,
      ...details,
    });
  }
}

export const invalid = (code: string, message: string, field?: string) => new LaurelError('invalid', code, message, field);

export const notFound = (code: string, message: string, field?: string) => new LaurelError('not_found', code, message, field);

export const conflict = (code: string, message: string, field?: string) => new LaurelError('conflict', code, message, field);

/** The service cannot answer now (database unreachable, storage failing, overloaded); try again later. */
export const unavailable = (code: string, message: string, details?: Record<string, unknown>) =>
  new LaurelError('unavailable', code, message, undefined, details);

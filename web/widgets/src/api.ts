/** The few application-API calls the widgets make, with the member's token and language. */

export interface Connection {
  baseUrl: string;
  token: string;
  lang: string;
  userId: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const TOKEN_EXPIRED = 'widget_token_expired';

/** A token Laurel no longer takes: past its expiry, or signed before the secret was rotated. The page must mint another. */
export function tokenRefused(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && (error.code === TOKEN_EXPIRED || error.code === 'invalid_widget_token');
}

export function url(conn: Connection, path: string): string {
  return conn.baseUrl.replace(/\/+$/, '') + path;
}

/** `/v1/users/<id><rest>`. */
export function userPath(conn: Connection, rest: string): string {
  return `/v1/users/${encodeURIComponent(conn.userId)}${rest}`;
}

export function headers(conn: Connection, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${conn.token}`, 'Accept-Language': conn.lang, ...extra };
}

/** The error a failed answer describes (`{ error, code }` from Laurel, else the status). */
export async function apiError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText;
  try {
    const body = await response.json();
    if (typeof body?.code === 'string') code = body.code;
    if (typeof body?.error === 'string') message = body.error;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new ApiError(response.status, code, message);
}

export async function request<T>(
  conn: Connection,
  path: string,
  options: { method?: string; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const response = await fetch(url(conn, path), {
    method: options.method ?? 'GET',
    headers: headers(conn, options.body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json' }),
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
    // The token is the credential: the host page's cookies for Laurel's origin are never needed.
    credentials: 'omit',
  });
  if (!response.ok) throw await apiError(response);
  return (await response.json()) as T;
}

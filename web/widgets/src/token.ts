/** Widget tokens: `lw1.<base64url(JSON payload)>.<signature>`. The payload is read, never trusted: the server checks the signature. */

export interface WidgetTokenPayload {
  /** Format version. */
  v: number;
  /** The organisation. */
  o: string;
  /** The community. */
  c: string;
  /** The member the token is for. */
  u: string;
  /** Expiry, in Unix seconds. */
  exp: number;
}

/** The payload of a widget token, or null for anything else (an API key, a malformed token). */
export function decodeToken(token: string | undefined): WidgetTokenPayload | null {
  const parts = token?.split('.');
  if (parts?.length !== 3 || parts[0] !== 'lw1' || !parts[1]) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
    if (typeof payload !== 'object' || payload === null || typeof payload.u !== 'string') return null;
    return payload as WidgetTokenPayload;
  } catch {
    return null;
  }
}

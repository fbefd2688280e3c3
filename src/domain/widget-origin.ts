/**
 * The origins a community's member widgets may call Laurel from (its CORS allow-list). Browsers
 * send `Origin` as `scheme://host[:port]`, lowercase, default port left out: entries are kept in
 * that form so an allowed origin is one string comparison.
 */
import { invalid } from './errors.js';

export const MAX_WIDGET_ORIGINS = 50;

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** `input` as a browser would send it in `Origin`, or a 422 invalid_origin naming `field`. */
export function canonicalOrigin(input: string, field: string): string {
  const refuse = (why: string) => invalid('invalid_origin', `${field} ${why}`, field);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (/[\u0000-\u0020\u007f\\*]/.test(input)) throw refuse('may not contain spaces, control characters, backslashes or "*"');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw refuse('must be an origin: scheme://host[:port]');
  }
  if (!(url.protocol in DEFAULT_PORTS)) throw refuse('must start with http:// or https://');
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(input)) throw refuse('must be an origin only: no path, query or fragment');
  if (url.username !== '' || url.password !== '') throw refuse('may not carry a user name or password');
  if (url.hostname === '') throw refuse('must name a host');
  const port = url.port === '' || url.port === DEFAULT_PORTS[url.protocol] ? '' : `:${url.port}`;
  return `${url.protocol}//${url.hostname}${port}`;
}

/** The list canonicalised and without repeats, or a 422 naming the first bad entry. */
export function canonicalOrigins(inputs: readonly string[], field: string): string[] {
  if (inputs.length > MAX_WIDGET_ORIGINS) throw invalid('invalid_origin', `${field} may list at most ${MAX_WIDGET_ORIGINS} origins`, field);
  return [...new Set(inputs.map((o, i) => canonicalOrigin(o, `${field}[${i}]`)))];
}

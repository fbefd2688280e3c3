import { invalid } from '../domain/errors.js';

/** Trophy's "attribute:value,attribute:value" query parameter. */
export function parseAttributes(text: string | undefined, field = 'userAttributes'): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf(':');
    if (at <= 0) throw invalid('invalid_user_attributes', `${field} must look like "key:value,key:value"`, field);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

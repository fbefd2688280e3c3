/** A receiver's own checks of Laurel's two webhook signatures, written from the schemes' specifications. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SignedRequest {
  headers: IncomingHttpHeaders;
  /** The raw body, as the bytes arrived (UTF-8). */
  body: string;
}

/** Standard Webhooks verification, from the spec: key = base64-decoded part after whsec_. */
export function standardSignatureValid(secret: string, r: SignedRequest): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`;
  const expected = Buffer.from(createHmac('sha256', key).update(signed).digest('base64'));
  return String(r.headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature = ''] = entry.split(',');
      const given = Buffer.from(signature);
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** Trophy's documented check: createHmac('sha256', secret).update(rawBody).digest('base64'). */
export function trophySignatureValid(secret: string, r: SignedRequest): boolean {
  return createHmac('sha256', secret).update(r.body).digest('base64') === r.headers['x-trophy-signature'];
}

/**
 * Webhook secrets and signatures. Every delivery carries two signatures of the same body bytes, so
 * both Trophy handlers and Standard Webhooks libraries verify it:
 *
 * - Standard Webhooks (https://www.standardwebhooks.com): `webhook-signature: v1,<base64 of
 *   HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, where the key is the bytes the
 *   base64 after `whsec_` encodes.
 * - Trophy: `X-Trophy-Signature: <base64 of HMAC-SHA256(secret, body)>`, keyed with the secret as
 *   shown (the whole `whsec_…` string, as UTF-8), because that is what Trophy's documented handler
 *   does: `crypto.createHmac('sha256', process.env.TROPHY_WEBHOOK_SECRET).update(rawBody)`.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** 32 random bytes: the Standard Webhooks range is 24 to 64. */
const KEY_BYTES = 32;

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** The HMAC key a Standard Webhooks secret stands for. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'x-trophy-signature': string;
}

/** The signature headers of one delivery attempt of the event `id`, whose body is `body`, sent at `timestampS` (Unix seconds). */
export function signWebhook(secret: string, id: string, timestampS: number, body: string): SignedHeaders {
  const timestamp = String(timestampS);
  const standard = createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  const trophy = createHmac('sha256', secret).update(body, 'utf8').digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${standard}`, 'x-trophy-signature': trophy };
}

/**
 * One-click unsubscribe links: the token names the community and the user, and carries an HMAC of
 * them keyed by the install's secret (made once, kept in the database, shared by every process).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';

const SECRET_NAME = 'unsubscribe';

export interface Unsubscriber {
  tenant: Tenant;
  userId: string;
}

async function secret(repos: Repositories): Promise<string> {
  return repos.emails.secret(SECRET_NAME, randomBytes(32).toString('hex'));
}

function mac(key: string, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

export async function unsubscribeToken(repos: Repositories, who: Unsubscriber): Promise<string> {
  const body = Buffer.from(JSON.stringify([who.tenant.orgId, who.tenant.communityId, who.userId])).toString('base64url');
  return `${body}.${mac(await secret(repos), body).toString('base64url')}`;
}

/** Who the token names, or null when it is not one of this install's. */
export async function readUnsubscribeToken(repos: Repositories, token: string): Promise<Unsubscriber | null> {
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(await secret(repos), body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) return null;
  const [orgId, communityId, userId] = parsed as [string, string, string];
  return { tenant: { orgId, communityId }, userId };
}

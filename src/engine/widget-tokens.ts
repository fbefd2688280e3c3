/**
 * Widget tokens: what a member's browser holds instead of an API key. `lw1.<payload>.<signature>`,
 * the payload `{ v: 1, o, c, u, exp }` in base64url JSON (not secret: widgets read the user and the
 * expiry from it), the signature an HMAC-SHA256 of `lw1.<payload>` keyed by the community's widget
 * secret. Rotating the secret refuses every token signed before: at once in this process, and in
 * the others sharing the database once their cached copy (at most CACHE_MS old) is read again. A
 * token the cached copy refuses makes it read again at once (at most every REREAD_MS): a token
 * signed with the new secret is accepted everywhere right after the rotation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { WidgetSecret } from '../store/repositories/widget-secrets.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { MemberPrincipal } from './api-keys.js';

export const WIDGET_TOKEN_PREFIX = 'lw1.';

/** How long a secret read from the database is trusted: the bound on a rotation reaching every process. */
const CACHE_MS = 5_000;
/** How often a refused signature may make a community's secret be read again: bad tokens cost no more. */
const REREAD_MS = 1_000;
/** Communities whose secrets are kept at most (cleared past it). */
const MAX_CACHED = 10_000;

export const WIDGET_TOKEN_MIN_S = 60;
export const WIDGET_TOKEN_MAX_S = 86_400;
export const WIDGET_TOKEN_DEFAULT_S = 3_600;

export type WidgetTokenCheck =
  | { ok: true; principal: MemberPrincipal }
  | { ok: false; code: 'invalid_widget_token' | 'widget_token_expired'; tenant: Tenant | null };

interface Payload {
  v: 1;
  o: string;
  c: string;
  u: string;
  exp: number;
}

export function isWidgetToken(presented: string): boolean {
  return presented.startsWith(WIDGET_TOKEN_PREFIX);
}

function sign(secret: string, signed: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'hex')).update(signed).digest();
}

function decodePayload(text: string): Payload | null {
  try {
    const p: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof p !== 'object' || p === null) return null;
    const { v, o, c, u, exp } = p as Record<string, unknown>;
    if (v !== 1 || typeof o !== 'string' || typeof c !== 'string' || typeof u !== 'string' || !Number.isSafeInteger(exp)) return null;
    return { v, o, c, u, exp: exp as number };
  } catch {
    return null;
  }
}

export class WidgetTokens {
  private readonly cache = new Map<string, { secret: WidgetSecret; until: number }>();
  /** When each community's secret was last read again for a refused signature. */
  private readonly rereads = new Map<string, number>();

  constructor(
    private readonly repos: Repositories,
    private readonly clock: { now(): number },
  ) {}

  /** A token for `userId`, valid `expiresInS` seconds. Reads the secret afresh: never signs with a rotated one. */
  async mint(tenant: Tenant, userId: string, expiresInS: number): Promise<{ token: string; expiresAt: number }> {
    const now = this.clock.now();
    const secret =
      (await this.repos.widgetSecrets.find(tenant.communityId)) ??
      (await this.repos.widgetSecrets.ensure(tenant, randomBytes(32).toString('hex'), now));
    this.remember(secret, now);
    const exp = Math.floor(now / 1000) + expiresInS;
    const payload: Payload = { v: 1, o: tenant.orgId, c: tenant.communityId, u: userId, exp };
    const signed = `${WIDGET_TOKEN_PREFIX}${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return { token: `${signed}.${sign(secret.secret, signed).toString('base64url')}`, expiresAt: exp * 1000 };
  }

  /** Who the token speaks for, or why it is refused (with the community it names, once its signature holds). */
  async verify(token: string): Promise<WidgetTokenCheck> {
    const refused = { ok: false, code: 'invalid_widget_token', tenant: null } as const;
    const parts = token.split('.');
    if (parts.length !== 3 || `${parts[0]}.` !== WIDGET_TOKEN_PREFIX) return refused;
    const [, body = '', signature = ''] = parts;
    const payload = decodePayload(body);
    if (!payload) return refused;
    const given = Buffer.from(signature, 'base64url');
    const signs = (secret: WidgetSecret | undefined) => {
      if (!secret || secret.orgId !== payload.o) return false;
      const expected = sign(secret.secret, `${WIDGET_TOKEN_PREFIX}${body}`);
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
    const { secret, cached } = await this.secretOf(payload.c);
    // Refused by a cached secret: it may have been rotated by another process since.
    if (!signs(secret) && !(cached && signs(await this.reread(payload.c)))) return refused;
    const tenant = { orgId: payload.o, communityId: payload.c };
    if (payload.exp * 1000 <= this.clock.now()) return { ok: false, code: 'widget_token_expired', tenant };
    return { ok: true, principal: { ...tenant, kind: 'member', userId: payload.u, expiresAt: payload.exp * 1000 } };
  }

  /** Replaces the community's secret: every token signed before is refused from now on. */
  async rotate(tenant: Tenant): Promise<{ rotatedAt: number }> {
    const now = this.clock.now();
    const secret = await this.repos.widgetSecrets.rotate(tenant, randomBytes(32).toString('hex'), now);
    this.cache.set(tenant.communityId, { secret, until: now + CACHE_MS });
    return { rotatedAt: now };
  }

  /** The community's secret, and whether it came from the cache (not from the database just now). */
  private async secretOf(communityId: string): Promise<{ secret: WidgetSecret | undefined; cached: boolean }> {
    const now = this.clock.now();
    const hit = this.cache.get(communityId);
    if (hit && hit.until > now) return { secret: hit.secret, cached: true };
    // A community that never minted has no secret; nothing is cached for it, so its first token,
    // minted by another process, is accepted here at once.
    const secret = await this.repos.widgetSecrets.find(communityId);
    if (secret) this.remember(secret, now);
    return { secret, cached: false };
  }

  /** The secret read again from the database, unless it was for a refused token less than REREAD_MS ago. */
  private async reread(communityId: string): Promise<WidgetSecret | undefined> {
    const now = this.clock.now();
    const last = this.rereads.get(communityId);
    if (last !== undefined && now - last < REREAD_MS) return undefined;
    if (this.rereads.size >= MAX_CACHED) this.rereads.clear();
    this.rereads.set(communityId, now);
    const secret = await this.repos.widgetSecrets.find(communityId);
    if (secret) this.remember(secret, now);
    return secret;
  }

  /**
   * Caches a secret read from the database, unless a newer one is cached: a read that raced a
   * rotation here (on PostgreSQL it may see the row before the rotation commits) must not put the
   * replaced secret back. An expired entry is replaced whatever its date (clocks may differ).
   */
  private remember(secret: WidgetSecret, now: number): void {
    const hit = this.cache.get(secret.communityId);
    if (hit && hit.until > now && hit.secret.rotatedAt > secret.rotatedAt) return;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(secret.communityId, { secret, until: now + CACHE_MS });
  }
}

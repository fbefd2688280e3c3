/**
 * API keys: admin keys manage a community, application keys only send and read its data.
 * Only a key's SHA-256 is stored (keys are 192 random bits, so a slow hash adds nothing).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyView, CreatedApiKey } from '../api/schemas/api-key.js';
import type { ApiKey, KeyKind } from '../domain/api-key.js';
import { notFound } from '../domain/errors.js';
import type { Repositories, Store } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { randomId } from './ids.js';
import { iso } from './presenters.js';

/** Who a request speaks for: an API key, or a member through a widget token (src/engine/widget-tokens.ts). */
export type Principal = KeyPrincipal | MemberPrincipal;

export interface KeyPrincipal extends Tenant {
  kind: KeyKind;
  keyId: string;
}

/** A member's browser: may read (and acknowledge) only that member's own data, on the routes that allow it. */
export interface MemberPrincipal extends Tenant {
  kind: 'member';
  userId: string;
  /** When the token stops being accepted (epoch ms). */
  expiresAt: number;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(kind: KeyKind): string {
  return `laurel_${kind === 'admin' ? 'admin' : 'app'}_${randomBytes(24).toString('base64url')}`;
}

export function apiKeyView(apiKey: ApiKey): ApiKeyView {
  return {
    id: apiKey.id,
    name: apiKey.name,
    kind: apiKey.kind,
    prefix: apiKey.prefix,
    created: iso(apiKey.createdAt),
    revoked: apiKey.revokedAt === null ? null : iso(apiKey.revokedAt),
  };
}

/** Creates a key and returns it in clear: the only time anyone sees it. */
export async function createApiKey(
  repos: Repositories,
  tenant: Tenant,
  input: { name: string; kind: KeyKind },
  now: number,
): Promise<CreatedApiKey> {
  const key = generateKey(input.kind);
  const apiKey: ApiKey = {
    id: randomId(),
    orgId: tenant.orgId,
    communityId: tenant.communityId,
    kind: input.kind,
    name: input.name,
    prefix: key.slice(0, key.indexOf('_', 7) + 5),
    hash: hashKey(key),
    createdAt: now,
    revokedAt: null,
  };
  await repos.apiKeys.insert(apiKey);
  return { ...apiKeyView(apiKey), key };
}

export async function listApiKeys(ctx: EngineContext, tenant: Tenant) {
  return (await ctx.store.read.apiKeys.list(tenant)).map(apiKeyView);
}

export async function revokeApiKey(ctx: EngineContext, tenant: Tenant, id: string) {
  const repos = ctx.store.read;
  const apiKey = await repos.apiKeys.get(tenant, id);
  if (!apiKey) throw notFound('api_key_not_found', `There is no API key "${id}"`, 'id');
  await repos.apiKeys.revoke(tenant, id, ctx.clock.now());
  ctx.keyring?.forget(apiKey.hash);
  return apiKeyView((await repos.apiKeys.get(tenant, id)) as ApiKey);
}

/** How long a key lookup is trusted before the database is asked again. */
const CACHE_MS = 5_000;

/**
 * Resolves presented keys to principals, with a short cache so requests rarely touch the key table.
 * Where several processes share the database (PostgreSQL), each hears of every revocation as it
 * commits and drops the key from its cache; while it cannot hear (its listening connection is down)
 * it caches nothing, so a revoked key is refused everywhere as soon as the news arrives.
 */
export class Keyring {
  private readonly cache = new Map<string, { principal: KeyPrincipal | null; until: number }>();
  private readonly masterHash: Buffer | null;
  private caching = true;
  /**
   * Counts revocations heard and changes of the listening connection's state, so a lookup that
   * raced either is not cached (one read before a drop, a revocation missed while down, and a
   * reconnect would otherwise cache the revoked key).
   */
  private news = 0;

  constructor(
    private readonly repos: Repositories,
    private readonly clock: { now(): number },
    private readonly master: { key: string | undefined; tenant: Tenant },
    revocations?: { watchRevokedKeys: Store['watchRevokedKeys'] },
  ) {
    this.masterHash = master.key ? Buffer.from(hashKey(master.key), 'hex') : null;
    const watching = revocations?.watchRevokedKeys({
      message: (hash) => {
        this.news += 1;
        this.forget(hash);
      },
      state: (live) => {
        this.news += 1;
        this.cache.clear();
        this.caching = live;
      },
    });
    if (watching) this.caching = false;
  }

  async authenticate(key: string): Promise<KeyPrincipal | null> {
    const hash = hashKey(key);
    if (this.masterHash && timingSafeEqual(this.masterHash, Buffer.from(hash, 'hex'))) {
      return { ...this.master.tenant, kind: 'admin', keyId: 'master' };
    }
    const now = this.clock.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.principal;
    const heard = this.news;
    const found = await this.repos.apiKeys.findByHash(hash);
    const principal: KeyPrincipal | null =
      found && found.revokedAt === null ? { orgId: found.orgId, communityId: found.communityId, kind: found.kind, keyId: found.id } : null;
    if (!this.caching || heard !== this.news) return principal;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_MS });
    return principal;
  }

  forget(hash: string): void {
    this.cache.delete(hash);
  }
}

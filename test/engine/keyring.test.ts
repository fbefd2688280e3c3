/** The key cache must never keep a key that was revoked while its process could not hear of it. */
import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/domain/api-key.js';
import { hashKey, Keyring } from '../../src/engine/api-keys.js';
import type { Subscriber } from '../../src/store/notifications.js';
import type { Repositories } from '../../src/store/store.js';

describe('the key cache', () => {
  it('does not cache a lookup that was in flight across a lost and regained listening connection', async () => {
    const key = 'lk_app_raced';
    const apiKey: ApiKey = {
      id: 'k1',
      orgId: 'o',
      communityId: 'c',
      kind: 'application',
      name: 'App',
      prefix: 'lk_app_r',
      hash: hashKey(key),
      createdAt: 0,
      revokedAt: null,
    };
    const lookups: ((found: ApiKey) => void)[] = [];
    const repos = { apiKeys: { findByHash: () => new Promise<ApiKey>((resolve) => lookups.push(resolve)) } } as unknown as Repositories;
    let subscriber!: Subscriber;
    const keyring = new Keyring(
      repos,
      { now: () => 0 },
      { key: undefined, tenant: { orgId: 'o', communityId: 'c' } },
      {
        watchRevokedKeys: (s) => {
          subscriber = s;
          return true;
        },
      },
    );
    subscriber.state(true);

    const first = keyring.authenticate(key);
    // The connection drops, the key is revoked meanwhile (its notice missed), the connection returns.
    subscriber.state(false);
    subscriber.state(true);
    lookups[0]?.(apiKey);
    expect(await first).toMatchObject({ keyId: 'k1' });

    // Asked again, the database is consulted (nothing was cached) and says the key is revoked.
    const second = keyring.authenticate(key);
    lookups[1]?.({ ...apiKey, revokedAt: 1 });
    expect(await second).toBeNull();
  });
});

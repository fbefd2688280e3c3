import type { Kysely } from 'kysely';
import type { ApiKey } from '../../domain/api-key.js';
import type { Dialect } from '../dialect.js';
import { Notifications } from '../notifications.js';
import type { ApiKeyRow, DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** The channel on which PostgreSQL tells every process the hash of a key just revoked. */
export const REVOKED_KEYS_CHANNEL = 'laurel_key_revoked';

function toApiKey(r: ApiKeyRow): ApiKey {
  return {
    id: r.id,
    orgId: r.org_id,
    communityId: r.community_id,
    kind: r.kind,
    name: r.name,
    prefix: r.key_prefix,
    hash: r.key_hash,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export class ApiKeysRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async insert(key: ApiKey): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        org_id: key.orgId,
        community_id: key.communityId,
        kind: key.kind,
        name: key.name,
        key_prefix: key.prefix,
        key_hash: key.hash,
        created_at: key.createdAt,
        revoked_at: key.revokedAt,
      })
      .execute();
  }

  async findByHash(hash: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    return row && toApiKey(row);
  }

  async list(tenant: Tenant): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .execute();
    return rows.map(toApiKey);
  }

  async get(tenant: Tenant, id: string): Promise<ApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toApiKey(row);
  }

  /** Revokes a key; on PostgreSQL every process's key cache hears of it (see Keyring). */
  async revoke(tenant: Tenant, id: string, now: number): Promise<void> {
    const revoked = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('key_hash')
      .executeTakeFirst();
    if (revoked && this.dialect === 'postgres') await Notifications.notify(this.db, REVOKED_KEYS_CHANNEL, revoked.key_hash);
  }

  async countActiveAdminKeys(tenant: Tenant): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', tenant.communityId)
      .where('kind', '=', 'admin')
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

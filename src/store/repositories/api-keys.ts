import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { Notifications } from '../notifications.js';
import type { ApiKeyRow, DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** The channel on which PostgreSQL tells every process the hash of a key just revoked. */
export const REVOKED_KEYS_CHANNEL = 'laurel_key_revoked';

export class ApiKeysRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  async findByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  }

  async list(tenant: Tenant): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().where('community_id', '=', tenant.communityId).orderBy('created_at', 'asc').execute();
  }

  async get(tenant: Tenant, id: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
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

import type { Kysely } from 'kysely';
import type { ApiKeyRow, DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class ApiKeysRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  async findByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  }

  async list(tenant: Tenant): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .execute();
  }

  async get(tenant: Tenant, id: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async revoke(tenant: Tenant, id: string, now: number): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
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

import { type Kysely, sql } from 'kysely';
import type { User } from '../../domain/user.js';
import type { Dialect } from '../dialect.js';
import { toUser, userColumns } from '../mappers.js';
import { oneOf } from '../one-of.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class UsersRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async get(tenant: Tenant, id: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async findMany(tenant: Tenant, ids: readonly string[]): Promise<Map<string, User>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where(oneOf(this.dialect, 'id', ids))
      .execute();
    return new Map(rows.map((r) => [r.id, toUser(r)]));
  }

  /** Writes users that are new or changed; new ones are inserted (and counted), the rest updated. */
  async save(tenant: Tenant, created: readonly User[], updated: readonly User[]): Promise<void> {
    if (created.length > 0) {
      await this.db
        .insertInto('users')
        .values(created.map((u) => ({ org_id: tenant.orgId, community_id: tenant.communityId, ...userColumns(u) })))
        .execute();
      await this.db
        .insertInto('community_user_counts')
        .values({ community_id: tenant.communityId, shard: countShard(created), users: created.length })
        .onConflict((oc) => oc.columns(['community_id', 'shard']).doUpdateSet({ users: sql`community_user_counts.users + excluded.users` }))
        .execute();
    }
    for (const u of updated) {
      const { id, created_at: _created, ...columns } = userColumns(u);
      await this.db.updateTable('users').set(columns).where('community_id', '=', tenant.communityId).where('id', '=', id).execute();
    }
  }

  /** How many users the community has (a kept count, not a scan). */
  async count(tenant: Tenant): Promise<number> {
    const row = await this.db
      .selectFrom('community_user_counts')
      .select((eb) => eb.fn.sum<number>('users').as('n'))
      .where('community_id', '=', tenant.communityId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

const COUNT_SHARDS = 16;

/** The count row a transaction creating these users adds to: spread by user id, stable for retries. */
export function countShard(created: readonly User[]): number {
  const id = created[0]?.id ?? '';
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % COUNT_SHARDS;
}

import type { Kysely } from 'kysely';
import type { User } from '../../domain/user.js';
import { toUser } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class UsersRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async get(tenant: Tenant, id: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row);
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

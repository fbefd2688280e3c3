import type { Kysely } from 'kysely';
import { type StoredStreak, streakColumns, toStreak } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class StreaksRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async list(tenant: Tenant): Promise<StoredStreak[]> {
    const rows = await this.db
      .selectFrom('streaks')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .orderBy('key', 'asc')
      .execute();
    return rows.map(toStreak);
  }

  async insert(tenant: Tenant, streak: StoredStreak): Promise<void> {
    await this.db
      .insertInto('streaks')
      .values({ org_id: tenant.orgId, community_id: tenant.communityId, ...streakColumns(streak) })
      .execute();
  }

  async update(tenant: Tenant, streak: StoredStreak): Promise<void> {
    const { id, created_at: _created, key: _key, ...columns } = streakColumns(streak);
    await this.db.updateTable('streaks').set(columns).where('community_id', '=', tenant.communityId).where('id', '=', id).execute();
  }

  /** Makes one streak the community's primary one (there is at most one). */
  async makePrimary(tenant: Tenant, streakId: string): Promise<void> {
    await this.db
      .updateTable('streaks')
      .set({ is_primary: 0 })
      .where('community_id', '=', tenant.communityId)
      .where('id', '!=', streakId)
      .execute();
  }
}

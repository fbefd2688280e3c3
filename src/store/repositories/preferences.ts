import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class PreferencesRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async get(tenant: Tenant, userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('user_preferences')
      .select('notifications')
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.notifications ?? null;
  }

  async save(tenant: Tenant, userId: string, notifications: string, now: number): Promise<void> {
    await this.db
      .insertInto('user_preferences')
      .values({ org_id: tenant.orgId, community_id: tenant.communityId, user_id: userId, notifications, updated_at: now })
      .onConflict((oc) => oc.columns(['community_id', 'user_id']).doUpdateSet({ notifications, updated_at: now }))
      .execute();
  }
}

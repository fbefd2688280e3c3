import type { Kysely } from 'kysely';
import type { Achievement } from '../../domain/achievement.js';
import { achievementColumns, toAchievement } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface AchievementStats {
  /** Users holding it (any tier, any completion). */
  completions: number;
  /** Award rows: tiers and repeats each count. */
  unlocks: number;
}

export class AchievementsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async list(tenant: Tenant): Promise<Achievement[]> {
    const rows = await this.db
      .selectFrom('achievements')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .orderBy('key', 'asc')
      .execute();
    return rows.map(toAchievement);
  }

  async getByKey(tenant: Tenant, key: string): Promise<Achievement | undefined> {
    const row = await this.db
      .selectFrom('achievements')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && toAchievement(row);
  }

  async insert(tenant: Tenant, achievement: Achievement): Promise<void> {
    await this.db
      .insertInto('achievements')
      .values({ org_id: tenant.orgId, community_id: tenant.communityId, ...achievementColumns(achievement) })
      .execute();
    await this.db
      .insertInto('achievement_stats')
      .values({
        achievement_id: achievement.id,
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        completions: 0,
        unlocks: 0,
      })
      .execute();
  }

  async update(tenant: Tenant, achievement: Achievement): Promise<void> {
    const { id, created_at: _created, key: _key, ...columns } = achievementColumns(achievement);
    await this.db.updateTable('achievements').set(columns).where('community_id', '=', tenant.communityId).where('id', '=', id).execute();
  }

  async stats(tenant: Tenant): Promise<Map<string, AchievementStats>> {
    const rows = await this.db
      .selectFrom('achievement_stats')
      .select(['achievement_id', 'completions', 'unlocks'])
      .where('community_id', '=', tenant.communityId)
      .execute();
    return new Map(rows.map((r) => [r.achievement_id, { completions: r.completions, unlocks: r.unlocks }]));
  }
}

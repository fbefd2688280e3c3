import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface PointsAwardRecord {
  id: string;
  systemId: string;
  amount: number;
  totalAfter: number;
  triggerType: 'achievement';
  triggerId: string | null;
  awardId: string | null;
  createdAt: number;
}

export class PointsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async totals(tenant: Tenant, userId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('user_points')
      .select(['system_id', 'total'])
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .execute();
    return new Map(rows.map((r) => [r.system_id, r.total]));
  }

  async recentAwards(tenant: Tenant, userId: string, systemId: string, limit: number): Promise<PointsAwardRecord[]> {
    const rows = await this.db
      .selectFrom('points_awards')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .where('system_id', '=', systemId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      systemId: r.system_id,
      amount: r.amount,
      totalAfter: r.total_after,
      triggerType: r.trigger_type,
      triggerId: r.trigger_id,
      awardId: r.award_id,
      createdAt: r.created_at,
    }));
  }
}

import { type Kysely, sql } from 'kysely';
import { userAttributesMatch } from '../json-sql.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface PointsAwardRecord {
  id: string;
  systemId: string;
  amount: number;
  totalAfter: number;
  triggerType: 'reward' | 'metric' | 'achievement' | 'streak' | 'user_creation';
  triggerId: string | null;
  awardId: string | null;
  createdAt: number;
}

export class PointsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  /** Every user of the community (matching the attributes) with their total, 0 for none. */
  private usersWithTotals(tenant: Tenant, systemId: string, attributes: Record<string, string>) {
    const filter = userAttributesMatch(this.dialect, attributes);
    return sql`
      select u.id, coalesce(p.total, 0) as total from users u
      left join user_points p on p.community_id = u.community_id and p.user_id = u.id and p.system_id = ${systemId}
      where u.community_id = ${tenant.communityId} ${filter ? sql`and ${filter}` : sql``}`;
  }

  async highestTotal(tenant: Tenant, systemId: string, attributes: Record<string, string>): Promise<number> {
    const result = await sql<{
      highest: number | null;
    }>`select max(total) as highest from (${this.usersWithTotals(tenant, systemId, attributes)}) t`.execute(this.db);
    return Number(result.rows[0]?.highest ?? 0);
  }

  /** Users per range of `width` points, by range index. */
  async countByRange(tenant: Tenant, systemId: string, width: number, attributes: Record<string, string>): Promise<Map<number, number>> {
    const bucket = this.dialect === 'postgres' ? sql`floor(total / ${width})::int` : sql`cast(total / ${width} as integer)`;
    const result = await sql<{ bucket: number; users: number }>`
      select ${bucket} as bucket, count(*) as users from (${this.usersWithTotals(tenant, systemId, attributes)}) t group by 1`.execute(
      this.db,
    );
    return new Map(result.rows.map((r) => [Number(r.bucket), Number(r.users)]));
  }

  async totals(tenant: Tenant, userId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('user_points')
      .select(['system_id', 'total'])
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .execute();
    return new Map(rows.map((r) => [r.system_id, r.total]));
  }

  /** A user's awards in one system from `since` on (for summaries over a bounded range). */
  async awardsSince(tenant: Tenant, userId: string, systemId: string, since: number): Promise<{ amount: number; createdAt: number }[]> {
    const rows = await this.db
      .selectFrom('points_awards')
      .select(['amount', 'created_at'])
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .where('system_id', '=', systemId)
      .where('created_at', '>=', since)
      .execute();
    return rows.map((r) => ({ amount: r.amount, createdAt: r.created_at }));
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

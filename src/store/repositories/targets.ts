import type { Kysely } from 'kysely';
import type { Target } from '../../domain/goals.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class TargetsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async save(tenant: Tenant, userId: string, metricId: string, target: Target, now: number): Promise<void> {
    await this.db
      .insertInto('user_targets')
      .values({
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        user_id: userId,
        metric_id: metricId,
        value: target.value,
        per: target.per,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['community_id', 'user_id', 'metric_id']).doUpdateSet({ value: target.value, per: target.per, updated_at: now }),
      )
      .execute();
  }

  async forUser(tenant: Tenant, userId: string): Promise<{ metricId: string; value: number; per: Target['per']; updatedAt: number }[]> {
    const rows = await this.db
      .selectFrom('user_targets')
      .select(['metric_id', 'value', 'per', 'updated_at'])
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => ({ metricId: r.metric_id, value: r.value, per: r.per, updatedAt: r.updated_at }));
  }

  async remove(tenant: Tenant, userId: string, metricId: string): Promise<number> {
    const result = await this.db
      .deleteFrom('user_targets')
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .where('metric_id', '=', metricId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

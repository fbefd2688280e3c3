import type { Kysely } from 'kysely';
import type { Metric } from '../../domain/metric.js';
import { metricColumns, toMetric } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class MetricsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async list(tenant: Tenant): Promise<Metric[]> {
    const rows = await this.db
      .selectFrom('metrics')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .orderBy('key', 'asc')
      .execute();
    return rows.map(toMetric);
  }

  async getByKey(tenant: Tenant, key: string): Promise<Metric | undefined> {
    const row = await this.db
      .selectFrom('metrics')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && toMetric(row);
  }

  /**
   * Inserts metrics that do not exist yet and returns every one of them as stored: when two
   * requests create the same metric at once, both get the row that won.
   */
  async ensure(tenant: Tenant, metrics: readonly Metric[]): Promise<Metric[]> {
    if (metrics.length === 0) return [];
    await this.db
      .insertInto('metrics')
      .values(metrics.map((m) => ({ org_id: tenant.orgId, community_id: tenant.communityId, ...metricColumns(m) })))
      .onConflict((oc) => oc.columns(['community_id', 'key']).doNothing())
      .execute();
    const rows = await this.db
      .selectFrom('metrics')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where(
        'key',
        'in',
        metrics.map((m) => m.key),
      )
      .execute();
    return rows.map(toMetric);
  }

  async insert(tenant: Tenant, metric: Metric): Promise<void> {
    await this.db
      .insertInto('metrics')
      .values({ org_id: tenant.orgId, community_id: tenant.communityId, ...metricColumns(metric) })
      .execute();
  }

  async update(tenant: Tenant, metric: Metric): Promise<void> {
    const { id, created_at: _created, ...columns } = metricColumns(metric);
    await this.db.updateTable('metrics').set(columns).where('community_id', '=', tenant.communityId).where('id', '=', id).execute();
  }
}

import type { Kysely } from 'kysely';
import type { PointsTrigger } from '../../domain/points-triggers.js';
import { parseJson } from '../mappers.js';
import type { DB, PointsTriggerRow } from '../schema.js';
import type { Tenant } from '../tenant.js';

function toTrigger(r: PointsTriggerRow): PointsTrigger {
  return {
    id: r.id,
    systemId: r.system_id,
    type: r.type,
    points: r.points,
    metricId: r.metric_id,
    metricThreshold: r.metric_threshold,
    achievementId: r.achievement_id,
    streakLength: r.streak_length,
    eventFilter: parseJson(r.event_filter, {}),
    userFilter: parseJson(r.user_filter, {}),
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function columns(t: PointsTrigger) {
  return {
    system_id: t.systemId,
    type: t.type,
    points: t.points,
    metric_id: t.metricId,
    metric_threshold: t.metricThreshold,
    achievement_id: t.achievementId,
    streak_length: t.streakLength,
    event_filter: JSON.stringify(t.eventFilter),
    user_filter: JSON.stringify(t.userFilter),
    status: t.status,
    updated_at: t.updatedAt,
  };
}

export class PointsTriggersRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async list(tenant: Tenant): Promise<PointsTrigger[]> {
    const rows = await this.db
      .selectFrom('points_triggers')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toTrigger);
  }

  async insert(tenant: Tenant, trigger: PointsTrigger): Promise<void> {
    await this.db
      .insertInto('points_triggers')
      .values({
        id: trigger.id,
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        created_at: trigger.createdAt,
        ...columns(trigger),
      })
      .execute();
  }

  async update(tenant: Tenant, trigger: PointsTrigger): Promise<void> {
    await this.db
      .updateTable('points_triggers')
      .set(columns(trigger))
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', trigger.id)
      .execute();
  }
}

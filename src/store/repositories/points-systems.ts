import type { Kysely } from 'kysely';
import type { PointsSystem } from '../../domain/points.js';
import { toLevel, toPointsSystem } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class PointsSystemsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async list(tenant: Tenant): Promise<PointsSystem[]> {
    const [systems, levels] = await Promise.all([
      this.db
        .selectFrom('points_systems')
        .selectAll()
        .where('community_id', '=', tenant.communityId)
        .orderBy('created_at', 'asc')
        .execute(),
      this.db.selectFrom('points_levels').selectAll().where('community_id', '=', tenant.communityId).execute(),
    ]);
    return systems.map((s) => toPointsSystem(s, levels.filter((l) => l.system_id === s.id).map(toLevel)));
  }

  async insert(tenant: Tenant, system: PointsSystem, now: number): Promise<void> {
    await this.db
      .insertInto('points_systems')
      .values({
        id: system.id,
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        key: system.key,
        name: system.name,
        description: system.description,
        badge_url: system.badgeUrl,
        max_points: system.maxPoints,
        kind: system.kind,
        status: system.status,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await this.replaceLevels(tenant, system);
  }

  async update(tenant: Tenant, system: PointsSystem, now: number): Promise<void> {
    await this.db
      .updateTable('points_systems')
      .set({
        name: system.name,
        description: system.description,
        badge_url: system.badgeUrl,
        max_points: system.maxPoints,
        kind: system.kind,
        status: system.status,
        updated_at: now,
      })
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', system.id)
      .execute();
    await this.replaceLevels(tenant, system);
  }

  private async replaceLevels(tenant: Tenant, system: PointsSystem): Promise<void> {
    await this.db.deleteFrom('points_levels').where('system_id', '=', system.id).execute();
    if (system.levels.length === 0) return;
    await this.db
      .insertInto('points_levels')
      .values(
        system.levels.map((l) => ({
          id: l.id,
          org_id: tenant.orgId,
          community_id: tenant.communityId,
          system_id: system.id,
          key: l.key,
          name: l.name,
          description: l.description,
          badge_url: l.badgeUrl,
          points: l.points,
        })),
      )
      .execute();
  }
}

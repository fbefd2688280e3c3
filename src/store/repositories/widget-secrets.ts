/** Each community's widget-token signing secret. */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface WidgetSecret {
  orgId: string;
  communityId: string;
  /** Hex of 32 random bytes. */
  secret: string;
  rotatedAt: number;
}

export class WidgetSecretsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The community's secret, made from `fresh` by the first process that asks. */
  async ensure(tenant: Tenant, fresh: string, now: number): Promise<WidgetSecret> {
    await this.db
      .insertInto('widget_secrets')
      .values({ community_id: tenant.communityId, org_id: tenant.orgId, secret: fresh, rotated_at: now })
      .onConflict((oc) => oc.column('community_id').doNothing())
      .execute();
    return (await this.find(tenant.communityId)) as WidgetSecret;
  }

  /** The community's secret; undefined when it never minted a token. */
  async find(communityId: string): Promise<WidgetSecret | undefined> {
    const row = await this.db.selectFrom('widget_secrets').selectAll().where('community_id', '=', communityId).executeTakeFirst();
    return row && { orgId: row.org_id, communityId: row.community_id, secret: row.secret, rotatedAt: Number(row.rotated_at) };
  }

  /** Replaces the community's secret (or makes its first). */
  async rotate(tenant: Tenant, fresh: string, now: number): Promise<WidgetSecret> {
    await this.db
      .insertInto('widget_secrets')
      .values({ community_id: tenant.communityId, org_id: tenant.orgId, secret: fresh, rotated_at: now })
      .onConflict((oc) => oc.column('community_id').doUpdateSet({ secret: fresh, rotated_at: now }))
      .execute();
    return { orgId: tenant.orgId, communityId: tenant.communityId, secret: fresh, rotatedAt: now };
  }
}

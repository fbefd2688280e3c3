/** A community's webhooks. Deleting one deletes its delivery log with it. */
import type { Kysely, Selectable } from 'kysely';
import type { Webhook } from '../../domain/webhook.js';
import type { DB, WebhooksTable } from '../schema.js';
import type { Tenant } from '../tenant.js';

function toWebhook(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    orgId: row.org_id,
    communityId: row.community_id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === 1,
    secret: row.secret,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class WebhooksRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(webhook: Webhook): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({
        id: webhook.id,
        org_id: webhook.orgId,
        community_id: webhook.communityId,
        url: webhook.url,
        description: webhook.description,
        event_types: JSON.stringify(webhook.eventTypes),
        enabled: webhook.enabled ? 1 : 0,
        secret: webhook.secret,
        created_at: webhook.createdAt,
        updated_at: webhook.updatedAt,
      })
      .execute();
  }

  /** Changes what an admin may change (never the secret). */
  async update(webhook: Webhook): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({
        url: webhook.url,
        description: webhook.description,
        event_types: JSON.stringify(webhook.eventTypes),
        enabled: webhook.enabled ? 1 : 0,
        updated_at: webhook.updatedAt,
      })
      .where('community_id', '=', webhook.communityId)
      .where('id', '=', webhook.id)
      .execute();
  }

  async list(tenant: Tenant): Promise<Webhook[]> {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('org_id', '=', tenant.orgId)
      .where('community_id', '=', tenant.communityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toWebhook);
  }

  async get(tenant: Tenant, id: string): Promise<Webhook | undefined> {
    const row = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('org_id', '=', tenant.orgId)
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toWebhook(row);
  }

  /** Deletes a webhook and its deliveries; false when there was none. */
  async delete(tenant: Tenant, id: string): Promise<boolean> {
    await this.db.deleteFrom('webhook_deliveries').where('community_id', '=', tenant.communityId).where('webhook_id', '=', id).execute();
    const result = await this.db
      .deleteFrom('webhooks')
      .where('org_id', '=', tenant.orgId)
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

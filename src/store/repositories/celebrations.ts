/** The outbox as a member's celebrations: their announcements of some types, and which they have seen. */
import { type Kysely, sql } from 'kysely';
import type { CelebrationNews } from '../celebration-news.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

/** An announcement as a celebration: what happened, when, and its body. */
export interface Announcement {
  id: string;
  type: string;
  payload: unknown;
  createdAt: number;
}

export class CelebrationsRepository {
  /** `news`: the transaction's, null outside a transaction. */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly news: CelebrationNews | null,
  ) {}

  /** Says these members got new celebrations in this transaction: open streams hear of it once it commits. */
  announce(tenant: Tenant, userIds: readonly string[]): void {
    if (!this.news) throw new Error('Celebrations are announced by the transaction that writes them');
    this.news.add(tenant, userIds);
  }

  /** The user's announcements of these types not marked seen, oldest first, after `afterId` (exclusive). */
  async unseen(tenant: Tenant, userId: string, types: readonly string[], afterId: string | null, limit: number): Promise<Announcement[]> {
    let query = this.db
      .selectFrom('outbox as o')
      .select(['o.id', 'o.type', 'o.payload', 'o.created_at'])
      .where('o.community_id', '=', tenant.communityId)
      .where('o.user_id', '=', userId)
      .where('o.type', 'in', types)
      .where('o.backfilled', '=', 0)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('celebrations_seen as s')
              .select('s.outbox_id')
              .whereRef('s.community_id', '=', 'o.community_id')
              .whereRef('s.user_id', '=', 'o.user_id')
              .whereRef('s.outbox_id', '=', 'o.id'),
          ),
        ),
      );
    if (afterId !== null) query = query.where('o.id', '>', afterId);
    const rows = await query.orderBy('o.id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, type: r.type, payload: JSON.parse(r.payload), createdAt: r.created_at }));
  }

  /**
   * One announcement of these types by id, in whatever community (a share page has no tenant: the
   * id, unguessable, is the authority); never a backfilled one.
   */
  async findShared(id: string, types: readonly string[]): Promise<(Announcement & { tenant: Tenant; userId: string }) | undefined> {
    const row = await this.db
      .selectFrom('outbox')
      .select(['id', 'org_id', 'community_id', 'user_id', 'type', 'payload', 'created_at'])
      .where('id', '=', id)
      .where('type', 'in', types)
      .where('backfilled', '=', 0)
      .where('user_id', 'is not', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      type: row.type,
      payload: JSON.parse(row.payload),
      createdAt: row.created_at,
      tenant: { orgId: row.org_id, communityId: row.community_id },
      userId: row.user_id as string,
    };
  }

  /** Marks the user's own announcements among `ids` seen; returns how many were newly marked. */
  async markSeen(tenant: Tenant, userId: string, ids: readonly string[], now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .insertInto('celebrations_seen')
      .columns(['org_id', 'community_id', 'user_id', 'outbox_id', 'seen_at'])
      .expression((eb) =>
        eb
          .selectFrom('outbox')
          // A parameter in a select list has no type for PostgreSQL to infer.
          .select(['org_id', 'community_id', 'user_id', 'id', sql<number>`cast(${now} as bigint)`.as('seen_at')])
          .where('community_id', '=', tenant.communityId)
          .where('user_id', '=', userId)
          .where('id', 'in', ids),
      )
      .onConflict((oc) => oc.columns(['community_id', 'user_id', 'outbox_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }
}

/**
 * Emails on unlock: the fan-out reads outbox rows it has not looked at yet (its own marker,
 * `email_checked_at`), queues one email per unlock worth one, and marks the rows looked at. Senders
 * claim due emails under a lease (PostgreSQL: FOR UPDATE SKIP LOCKED) and record the outcome only
 * while their lease holds, as webhook deliveries do.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { DB } from '../schema.js';

export interface UncheckedEvent {
  id: string;
  orgId: string;
  communityId: string;
  type: string;
  userId: string | null;
  backfilled: boolean;
  payload: string;
}

export interface QueuedEmail {
  id: string;
  orgId: string;
  communityId: string;
  outboxId: string;
  userId: string;
  toAddress: string;
}

export interface ClaimedEmail {
  id: string;
  orgId: string;
  communityId: string;
  userId: string;
  toAddress: string;
  attempts: number;
  createdAt: number;
  /** The lease's end, and its token: outcomes are recorded only while it is the row's. */
  lockedUntil: number;
  /** The outbox event's JSON text. */
  payload: string;
}

export type EmailOutcome = { sent: true; at: number } | { sent: false; error: string; at: number; retryAt: number | null };

export class EmailsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Up to `limit` outbox events the email fan-out has not looked at, oldest first. */
  async unchecked(limit: number): Promise<UncheckedEvent[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['id', 'org_id', 'community_id', 'type', 'user_id', 'backfilled', 'payload'])
      .where('email_checked_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      communityId: r.community_id,
      type: r.type,
      userId: r.user_id,
      backfilled: Boolean(r.backfilled),
      payload: r.payload,
    }));
  }

  /**
   * Queues `emails` (once per outbox event: a second process looking at the same events adds
   * nothing) and marks `checked` looked at.
   */
  async queue(emails: readonly QueuedEmail[], checked: readonly string[], now: number): Promise<void> {
    if (emails.length > 0) {
      await this.db
        .insertInto('email_deliveries')
        .values(
          emails.map((e) => ({
            id: e.id,
            org_id: e.orgId,
            community_id: e.communityId,
            outbox_id: e.outboxId,
            user_id: e.userId,
            to_address: e.toAddress,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.column('outbox_id').doNothing())
        .execute();
    }
    if (checked.length > 0) await this.db.updateTable('outbox').set({ email_checked_at: now }).where('id', 'in', checked).execute();
  }

  /** Claims up to `limit` due pending emails and leases them until `now + leaseMs`. */
  async claim(now: number, leaseMs: number, limit: number): Promise<ClaimedEmail[]> {
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const lockedUntil = now + leaseMs;
    const claimed = await sql<{ id: string }>`
      update email_deliveries set locked_until = ${lockedUntil}
      where id in (
        select e.id from email_deliveries e
        where e.status = 'pending' and e.next_attempt_at <= ${now} and (e.locked_until is null or e.locked_until < ${now})
        order by e.next_attempt_at
        limit ${limit}
        ${lock})
      returning id`.execute(this.db);
    const ids = claimed.rows.map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('email_deliveries as e')
      .innerJoin('outbox as o', 'o.id', 'e.outbox_id')
      .select(['e.id', 'e.org_id', 'e.community_id', 'e.user_id', 'e.to_address', 'e.attempts', 'e.created_at', 'o.payload'])
      .where('e.id', 'in', ids)
      .where('e.locked_until', '=', lockedUntil)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      communityId: r.community_id,
      userId: r.user_id,
      toAddress: r.to_address,
      attempts: r.attempts,
      createdAt: Number(r.created_at),
      lockedUntil,
      payload: r.payload,
    }));
  }

  /** Records one attempt; false when the claim ran out meanwhile (nothing recorded). */
  async record(claim: ClaimedEmail, outcome: EmailOutcome): Promise<boolean> {
    const status = outcome.sent ? 'sent' : outcome.retryAt === null ? 'dead' : 'pending';
    const result = await this.db
      .updateTable('email_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        locked_until: null,
        status,
        last_error: outcome.sent ? null : outcome.error,
        sent_at: outcome.sent ? outcome.at : null,
        ...(outcome.sent || outcome.retryAt === null ? {} : { next_attempt_at: outcome.retryAt }),
      }))
      .where('id', '=', claim.id)
      .where('locked_until', '=', claim.lockedUntil)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes sent and dead emails queued before `before`. */
  async prune(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('email_deliveries')
      .where('status', 'in', ['sent', 'dead'])
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The install's secret named `name`, made (random) by the first process that asks. */
  async secret(name: string, fresh: string): Promise<string> {
    await this.db
      .insertInto('install_secrets')
      .values({ name, secret: fresh })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('install_secrets').select('secret').where('name', '=', name).executeTakeFirstOrThrow();
    return row.secret;
  }
}

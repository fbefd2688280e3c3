/**
 * Streaks whose loss is due to be announced: points whose `lost_at` has come. Ingest keeps
 * `lost_at` only on the latest point of a running streak (and on the last point of a lost one until
 * the sweep announces it), so the partial index `user_streak_points_losing` holds about one row per
 * running streak and a sweep reads only the rows whose time has come.
 */
import { type Kysely, sql } from 'kysely';
import type { StreakPoint } from '../../domain/streaks.js';
import type { Dialect } from '../dialect.js';
import { toStreakPoint } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface PendingLoss {
  userId: string;
  streakId: string;
  point: StreakPoint;
  lostAt: number;
}

/** Where a page of pending losses ended: the next page starts after it. */
export type LossCursor = Pick<PendingLoss, 'userId' | 'streakId' | 'lostAt'> & { period: number };

export class StreakLossesRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Points whose `lost_at` is after `from` and at or before `to`, in `lost_at` order, one page. */
  async due(tenant: Tenant, from: number, to: number, after: LossCursor | null, limit: number): Promise<PendingLoss[]> {
    const rows = await this.db
      .selectFrom('user_streak_points')
      .selectAll()
      .where('community_id', '=', tenant.communityId)
      .where('lost_at', '>', from)
      .where('lost_at', '<=', to)
      .$if(after !== null, (q) => {
        const a = after as LossCursor;
        return q.where(sql<boolean>`(lost_at, user_id, streak_id, period) > (${a.lostAt}, ${a.userId}, ${a.streakId}, ${a.period})`);
      })
      .orderBy('lost_at')
      .orderBy('user_id')
      .orderBy('streak_id')
      .orderBy('period')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ userId: r.user_id, streakId: r.streak_id, point: toStreakPoint(r), lostAt: Number(r.lost_at) }));
  }

  /**
   * Each user's latest point of a streak, for a page of users after `afterUserId` in id order, with
   * its `lost_at` (the one-off fill of points written before `lost_at` existed).
   */
  async latest(
    tenant: Tenant,
    streakId: string,
    afterUserId: string,
    limit: number,
  ): Promise<{ userId: string; point: StreakPoint; lostAt: number | null }[]> {
    const c = tenant.communityId;
    const result = await sql<Parameters<typeof toStreakPoint>[0] & { user_id: string; lost_at: number | null }>`
      select p.* from (
        select user_id, max(period) as period from user_streak_points
        where community_id = ${c} and streak_id = ${streakId} and user_id > ${afterUserId}
        group by user_id order by user_id limit ${limit}
      ) last
      join user_streak_points p on p.community_id = ${c} and p.user_id = last.user_id and p.streak_id = ${streakId} and p.period = last.period
      order by p.user_id`.execute(this.db);
    return result.rows.map((r) => ({
      userId: r.user_id,
      point: toStreakPoint(r),
      lostAt: r.lost_at === null ? null : Number(r.lost_at),
    }));
  }

  /** Sets `lost_at` on points that have none. */
  async fill(tenant: Tenant, streakId: string, points: readonly { userId: string; period: number; lostAt: number }[]): Promise<void> {
    for (const p of points) {
      await this.db
        .updateTable('user_streak_points')
        .set({ lost_at: p.lostAt })
        .where('community_id', '=', tenant.communityId)
        .where('user_id', '=', p.userId)
        .where('streak_id', '=', streakId)
        .where('period', '=', p.period)
        .where('lost_at', 'is', null)
        .execute();
    }
  }

  /**
   * Clears the `lost_at` of losses about to be announced, and answers those it cleared: a loss
   * another sweep announced meanwhile, or whose streak an event extended, is no longer there.
   */
  async claim(tenant: Tenant, losses: readonly PendingLoss[]): Promise<PendingLoss[]> {
    if (losses.length === 0) return [];
    const key = (userId: string, streakId: string, period: number) => `${userId}\u0000${streakId}\u0000${period}`;
    const cleared = new Set<string>();
    if (this.dialect === 'postgres') {
      // Rows are locked in key order first, so that two sweeps claiming the same rows wait on each
      // other instead of deadlocking; the one that waited finds them cleared.
      const result = await sql<{ user_id: string; streak_id: string; period: number }>`
        update user_streak_points p set lost_at = null
        from (
          select q.user_id, q.streak_id, q.period from user_streak_points q
          join unnest(${losses.map((l) => l.userId)}::text[], ${losses.map((l) => l.streakId)}::text[],
                      ${losses.map((l) => l.point.period)}::int[], ${losses.map((l) => l.lostAt)}::int8[])
            as x(user_id, streak_id, period, lost_at)
            on q.user_id = x.user_id and q.streak_id = x.streak_id and q.period = x.period and q.lost_at = x.lost_at
          where q.community_id = ${tenant.communityId}
          order by q.user_id, q.streak_id, q.period
          for update of q
        ) l
        where p.community_id = ${tenant.communityId} and p.user_id = l.user_id and p.streak_id = l.streak_id and p.period = l.period
        returning p.user_id, p.streak_id, p.period`.execute(this.db);
      for (const r of result.rows) cleared.add(key(r.user_id, r.streak_id, r.period));
    } else {
      for (const l of losses) {
        const result = await this.db
          .updateTable('user_streak_points')
          .set({ lost_at: null })
          .where('community_id', '=', tenant.communityId)
          .where('user_id', '=', l.userId)
          .where('streak_id', '=', l.streakId)
          .where('period', '=', l.point.period)
          .where('lost_at', '=', l.lostAt)
          .executeTakeFirst();
        if (result.numUpdatedRows > 0n) cleared.add(key(l.userId, l.streakId, l.point.period));
      }
    }
    return losses.filter((l) => cleared.has(key(l.userId, l.streakId, l.point.period)));
  }
}

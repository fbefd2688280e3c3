import type { Kysely } from 'kysely';
import type { StreakPoint } from '../../domain/streaks.js';
import { toStreakPoint } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export class StreakRankingsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Each user's longest streak ever, longest first. */
  async longest(tenant: Tenant, streakId: string, limit: number): Promise<{ userId: string; length: number }[]> {
    const rows = await this.db
      .selectFrom('user_streak_points')
      .select(['user_id', (eb) => eb.fn.max('length').as('length')])
      .where('community_id', '=', tenant.communityId)
      .where('streak_id', '=', streakId)
      .groupBy('user_id')
      .orderBy('length', 'desc')
      .orderBy('user_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ userId: r.user_id, length: Number(r.length) }));
  }

  /** Each user's latest point, longest first, one page. */
  async latestByLength(
    tenant: Tenant,
    streakId: string,
    limit: number,
    offset: number,
  ): Promise<{ point: StreakPoint & { userId: string } }[]> {
    const rows = await this.db
      .selectFrom('user_streak_points as p')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('user_streak_points')
            .select(['user_id', (e) => e.fn.max('period').as('period')])
            .where('community_id', '=', tenant.communityId)
            .where('streak_id', '=', streakId)
            .groupBy('user_id')
            .as('last'),
        (join) => join.onRef('p.user_id', '=', 'last.user_id').onRef('p.period', '=', 'last.period'),
      )
      .selectAll('p')
      .where('p.community_id', '=', tenant.communityId)
      .where('p.streak_id', '=', streakId)
      .orderBy('p.length', 'desc')
      .orderBy('p.user_id')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => ({ point: { userId: r.user_id, ...toStreakPoint(r) } }));
  }
}

import type { Kysely } from 'kysely';
import type { AwardSource, Reward } from '../../domain/achievement.js';
import { parseJson } from '../mappers.js';
import type { DB } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface AwardRecord {
  id: string;
  userId: string;
  achievementId: string;
  tierKey: string;
  periodKey: string;
  achievedAt: number;
  eventId: string | null;
  source: AwardSource;
  backfilled: boolean;
  rewards: Reward[];
}

export interface ActivityCursor {
  achievedAt: number;
  id: string;
}

type AwardSelect = {
  id: string;
  user_id: string;
  achievement_id: string;
  tier_key: string;
  period_key: string;
  achieved_at: number;
  event_id: string | null;
  source: AwardRecord['source'];
  backfilled: number;
  rewards: string;
};

const COLUMNS = [
  'id',
  'user_id',
  'achievement_id',
  'tier_key',
  'period_key',
  'achieved_at',
  'event_id',
  'source',
  'backfilled',
  'rewards',
] as const;

function toRecord(r: AwardSelect): AwardRecord {
  return {
    id: r.id,
    userId: r.user_id,
    achievementId: r.achievement_id,
    tierKey: r.tier_key,
    periodKey: r.period_key,
    achievedAt: r.achieved_at,
    eventId: r.event_id,
    source: r.source,
    backfilled: r.backfilled === 1,
    rewards: parseJson(r.rewards, []),
  };
}

export class AwardsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Every award of one user, oldest first. */
  async forUser(tenant: Tenant, userId: string): Promise<AwardRecord[]> {
    const rows = await this.db
      .selectFrom('awards')
      .select(COLUMNS)
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .orderBy('achieved_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toRecord);
  }

  /** One user's awards, newest first, one page after the cursor. */
  async activity(tenant: Tenant, userId: string, limit: number, after: ActivityCursor | null): Promise<AwardRecord[]> {
    let query = this.db.selectFrom('awards').select(COLUMNS).where('community_id', '=', tenant.communityId).where('user_id', '=', userId);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('achieved_at', '<', after.achievedAt), eb.and([eb('achieved_at', '=', after.achievedAt), eb('id', '<', after.id)])]),
      );
    }
    const rows = await query.orderBy('achieved_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toRecord);
  }

  async byId(tenant: Tenant, id: string): Promise<AwardRecord | undefined> {
    const row = await this.db
      .selectFrom('awards')
      .select(COLUMNS)
      .where('community_id', '=', tenant.communityId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** The awards one grant run wrote (backfill or sweep), in id order, one page after `afterId`. */
  async ofRun(runId: string, limit: number, afterId: string | null): Promise<AwardRecord[]> {
    let query = this.db.selectFrom('awards').select(COLUMNS).where('backfill_run', '=', runId);
    if (afterId !== null) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(toRecord);
  }

  /** The achievement's awards of one user (to answer a repeated completion with the original). */
  async forUserAndAchievement(tenant: Tenant, userId: string, achievementId: string): Promise<AwardRecord[]> {
    const rows = await this.db
      .selectFrom('awards')
      .select(COLUMNS)
      .where('community_id', '=', tenant.communityId)
      .where('user_id', '=', userId)
      .where('achievement_id', '=', achievementId)
      .orderBy('achieved_at', 'asc')
      .execute();
    return rows.map(toRecord);
  }
}

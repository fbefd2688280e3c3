/**
 * Announces what a set-based grant wrote as real unlocks (the daily anniversary sweep): each award of
 * the run becomes an `achievement.completed` in the outbox, in the grant's transaction. Backfills are
 * silent and are not announced.
 */
import type { Achievement } from '../domain/achievement.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import { announcements } from './announcements.js';
import { announceCelebrations } from './celebrations.js';
import type { CommunityConfig } from './community-config.js';
import { achievementView, iso } from './presenters.js';
import type { UnlockView } from './unlock-recorder.js';

const PAGE = 1_000;

export async function announceRun(
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  achievement: Achievement,
  runId: string,
  now: number,
): Promise<number> {
  const view = achievementView(achievement, config, 'en');
  let announced = 0;
  for (let after: string | null = null; ; ) {
    const awards = await tx.awards.ofRun(runId, PAGE, after);
    if (awards.length === 0) return announced;
    const users = await tx.userState.findUsers(
      tenant,
      awards.map((a) => a.userId),
    );
    const happenings = awards.flatMap((award) => {
      const user = users.get(award.userId);
      if (!user) return [];
      const unlock: UnlockView = {
        ...view,
        achievedAt: iso(award.achievedAt),
        completionId: award.id,
        completionCount: 1,
        tier: null,
        rewards: award.rewards as UnlockView['rewards'],
        source: award.source,
      };
      return [{ user, achievements: [unlock], points: {}, extendedStreak: null }];
    });
    const records = announcements(config, happenings, now);
    await tx.outbox.append(tenant, records);
    announceCelebrations(tx, tenant, records);
    announced += records.length;
    after = (awards.at(-1) as { id: string }).id;
  }
}

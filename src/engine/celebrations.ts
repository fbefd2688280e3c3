/**
 * A member's celebrations: the outbox's announcements a person should see (unlocks, levels reached,
 * streak milestones), with what a pop-up needs, until the member's app acknowledges them.
 * Backfilled unlocks are never announced, so they never appear here.
 */
import type { Static } from 'typebox';
import type { CelebrationSchema } from '../api/schemas/celebration-view.js';
import { DEFAULT_CELEBRATION } from '../domain/achievement.js';
import { notFound } from '../domain/errors.js';
import type { Locale } from '../domain/locale.js';
import { shareText } from '../domain/share-text.js';
import type { Announcement } from '../store/repositories/celebrations.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import type { LevelView, StreakView } from './presenters.js';
import type { PointsChangeView, UnlockView } from './unlock-recorder.js';

export type CelebrationView = Static<typeof CelebrationSchema>;

/** The announcements that are celebrations. */
export const CELEBRATED = ['achievement.completed', 'points.level_changed', 'streak.milestone'] as const;

const PAGE = 100;

/** The member's unseen celebrations, oldest first, after `after` (an id already shown) when given. */
export async function listCelebrations(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: { after: string | null; locale: Locale },
): Promise<CelebrationView[]> {
  const repos = ctx.store.read;
  const [user, config] = await Promise.all([repos.users.get(tenant, userId), ctx.config.get(repos, tenant)]);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const announced = await repos.celebrations.unseen(tenant, userId, CELEBRATED, options.after, PAGE);
  return announced.flatMap((a) => celebration(a, config, options.locale) ?? []);
}

/** Marks celebrations seen; ids that are not the member's own are ignored. */
export async function acknowledgeCelebrations(ctx: EngineContext, tenant: Tenant, userId: string, ids: readonly string[]) {
  const repos = ctx.store.read;
  if (!(await repos.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  return { acknowledged: await repos.celebrations.markSeen(tenant, userId, ids, ctx.clock.now()) };
}

const base = (a: Announcement) => ({
  id: a.id,
  createdAt: new Date(a.createdAt).toISOString(),
  rewards: [],
  achievementKey: null,
  tierKey: null,
  pointsSystemKey: null,
  streakLength: null,
  message: null,
  badgeUrl: null,
  animation: DEFAULT_CELEBRATION.animation,
  sound: DEFAULT_CELEBRATION.sound,
  durationSeconds: DEFAULT_CELEBRATION.durationSeconds,
});

/** One announcement as a celebration, or null when its achievement's celebration is switched off. */
function celebration(a: Announcement, config: CommunityConfig, locale: Locale): CelebrationView | null {
  if (a.type === 'achievement.completed') {
    const { achievement } = a.payload as { achievement: UnlockView };
    const settings = config.rules.achievementsById.get(achievement.id)?.celebration ?? DEFAULT_CELEBRATION;
    if (!settings.enabled) return null;
    const tierBadge = achievement.tier ? achievement.tiers.find((t) => t.key === achievement.tier?.key)?.badgeUrl : null;
    return {
      ...base(a),
      kind: 'achievement',
      title: achievement.tier ? `${achievement.name}: ${achievement.tier.name}` : achievement.name,
      message: achievement.unlockMessage,
      badgeUrl: tierBadge ?? achievement.badgeUrl,
      animation: settings.animation,
      sound: settings.sound,
      durationSeconds: settings.durationSeconds,
      shareText: shareText({ kind: 'achievement', name: achievement.name }, locale),
      rewards: achievement.rewards,
      achievementKey: achievement.key,
      tierKey: achievement.tier?.key ?? null,
    };
  }
  if (a.type === 'points.level_changed') {
    const { points, newLevel } = a.payload as { points: Omit<PointsChangeView, 'awards'>; newLevel: LevelView };
    return {
      ...base(a),
      kind: 'level',
      title: newLevel.name,
      message: newLevel.description || null,
      badgeUrl: newLevel.badgeUrl ?? points.badgeUrl,
      shareText: shareText({ kind: 'level', level: newLevel.name, system: points.name }, locale),
      pointsSystemKey: points.key,
    };
  }
  const { streak } = a.payload as { streak: StreakView };
  const said = shareText({ kind: 'streak', length: streak.length, frequency: streak.frequency }, locale);
  return { ...base(a), kind: 'streak', title: said, shareText: said, streakLength: streak.length };
}

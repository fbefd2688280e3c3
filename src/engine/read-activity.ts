/** A user's achievement activity, newest first, page by page. */
import type { Static } from 'typebox';
import type { ActivityItemSchema, ActivityPageSchema } from '../api/schemas/activity-view.js';
import { invalid, notFound } from '../domain/errors.js';
import { type Locale, translated } from '../domain/locale.js';
import type { ActivityCursor } from '../store/repositories/awards.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { iso, type RewardView } from './presenters.js';

export type ActivityItem = Static<typeof ActivityItemSchema>;
export type ActivityPage = Static<typeof ActivityPageSchema>;

export async function userActivity(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: { limit: number; cursor?: string | undefined; locale: Locale },
): Promise<ActivityPage> {
  const repos = ctx.store.read;
  if (!(await repos.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const config = await ctx.config.get(repos, tenant);
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
  const rows = await repos.awards.activity(tenant, userId, options.limit + 1, after);
  const page = rows.slice(0, options.limit);
  const items = page.map((award): ActivityItem => {
    const a = config.rules.achievementsById.get(award.achievementId);
    const tier = a?.tiers.find((t) => t.key === award.tierKey);
    return {
      id: award.id,
      type: 'achievement_unlocked',
      achievedAt: iso(award.achievedAt),
      achievement: {
        id: award.achievementId,
        key: a?.key ?? award.achievementId,
        name: a ? translated(a.name, a.translations, options.locale, 'name') : award.achievementId,
        badgeUrl: tier?.badgeUrl ?? a?.badgeUrl ?? null,
      },
      tier: tier ? { key: tier.key, name: translated(tier.name, tier.translations, options.locale, 'name') } : null,
      rewards: award.rewards as RewardView[],
      source: award.source,
      backfilled: award.backfilled,
    };
  });
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > options.limit && last ? encodeCursor({ achievedAt: last.achievedAt, id: last.id }) : null,
  };
}

function encodeCursor(cursor: ActivityCursor): string {
  return Buffer.from(`${cursor.achievedAt}:${cursor.id}`).toString('base64url');
}

function decodeCursor(text: string): ActivityCursor {
  const [at, id] = Buffer.from(text, 'base64url').toString().split(':');
  const achievedAt = Number(at);
  if (!id || !Number.isFinite(achievedAt)) throw invalid('invalid_cursor', 'cursor is not one this API returned', 'cursor');
  return { achievedAt, id };
}

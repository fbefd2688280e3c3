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
import type { OutboxRecord } from '../store/ingest/ingest-store.js';
import type { Announcement } from '../store/repositories/celebrations.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { CommunityConfig } from './community-config.js';
import type { EngineContext } from './context.js';
import type { LevelView, StreakView } from './presenters.js';
import type { PointsChangeView, UnlockView } from './unlock-recorder.js';

export type CelebrationView = Static<typeof CelebrationSchema>;

/** The announcements that are celebrations. */
export const CELEBRATED = ['achievement.completed', 'points.level_changed', 'streak.milestone'] as const;

const PAGE = 100;

const celebrated = new Set<string>(CELEBRATED);

/**
 * Tells the members' open streams, once the transaction commits, that these outbox records (those
 * that are celebrations) are there to read. Called by every use case that writes the outbox, before
 * `tx.ingest.write` where it writes them that way: on PostgreSQL the write then carries the NOTIFY.
 */
export function announceCelebrations(tx: Repositories, tenant: Tenant, records: readonly OutboxRecord[]): void {
  const userIds = new Set<string>();
  for (const r of records) if (r.userId !== null && !r.backfilled && celebrated.has(r.type)) userIds.add(r.userId);
  tx.celebrations.announce(tenant, [...userIds]);
}

export interface CelebrationOptions {
  /** Only celebrations after this one (an id already shown). */
  after: string | null;
  locale: Locale;
  /** Where this Laurel is reached (`https://laurel.example.com`), for each celebration's share page. */
  shareBase: string;
}

/** The member's unseen celebrations, oldest first, after `after` (an id already shown) when given. */
export async function listCelebrations(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  options: CelebrationOptions,
): Promise<CelebrationView[]> {
  return (await unseenPage(ctx, await configOfUser(ctx, tenant, userId), tenant, userId, options)).celebrations;
}

/** The community's configuration, once the user is known to exist (404 otherwise): both in one wait. */
async function configOfUser(ctx: EngineContext, tenant: Tenant, userId: string): Promise<CommunityConfig> {
  const repos = ctx.store.read;
  const [user, config] = await Promise.all([repos.users.get(tenant, userId), ctx.config.get(repos, tenant)]);
  if (!user) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  return config;
}

/** One page of unseen celebrations, the id of the last announcement read, and whether more may follow. */
async function unseenPage(
  ctx: EngineContext,
  config: CommunityConfig,
  tenant: Tenant,
  userId: string,
  options: CelebrationOptions,
): Promise<{ celebrations: CelebrationView[]; last: string | null; more: boolean }> {
  const announced = await ctx.store.read.celebrations.unseen(tenant, userId, CELEBRATED, options.after, PAGE);
  return {
    celebrations: announced.flatMap((a) => celebration(a, config, options.locale, options.shareBase) ?? []),
    last: announced.at(-1)?.id ?? null,
    more: announced.length === PAGE,
  };
}

/** A stream's view of the configuration may be this old: the streams of a community share one check. */
const FEED_CONFIG_AGE_MS = 1_000;

/**
 * A member's celebrations as they come: the unseen ones, then each new one once, read when the
 * hub says the member may have new ones (see `CelebrationHub`), never on a timer of its own.
 */
export class CelebrationFeed {
  /** The last announcement read: only later ones are read next. */
  private after: string | null = null;
  private deliver: ((found: CelebrationView[]) => void) | null = null;
  private reading = false;
  /** Woken while reading (or before `start`): read again, the news may be about a later commit. */
  private again = false;
  private stopped = false;
  private first: CelebrationView[] = [];
  private readonly unfollow: () => void;

  private constructor(
    private readonly ctx: EngineContext,
    private readonly tenant: Tenant,
    private readonly userId: string,
    private readonly locale: Locale,
    private readonly shareBase: string,
  ) {
    this.unfollow = ctx.celebrations.follow(tenant, userId, () => this.wake());
  }

  /**
   * Follows a member; fails (404) for an unknown user. Following starts before the first read, so
   * a celebration committed meanwhile is read too.
   */
  static async open(ctx: EngineContext, tenant: Tenant, userId: string, options: CelebrationOptions): Promise<CelebrationFeed> {
    const feed = new CelebrationFeed(ctx, tenant, userId, options.locale, options.shareBase);
    try {
      const page = await unseenPage(ctx, await configOfUser(ctx, tenant, userId), tenant, userId, options);
      feed.first = page.celebrations;
      feed.after = page.last ?? options.after;
      if (page.more) feed.again = true;
    } catch (error) {
      feed.stop();
      throw error;
    }
    return feed;
  }

  /** Hands over the unseen celebrations now, then the new ones as they are read, each once. */
  start(deliver: (found: CelebrationView[]) => void): void {
    this.deliver = deliver;
    if (this.first.length > 0) deliver(this.first);
    this.first = [];
    if (this.again) void this.read();
  }

  stop(): void {
    this.stopped = true;
    this.unfollow();
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.reading || !this.deliver) {
      this.again = true;
      return;
    }
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.again = false;
        const repos = this.ctx.store.read;
        const config = await this.ctx.config.recent(repos, this.tenant, this.ctx.clock.now(), FEED_CONFIG_AGE_MS);
        const page = await unseenPage(this.ctx, config, this.tenant, this.userId, {
          after: this.after,
          locale: this.locale,
          shareBase: this.shareBase,
        });
        if (this.stopped) return;
        this.after = page.last ?? this.after;
        if (page.celebrations.length > 0) this.deliver?.(page.celebrations);
        if (page.more) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      // The next wake-up (news, or the safety poll) tries again.
      this.ctx.log.warn({ err: error }, 'Could not read celebrations for a stream');
    } finally {
      this.reading = false;
    }
  }
}

/** Marks celebrations seen; ids that are not the member's own are ignored. */
export async function acknowledgeCelebrations(ctx: EngineContext, tenant: Tenant, userId: string, ids: readonly string[]) {
  const repos = ctx.store.read;
  if (!(await repos.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  return { acknowledged: await repos.celebrations.markSeen(tenant, userId, ids, ctx.clock.now()) };
}

/** The public page showing one celebration (`GET /share/:id`). */
export function shareUrlOf(shareBase: string, id: string): string {
  return `${shareBase}/share/${encodeURIComponent(id)}`;
}

const base = (a: Announcement, shareBase: string) => ({
  id: a.id,
  shareUrl: shareUrlOf(shareBase, a.id),
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
export function celebration(a: Announcement, config: CommunityConfig, locale: Locale, shareBase: string): CelebrationView | null {
  if (a.type === 'achievement.completed') {
    const { achievement } = a.payload as { achievement: UnlockView };
    const settings = config.rules.achievementsById.get(achievement.id)?.celebration ?? DEFAULT_CELEBRATION;
    if (!settings.enabled) return null;
    const tierBadge = achievement.tier ? achievement.tiers.find((t) => t.key === achievement.tier?.key)?.badgeUrl : null;
    return {
      ...base(a, shareBase),
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
      ...base(a, shareBase),
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
  return { ...base(a, shareBase), kind: 'streak', title: said, shareText: said, streakLength: streak.length };
}

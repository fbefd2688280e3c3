import { localeOfTag } from '../domain/locale.js';
import { unlockEmail } from '../domain/unlock-email.js';
import { retryAt } from '../domain/webhook-retry.js';
import type { ClaimedEmail, EmailOutcome, QueuedEmail, UncheckedEvent } from '../store/repositories/emails.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { CommunityConfigCache } from './community-config.js';
import type { Logger } from './context.js';
import type { EmailSender } from './email-sender.js';
import { randomId } from './ids.js';
import { allowsChannel } from './manage-preferences.js';
import { PollingLoop } from './polling-loop.js';
import { achievementView } from './presenters.js';
import { unsubscribeToken } from './unsubscribe-token.js';

export interface EmailDeliveryOptions {
  /** Where links in emails point (the unsubscribe route, relative badge URLs). */
  publicUrl: string;
  pollMs: number;
  /** How long a claim holds an email; longer than a pass may take. */
  leaseMs: number;
  /** Emails sent at once, per process. */
  concurrency: number;
  /** Outbox events looked at per pass. */
  checkChunk: number;
  /** Sent and dead emails are deleted after this many days; 0 keeps them. */
  retentionDays: number;
  pruneEveryMs: number;
  /** In [0, 1): the jitter of retry pauses. */
  random: () => number;
}

interface UnlockPayload {
  user?: { id?: string };
  achievement?: { id?: string; name?: string; badgeUrl?: string | null; unlockMessage?: string | null; condition?: string | null };
}

export class EmailDeliverer {
  private readonly options: EmailDeliveryOptions;
  private lastPrune = Number.NEGATIVE_INFINITY;
  private readonly loop: PollingLoop;

  constructor(
    private readonly store: Store,
    private readonly config: CommunityConfigCache,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly sender: EmailSender,
    options: Partial<EmailDeliveryOptions> & { publicUrl: string },
  ) {
    this.options = {
      pollMs: 1_000,
      leaseMs: 90_000,
      concurrency: 4,
      checkChunk: 200,
      retentionDays: 30,
      pruneEveryMs: 3_600_000,
      random: Math.random,
      ...options,
    };
    this.loop = new PollingLoop(() => this.pass(), this.options.pollMs, log, 'Emails failed to queue or claim');
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.sender.close();
  }

  /** Looks and sends until nothing is due (tests use it). */
  async drain(): Promise<void> {
    await this.loop.drain();
  }

  private async pass(): Promise<boolean> {
    await this.pruneIfDue(this.clock.now());
    const checked = await this.fanOut();
    const claims = await this.store.read.emails.claim(this.clock.now(), this.options.leaseMs, this.options.concurrency);
    await Promise.all(claims.map((claim) => this.attempt(claim)));
    return checked > 0 || claims.length > 0;
  }

  private async pruneIfDue(now: number): Promise<void> {
    if (this.options.retentionDays === 0 || now - this.lastPrune < this.options.pruneEveryMs) return;
    this.lastPrune = now;
    const before = now - this.options.retentionDays * 86_400_000;
    const emails = await this.store.read.emails.prune(before);
    if (emails > 0) this.log.info({ emails, before: new Date(before).toISOString() }, 'Pruned email history');
  }

  private async fanOut(): Promise<number> {
    const events = await this.store.read.emails.unchecked(this.options.checkChunk);
    if (events.length === 0) return 0;
    const emails: QueuedEmail[] = [];
    for (const event of events) {
      const email = await this.emailFor(event);
      if (email) emails.push(email);
    }
    await this.store.read.emails.queue(
      emails,
      events.map((e) => e.id),
      this.clock.now(),
    );
    return events.length;
  }

  /** The email an event asks for, if any: checked against the achievement and the member as they are now. */
  private async emailFor(event: UncheckedEvent): Promise<QueuedEmail | null> {
    if (event.type !== 'achievement.completed' || event.backfilled || event.userId === null) return null;
    const repos = this.store.read;
    const tenant = { orgId: event.orgId, communityId: event.communityId };
    const achievementId = (JSON.parse(event.payload) as UnlockPayload).achievement?.id;
    const config = await this.config.get(repos, tenant);
    if (!achievementId || !config.rules.achievementsById.get(achievementId)?.emailOnUnlock) return null;
    const user = await repos.users.get(tenant, event.userId);
    if (!user?.email || !user.subscribeToEmails) return null;
    if (!allowsChannel(await repos.preferences.get(tenant, user.id), 'achievement_completed', 'email')) return null;
    return {
      id: randomId(),
      orgId: event.orgId,
      communityId: event.communityId,
      outboxId: event.id,
      userId: user.id,
      toAddress: user.email,
    };
  }

  private async attempt(claim: ClaimedEmail): Promise<void> {
    const tenant = { orgId: claim.orgId, communityId: claim.communityId };
    const repos = this.store.read;
    const [user, config] = await Promise.all([repos.users.get(tenant, claim.userId), this.config.get(repos, tenant)]);
    // In the member's language: the achievement's wording as it is now, the announcement's otherwise.
    const locale = localeOfTag(user?.locale ?? null);
    const announced = (JSON.parse(claim.payload) as UnlockPayload).achievement ?? {};
    const current = announced.id ? config.rules.achievementsById.get(announced.id) : undefined;
    const achievement = current ? { ...announced, ...pick(achievementView(current, config, locale)) } : announced;
    const token = await unsubscribeToken(repos, { tenant, userId: claim.userId });
    const unsubscribeUrl = new URL(`/v1/unsubscribe?token=${encodeURIComponent(token)}`, this.options.publicUrl).toString();
    const content = unlockEmail(
      {
        name: achievement.name ?? '',
        badgeUrl: achievement.badgeUrl ? new URL(achievement.badgeUrl, this.options.publicUrl).toString() : null,
        unlockMessage: achievement.unlockMessage ?? null,
        condition: achievement.condition ?? null,
        unsubscribeUrl,
      },
      locale,
    );
    const result = await this.sender.send({
      to: claim.toAddress,
      ...content,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    const at = this.clock.now();
    const outcome: EmailOutcome = result.ok
      ? { sent: true, at }
      : { sent: false, error: result.error, at, retryAt: retryAt(claim.attempts + 1, claim.createdAt, at, this.options.random()) };
    const held = await this.store.read.emails.record(claim, outcome);
    const about = { email: claim.id, user: claim.userId, attempt: claim.attempts + 1 };
    if (!held) this.log.warn(about, 'An email was sent after its claim ran out; its outcome is not recorded');
    else if (!outcome.sent && outcome.retryAt === null) this.log.warn({ ...about, error: outcome.error }, 'Email given up');
    else if (!outcome.sent) this.log.debug({ ...about, error: outcome.error }, 'Email failed; it will be retried');
  }
}

/** The wording an email takes from an achievement's current view (its badge stays the unlocked tier's). */
function pick(view: ReturnType<typeof achievementView>) {
  return { name: view.name, unlockMessage: view.unlockMessage, condition: view.condition };
}

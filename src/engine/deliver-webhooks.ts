import { retryAt } from '../domain/webhook-retry.js';
import type { AttemptOutcome, ClaimedDelivery } from '../store/repositories/deliveries.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Logger } from './context.js';
import { idPrefix } from './ids.js';
import { PollingLoop } from './polling-loop.js';
import type { WebhookSender } from './webhook-sender.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookDeliveryOptions {
  /** How often an idle process looks for new events and due deliveries. */
  pollMs: number;
  /** How long a claim holds a delivery; longer than a pass may take, so only a dead process's claims run out. */
  leaseMs: number;
  /** Deliveries sent at once, per process. */
  concurrency: number;
  /** Deliveries claimed per pass, as a multiple of `concurrency` (sent `concurrency` at a time). */
  waves: number;
  /** Outbox events fanned out per statement. */
  dispatchChunk: number;
  /** Delivered and dead deliveries, and events no delivery waits for, are deleted after this many days; 0 keeps them. */
  retentionDays: number;
  pruneEveryMs: number;
  /** In [0, 1): the jitter of retry pauses. */
  random: () => number;
}

/** Each pass sends at most this many waves of deliveries (fewer statements per delivery). */
const WAVES = 8;
/** A claim outlives its pass: 8 waves of sends of 10 s at most. */
export const DELIVERY_LEASE_MS = 90_000;

export const DELIVERY_DEFAULTS: WebhookDeliveryOptions = {
  pollMs: 250,
  leaseMs: DELIVERY_LEASE_MS,
  concurrency: 8,
  waves: WAVES,
  dispatchChunk: 500,
  retentionDays: 30,
  pruneEveryMs: 3_600_000,
  random: Math.random,
};

export class WebhookDeliverer {
  private readonly options: WebhookDeliveryOptions;
  private lastPrune = Number.NEGATIVE_INFINITY;
  private readonly loop: PollingLoop;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly sender: WebhookSender,
    options: Partial<WebhookDeliveryOptions> = {},
  ) {
    this.options = { ...DELIVERY_DEFAULTS, ...options };
    this.loop = new PollingLoop(() => this.pass(), this.options.pollMs, log, 'Webhook delivery failed to dispatch or claim');
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.sender.close();
  }

  /** Looks for work now instead of at the next poll (something was just queued). */
  wake(): void {
    this.loop.wake();
  }

  /** Dispatches and sends until nothing is due (tests use it). */
  async drain(): Promise<void> {
    await this.loop.drain();
  }

  /** Sends one claimed delivery and records the outcome (unless the claim was lost meanwhile). */
  async attempt(claim: ClaimedDelivery): Promise<AttemptOutcome> {
    const outcome = await this.send(claim);
    await this.record([{ claim, outcome }]);
    return outcome;
  }

  private async send(claim: ClaimedDelivery): Promise<AttemptOutcome> {
    const sentAt = this.clock.now();
    const headers = signWebhook(claim.secret, claim.outboxId, Math.floor(sentAt / 1000), claim.payload);
    const result = await this.sender.post(claim.url, { ...headers }, claim.payload);
    const at = this.clock.now();
    return result.ok
      ? { delivered: true, status: result.status, at }
      : {
          delivered: false,
          status: result.status,
          error: result.error,
          at,
          retryAt: retryAt(claim.attempts + 1, claim.createdAt, at, this.options.random()),
        };
  }

  private async record(attempts: readonly { claim: ClaimedDelivery; outcome: AttemptOutcome }[]): Promise<void> {
    const held = await this.store.read.deliveries.record(attempts);
    for (const { claim, outcome } of attempts) {
      const about = { delivery: claim.id, event: claim.outboxId, type: claim.eventType, attempt: claim.attempts + 1 };
      if (!held.has(claim.id)) this.log.warn(about, 'A webhook delivery was sent after its claim ran out; its outcome is not recorded');
      else if (!outcome.delivered && outcome.retryAt === null)
        this.log.warn({ ...about, error: outcome.error }, 'Webhook delivery given up');
      else if (!outcome.delivered) this.log.debug({ ...about, error: outcome.error }, 'Webhook delivery failed; it will be retried');
    }
  }

  private async pass(): Promise<boolean> {
    const now = this.clock.now();
    await this.pruneIfDue(now);
    const { concurrency, waves, leaseMs, dispatchChunk } = this.options;
    // Dispatch and claim in one turn on the connection: on SQLite each of their five statements
    // would otherwise wait behind an ingest transaction of its own.
    const { dispatched, claims } = await this.store.onOneConnection(async (db) => ({
      dispatched: await db.deliveries.dispatch(now, idPrefix(now), dispatchChunk),
      claims: await db.deliveries.claim(this.clock.now(), leaseMs, concurrency * waves),
    }));
    // Sent `concurrency` at a time, recorded together: the loop's statements (and SQLite commits,
    // which ingest waits for) are a few per pass, not a few per delivery.
    const attempts: { claim: ClaimedDelivery; outcome: AttemptOutcome }[] = [];
    let next = 0;
    const sender = async () => {
      for (let claim = claims[next++]; claim; claim = claims[next++]) attempts.push({ claim, outcome: await this.send(claim) });
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claims.length) }, sender));
    await this.record(attempts);
    return dispatched > 0 || claims.length > 0;
  }

  private async pruneIfDue(now: number): Promise<void> {
    if (this.options.retentionDays === 0 || now - this.lastPrune < this.options.pruneEveryMs) return;
    this.lastPrune = now;
    const before = now - this.options.retentionDays * 86_400_000;
    const deliveries = await this.store.read.deliveries.prune(before);
    const events = await this.store.read.outbox.prune(before);
    if (deliveries + events > 0) this.log.info({ deliveries, events, before: new Date(before).toISOString() }, 'Pruned webhook history');
  }
}

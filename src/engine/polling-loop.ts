/**
 * A background loop that runs passes of work until stopped: again at once when a pass found work,
 * else after a pause (or when woken). Passes never overlap within a process; an outage, which the
 * store logs once, is not logged again on every poll.
 */
import { LaurelError } from '../domain/errors.js';
import type { Logger } from './context.js';

export class PollingLoop {
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private busy: Promise<boolean> | null = null;

  /** `pass` does one round of work and says whether it found any; `failure` names it in the log. */
  constructor(
    private readonly pass: () => Promise<boolean>,
    private readonly pollMs: number,
    private readonly log: Logger,
    private readonly failure: string,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Runs passes until one finds nothing to do (tests use it). */
  async drain(): Promise<void> {
    while (await this.runOnce());
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const worked = await this.runOnce().catch((err: unknown) => {
        if (!(err instanceof LaurelError && err.kind === 'unavailable')) this.log.error({ err }, this.failure);
        return false;
      });
      if (worked || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        timer.unref();
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private async runOnce(): Promise<boolean> {
    while (this.busy) await this.busy;
    this.busy = this.pass();
    try {
      return await this.busy;
    } finally {
      this.busy = null;
    }
  }
}

/**
 * Runs background jobs from the job table, in every process. A job's work and its "done" mark
 * commit in one transaction, so a crash either leaves the job to be retried whole or finished.
 */
import { LaurelError } from '../domain/errors.js';
import type { Job } from '../store/repositories/jobs.js';
import type { Repositories, Store } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import type { Clock } from './clock.js';
import type { Logger } from './context.js';

export type JobHandler = (tx: Repositories, tenant: Tenant, payload: unknown, now: number) => Promise<unknown>;

export interface JobOutcome {
  jobId: string;
  status: Job['status'];
  result: unknown;
  error: string | null;
}

export interface JobRunnerOptions {
  /** How often an idle runner looks for due jobs. */
  pollMs: number;
  /**
   * How long a claim holds a job without news from its process; another process may take the job
   * over after that. The running process renews the lease every `heartbeatMs`, so a long job keeps
   * it, and a job whose process died is taken over within one lease.
   */
  leaseMs: number;
  heartbeatMs: number;
  maxAttempts: number;
}

/** A crashed process's job waits at most this long for another (or the restarted) process. */
export const JOB_LEASE_MS = 15_000;

const DEFAULTS: JobRunnerOptions = { pollMs: 1000, leaseMs: JOB_LEASE_MS, heartbeatMs: JOB_LEASE_MS / 3, maxAttempts: 5 };

export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly options: JobRunnerOptions;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private busy: Promise<boolean> | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: Partial<JobRunnerOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Runs due jobs until none is left (tests and the request waiting for its job use it). */
  async drain(): Promise<void> {
    while (await this.runOne());
  }

  /**
   * Runs due jobs and waits for one of them to end, up to `timeoutMs`; the outcome says where it
   * stands. A job still running at the deadline goes on in the background. (On SQLite a job's
   * statements hold the process's one connection, so the wait cannot end before they do.)
   */
  async waitFor(jobId: string, timeoutMs: number): Promise<JobOutcome> {
    const deadline = performance.now() + timeoutMs;
    let running: Promise<unknown> | null = null;
    for (;;) {
      const job = await this.store.read.jobs.get(jobId);
      if (!job) throw new Error(`Job ${jobId} does not exist`);
      const left = deadline - performance.now();
      if (job.status === 'done' || job.status === 'failed' || left <= 0) return outcome(job);
      running ??= this.runOne()
        .catch((err: unknown) => this.claimFailed(err))
        .finally(() => {
          running = null;
        });
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, Math.min(25, left)))]);
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const worked = await this.runOne().catch((err: unknown) => {
        this.claimFailed(err);
        return false;
      });
      if (worked || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        timer.unref();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** An outage was logged once by the store; polling through it must not log once a second. */
  private claimFailed(err: unknown): void {
    if (err instanceof LaurelError && err.kind === 'unavailable') return;
    this.log.error({ err }, 'Job runner failed to claim a job');
  }

  /** Claims and runs one due job. Calls never overlap within a process. */
  private async runOne(): Promise<boolean> {
    while (this.busy) await this.busy;
    this.busy = this.claimAndRun();
    try {
      return await this.busy;
    } finally {
      this.busy = null;
    }
  }

  private async claimAndRun(): Promise<boolean> {
    const now = this.clock.now();
    const job = await this.store.read.jobs.claim(now, this.options.leaseMs);
    if (!job) return false;
    const handler = this.handlers.get(job.kind);
    const heartbeat = this.heartbeat(job);
    try {
      if (!handler) throw new Error(`No handler for jobs of kind "${job.kind}"`);
      await this.store.transaction(async (tx) => {
        const result = await handler(tx, job.tenant, job.payload, now);
        // Another process took the job over: its run counts, this one's work rolls back.
        if (!(await tx.jobs.finish(job, result ?? null, this.clock.now()))) throw new LeaseLost();
      });
      this.log.info({ job: job.id, kind: job.kind }, 'Job done');
    } catch (error) {
      if (error instanceof LeaseLost) {
        if (!heartbeat.lost)
          this.log.warn({ job: job.id, kind: job.kind }, 'Lost a job lease to another process; its run here is discarded');
        return true;
      }
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = job.attempts >= this.options.maxAttempts ? null : this.clock.now() + 1000 * 2 ** job.attempts;
      this.log.error(
        { job: job.id, kind: job.kind, attempt: job.attempts, err: error },
        retryAt ? 'Job failed; it will be retried' : 'Job failed for good',
      );
      await this.store.read.jobs.fail(job, message, retryAt, this.clock.now());
    } finally {
      heartbeat.stop();
    }
    return true;
  }

  /**
   * Renews the job's lease every `heartbeatMs` until stopped, or until a renewal finds another
   * process has taken the job over. A renewal failing (the database away) is logged once until one
   * succeeds again, not every beat.
   */
  private heartbeat(job: Job): { readonly lost: boolean; stop(): void } {
    let failing = false;
    let lost = false;
    const timer = setInterval(() => {
      this.store.read.jobs.renew(job, this.clock.now() + this.options.leaseMs, this.clock.now()).then(
        (held) => {
          failing = false;
          if (held || lost) return;
          lost = true;
          clearInterval(timer);
          this.log.warn({ job: job.id, kind: job.kind }, 'Lost a job lease to another process; no longer renewing it');
        },
        (err: unknown) => {
          if (!failing) this.log.warn({ job: job.id, err }, 'Could not renew a job lease');
          failing = true;
        },
      );
    }, this.options.heartbeatMs);
    timer.unref();
    return {
      get lost() {
        return lost;
      },
      stop: () => clearInterval(timer),
    };
  }
}

/** The job's claim was taken over by another process before this run could finish it. */
class LeaseLost extends Error {}

function outcome(job: Job): JobOutcome {
  return { jobId: job.id, status: job.status, result: job.result, error: job.lastError };
}

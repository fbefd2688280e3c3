/**
 * The job table. PostgreSQL hands each due job to exactly one process (FOR UPDATE SKIP LOCKED);
 * SQLite has one writer, so a plain claim suffices. A claimed job holds a lease, which its process
 * renews while the job runs: if the process dies, the lease runs out and another process (or the
 * same one restarted) takes the job again.
 */
import { type Kysely, sql, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { DB, JobRow } from '../schema.js';
import type { Tenant } from '../tenant.js';

export interface NewJob {
  id: string;
  kind: string;
  payload: unknown;
  runAt: number;
  dedupeKey?: string;
}

/** A job as the runner sees it: its payload and result parsed, its lease token (`attempts`). */
export interface Job {
  id: string;
  tenant: Tenant;
  kind: string;
  payload: unknown;
  status: JobRow['status'];
  attempts: number;
  /** Until when the current claim holds the job (null when nobody holds it). */
  lockedUntil: number | null;
  result: unknown;
  lastError: string | null;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    tenant: { orgId: row.org_id, communityId: row.community_id },
    kind: row.kind,
    payload: JSON.parse(row.payload),
    status: row.status,
    attempts: row.attempts,
    lockedUntil: row.locked_until,
    result: row.result === null ? null : JSON.parse(row.result),
    lastError: row.last_error,
  };
}

/** A claim on a job: the job and the `attempts` value its claim set. */
export interface JobLease {
  id: string;
  attempts: number;
}

export class JobsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Queues a job; with a dedupe key already queued, nothing happens. */
  async enqueue(tenant: Tenant, job: NewJob, now: number): Promise<void> {
    await this.db
      .insertInto('jobs')
      .values({
        id: job.id,
        org_id: tenant.orgId,
        community_id: tenant.communityId,
        kind: job.kind,
        payload: JSON.stringify(job.payload),
        dedupe_key: job.dedupeKey ?? null,
        status: 'queued',
        run_at: job.runAt,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  /**
   * Takes the next due job (or one whose lease ran out) and leases it until `now + leaseMs`. The
   * claim's `attempts` is its lease token: every claim raises it, so a process whose lease ran out
   * and was taken over holds a stale token, and renew, finish and fail ignore it.
   */
  async claim(now: number, leaseMs: number): Promise<Job | undefined> {
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const result = await sql<JobRow>`
      update jobs set status = 'running', attempts = attempts + 1, locked_until = ${now + leaseMs}, updated_at = ${now}
      where id = (
        select id from jobs
        where (status = 'queued' and run_at <= ${now}) or (status = 'running' and locked_until < ${now})
        order by run_at
        limit 1
        ${lock}
      )
      returning *`.execute(this.db);
    const row = result.rows[0];
    return row && toJob(row);
  }

  /** Extends the lease of a claim still held; false when the job finished or another claim took it over. */
  async renew(lease: JobLease, lockedUntil: number, now: number): Promise<boolean> {
    const result = await this.held(
      this.db.updateTable('jobs').set({ locked_until: lockedUntil, updated_at: now }),
      lease,
    ).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Marks a claimed job done; false (nothing written) when the claim is no longer held. */
  async finish(lease: JobLease, result: unknown, now: number): Promise<boolean> {
    const update = this.db.updateTable('jobs').set({ status: 'done', result: JSON.stringify(result), locked_until: null, updated_at: now });
    return (await this.held(update, lease).executeTakeFirst()).numUpdatedRows > 0n;
  }

  /** Puts a failed job back for a later attempt, or gives up on it; false when the claim is no longer held. */
  async fail(lease: JobLease, error: string, retryAt: number | null, now: number): Promise<boolean> {
    const update = this.db.updateTable('jobs').set({
      status: retryAt === null ? 'failed' : 'queued',
      run_at: retryAt ?? now,
      locked_until: null,
      last_error: error,
      updated_at: now,
    });
    return (await this.held(update, lease).executeTakeFirst()).numUpdatedRows > 0n;
  }

  private held(update: UpdateQueryBuilder<DB, 'jobs', 'jobs', UpdateResult>, lease: JobLease) {
    return update.where('id', '=', lease.id).where('attempts', '=', lease.attempts).where('status', '=', 'running');
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }
}

/**
 * Whether the store can serve, learned from what its queries meet. The first failure of an outage
 * opens an incident (reported once, with its cause); queries failing the same way meanwhile only
 * become `database_unavailable` / `storage_unavailable` errors (HTTP 503). A query that reaches the
 * database ends a database outage; only a committed write ends a storage one, since reads go on
 * working on a full disk.
 */
import { LaurelError, unavailable } from '../domain/errors.js';
import { isPoolExhausted, type Outage, outageOf } from './failures.js';

export type AvailabilityReport = { event: 'down'; outage: Outage; cause: string } | { event: 'up'; outage: Outage; downMs: number };

/**
 * How long after a failed write the store calls itself not ready. A failing disk is only seen by
 * writes, and a process taken out of rotation receives none: after this long it is offered traffic
 * again, and the next write tells.
 */
const STORAGE_HOLD_MS = 10_000;

/** What a client is told to wait before trying again (seconds, the Retry-After header). */
export const RETRY_AFTER_S = 2;

export class Availability {
  private incident: { outage: Outage; since: number; lastFailure: number } | null = null;

  constructor(private readonly report: (report: AvailabilityReport) => void = () => undefined) {}

  /**
   * The error to throw for `error`: a 503 LaurelError when it reveals an outage (recorded) or an
   * exhausted connection pool (503 overloaded, not an outage), else `error` itself.
   */
  translate(error: unknown): unknown {
    if (error instanceof LaurelError) return error;
    if (isPoolExhausted(error)) {
      // Every connection busy is load: the database answers, so this process stays ready.
      const busy = unavailable('overloaded', `Every database connection is busy; retry in ${RETRY_AFTER_S} s`, {
        retryAfter: RETRY_AFTER_S,
      });
      busy.cause = error;
      return busy;
    }
    const outage = outageOf(error);
    if (!outage) return error;
    this.failed(outage, error);
    const translated = unavailableError(outage);
    translated.cause = error;
    return translated;
  }

  /** A query reached the database. */
  reached(): void {
    if (this.incident?.outage === 'database') this.end();
  }

  /** A write committed (rows changed; a commit that only read proves nothing about storage). */
  wrote(): void {
    if (this.incident) this.end();
  }

  /** The outage keeping the store from serving, if any (the database being reachable is the caller's to probe). */
  get outage(): Outage | null {
    const incident = this.incident;
    if (!incident) return null;
    if (incident.outage === 'storage' && performance.now() - incident.lastFailure > STORAGE_HOLD_MS) return null;
    return incident.outage;
  }

  private failed(outage: Outage, error: unknown): void {
    const now = performance.now();
    if (this.incident?.outage === outage) {
      this.incident.lastFailure = now;
      return;
    }
    this.incident = { outage, since: now, lastFailure: now };
    this.report({ event: 'down', outage, cause: error instanceof Error ? `${error.message}${codeSuffix(error)}` : String(error) });
  }

  private end(): void {
    const incident = this.incident;
    if (!incident) return;
    this.incident = null;
    this.report({ event: 'up', outage: incident.outage, downMs: Math.round(performance.now() - incident.since) });
  }
}

export function unavailableError(outage: Outage): LaurelError {
  return outage === 'database'
    ? unavailable('database_unavailable', 'The database cannot be reached right now; try again shortly', { retryAfter: RETRY_AFTER_S })
    : unavailable('storage_unavailable', 'Storage is refusing writes right now (disk full or failing); try again shortly', {
        retryAfter: RETRY_AFTER_S,
      });
}

function codeSuffix(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? ` (${code})` : '';
}

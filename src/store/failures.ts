/**
 * What a database error means for the caller, decided here so that nothing above the store knows
 * SQLSTATEs, driver messages or SQLite result codes.
 */
import { AwardRaceError } from './ingest/ingest-store.js';

/** Why the store cannot serve: the database is out of reach, or its storage refuses writes. */
export type Outage = 'database' | 'storage';

/** PostgreSQL's "try again" answers: serialization failure and deadlock. */
const CONFLICT_SQLSTATES = new Set(['40001', '40P01']);

/** SQLSTATEs of a server going away or refusing connections: admin or crash shutdown, starting up, too many connections. */
const DOWN_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * SQLSTATEs of a server that is up but cannot serve for now: insufficient resources, out of memory.
 * The next query that gets through ends the outage.
 */
const STRAINED_SQLSTATES = new Set(['53000', '53200']);

/**
 * SQLSTATEs of PostgreSQL storage refusing writes, like SQLite's codes below: disk full, I/O error,
 * and a read-only transaction (connected to a standby, as after a failover).
 */
const STORAGE_SQLSTATES = new Set(['53100', '58030', '25006']);

/** Socket-level failures reaching the server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * node-postgres reports a lost or unobtainable connection with these messages and no code. A
 * connect attempt that times out ends in "Connection terminated due to connection timeout".
 */
const PG_CONNECTION_MESSAGES = ['Connection terminated', 'is not queryable', 'terminating connection'];

/**
 * pg-pool's message when every pooled connection stayed busy for `connectionTimeoutMillis`: the
 * pool had no room to open another, so no connect was attempted and the database may be fine.
 */
const POOL_WAIT_MESSAGE = 'timeout exceeded when trying to connect';

/** SQLite result codes of storage that refuses writes: disk full, I/O errors, read-only file, file gone. */
const STORAGE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The outage an error reveals, or null for any other error (a bug, a constraint, bad input). */
export function outageOf(error: unknown): Outage | null {
  if (!(error instanceof Error)) return null;
  const code = codeOf(error);
  if (code !== undefined) {
    if (STORAGE_CODES.test(code) || STORAGE_SQLSTATES.has(code)) return 'storage';
    if (NETWORK_CODES.has(code) || DOWN_SQLSTATES.has(code) || STRAINED_SQLSTATES.has(code) || code.startsWith('08')) return 'database';
    if (code.startsWith('SQLITE_') || /^[0-9A-Z]{5}$/.test(code)) return null;
  }
  if (PG_CONNECTION_MESSAGES.some((m) => error.message.includes(m))) return 'database';
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? outageOf(cause) : null;
}

/** Whether the error is a wait for a free pooled connection that ran out (load, not an outage). */
export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && codeOf(error) === undefined && error.message === POOL_WAIT_MESSAGE;
}

/** Whether the database refused a transaction because a concurrent one got in the way (running it again may succeed). */
export function isConflict(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && CONFLICT_SQLSTATES.has(code);
}

/** Whether running the transaction again may succeed: a concurrent writer got in its way. */
export function isRetryable(error: unknown): boolean {
  return error instanceof AwardRaceError || isConflict(error);
}

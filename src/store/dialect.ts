/** The two SQL engines Laurel runs on, and what differs between them: column types, concurrent writers. */
export type Dialect = 'sqlite' | 'postgres';

export interface ColumnTypes {
  /** Epoch milliseconds. */
  millis: 'integer' | 'bigint';
  /** Double-precision number (metric values, totals). */
  real: 'real' | 'double precision';
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'postgres' ? { millis: 'bigint', real: 'double precision' } : { millis: 'integer', real: 'real' };
}

/**
 * Write transactions worth running at once. SQLite has one writer. On PostgreSQL, four groups in
 * flight overlap the network and log-flush waits (single events at 32 connections went from 881 to
 * 1,070 per second, 20,000 users), leaving six of the pool's ten connections to reads.
 */
export function writersAtOnce(dialect: Dialect): number {
  return dialect === 'postgres' ? 4 : 1;
}

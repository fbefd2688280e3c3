/** The two SQL engines Laurel runs on, and the column types that differ between them. */
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

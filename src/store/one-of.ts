import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from './dialect.js';

/**
 * `column` is one of `values`. On PostgreSQL one array parameter (`= any`), so a batch's thousand
 * ids are bound and planned as one value instead of a thousand; on SQLite an IN list.
 */
export function oneOf(dialect: Dialect, column: string, values: readonly string[]): RawBuilder<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${values}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;
}

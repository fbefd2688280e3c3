/**
 * A batch's rows as a table a statement can join, bound as a few parameters whatever the batch's
 * size: on PostgreSQL one array per column (unnest), on SQLite one JSON array (json_each). So one
 * statement serves any number of rows, never nears SQLite's bind-parameter limit, and the rest of
 * the statement can be written once for both databases.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './dialect.js';

/** A column's PostgreSQL array element type; SQLite takes the JSON value's own type. */
export type BatchColumnType = 'text' | 'int' | 'float8';

/** `from`-clause source `alias(columns…)` holding `rows` (each row's values in the columns' order). */
export function batchRows(
  dialect: Dialect,
  alias: string,
  columns: Readonly<Record<string, BatchColumnType>>,
  rows: readonly (readonly (string | number | null)[])[],
): RawBuilder<unknown> {
  const names = Object.keys(columns);
  if (dialect === 'postgres') {
    const arrays = Object.values(columns).map((type, i) => sql`${rows.map((r) => r[i] ?? null)}::${sql.raw(type)}[]`);
    return sql`unnest(${sql.join(arrays)}) as ${sql.raw(alias)}(${sql.join(names.map((n) => sql.ref(n)))})`;
  }
  // JSON numbers read back exactly: SQLite parses them correctly rounded to the nearest double.
  const fields = names.map((n, i) => sql`value ->> ${sql.lit(i)} as ${sql.ref(n)}`);
  return sql`(select ${sql.join(fields)} from json_each(${JSON.stringify(rows)})) as ${sql.raw(alias)}`;
}

/** Attribute filters over JSON text columns, in each dialect's words. */
import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './dialect.js';

type Column = RawBuilder<unknown> | ReturnType<typeof sql.ref>;

/** One string field of a JSON object column. */
export function jsonField(dialect: Dialect, column: Column, key: string): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`(${column}::jsonb ->> ${key})` : sql`json_extract(${column}, ${`$."${key}"`})`;
}

/** `u.attributes` matches every pair of the filter; null when the filter is empty. */
export function userAttributesMatch(dialect: Dialect, filter: Record<string, string> | null): RawBuilder<unknown> | null {
  const entries = Object.entries(filter ?? {});
  if (entries.length === 0) return null;
  return sql.join(
    entries.map(([k, v]) => sql`${jsonField(dialect, sql.ref('u.attributes'), k)} = ${v}`),
    sql` and `,
  );
}

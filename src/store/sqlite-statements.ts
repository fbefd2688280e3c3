/**
 * Prepared statements on the raw better-sqlite3 connection, for the hot paths of a transaction.
 * SQLite runs in-process, so a statement costs microseconds and there are no round trips to save:
 * a handful of prepared one-row statements beats building and preparing multi-row SQL for every
 * batch, which is what the generic (PostgreSQL-shaped) repositories do.
 */
import type SQLite from 'better-sqlite3';

export class SqliteStatements {
  private readonly prepared = new Map<string, SQLite.Statement>();

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly onQuery?: ((sql: string, parameters: readonly unknown[]) => void) | undefined,
  ) {}

  /** The prepared statement for `text`, reported to `onQuery` with the parameters it is about to run with. */
  private traced(text: string, params: unknown[]): SQLite.Statement {
    this.onQuery?.(text, params);
    let s = this.prepared.get(text);
    if (!s) this.prepared.set(text, (s = this.sqlite.prepare(text)));
    return s;
  }

  all<T>(text: string, params: unknown[]): T[] {
    return this.traced(text, params).all(...params) as T[];
  }

  get<T>(text: string, params: unknown[]): T | undefined {
    return this.traced(text, params).get(...params) as T | undefined;
  }

  /** Runs a write; returns how many rows it changed. */
  run(text: string, params: unknown[]): number {
    return this.traced(text, params).run(...params).changes;
  }
}

/**
 * Prepared statements on the raw better-sqlite3 connection, for the hot paths of a transaction.
 * SQLite runs in-process, so a statement costs microseconds and there are no round trips to save:
 * a handful of prepared one-row statements beats building and preparing multi-row SQL for every
 * batch, which is what the generic (PostgreSQL-shaped) repositories do.
 */
import type SQLite from 'better-sqlite3';

export class SqliteStatements {
  private readonly prepared = new Map<string, SQLite.Statement>();

  constructor(private readonly sqlite: SQLite.Database) {}

  private statement(text: string): SQLite.Statement {
    let s = this.prepared.get(text);
    if (!s) this.prepared.set(text, (s = this.sqlite.prepare(text)));
    return s;
  }

  all<T>(text: string, params: unknown[]): T[] {
    return this.statement(text).all(...params) as T[];
  }

  get<T>(text: string, params: unknown[]): T | undefined {
    return this.statement(text).get(...params) as T | undefined;
  }

  /** Runs a write; returns how many rows it changed. */
  run(text: string, params: unknown[]): number {
    return this.statement(text).run(...params).changes;
  }
}

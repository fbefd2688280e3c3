/**
 * Wraps a Kysely dialect so that every connection and query reports to the store's Availability:
 * failures that reveal an outage leave as 503 errors, successes end the outage. Also keeps a failed
 * rollback from hiding why the transaction failed: SQLite rolls back by itself on a full disk (a
 * second rollback would fail with "no transaction is active"), and on a dead PostgreSQL connection
 * there is nothing left to roll back.
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, TransactionSettings } from 'kysely';
import { LaurelError } from '../domain/errors.js';
import type { Availability } from './availability.js';

/** What the guard asks of an in-process SQLite connection; absent for PostgreSQL. */
export interface SqliteHooks {
  inTransaction: () => boolean;
  /** Rows changed by the connection so far (SQLite's total_changes), whichever path ran the statements. */
  totalChanges: () => number;
}

export function guarded(dialect: Dialect, availability: Availability, sqlite?: SqliteHooks): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => dialect.createIntrospector(db),
    createDriver: () => new GuardedDriver(dialect.createDriver(), availability, sqlite),
  };
}

const GUARDED = Symbol('guarded');

/**
 * Whether a transaction wrote: only a committed write proves storage takes writes again (a commit
 * that only read, such as an ingest that only replays, succeeds on a full disk).
 */
interface Writes {
  changesAtBegin: number;
  wrote: boolean;
}

class GuardedDriver implements Driver {
  private readonly transactions = new WeakMap<DatabaseConnection, Writes>();

  constructor(
    private readonly inner: Driver,
    private readonly availability: Availability,
    private readonly sqlite?: SqliteHooks,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let connection: DatabaseConnection & { [GUARDED]?: true };
    try {
      connection = await this.inner.acquireConnection();
    } catch (error) {
      throw this.availability.translate(error);
    }
    if (!connection[GUARDED]) {
      // In place, as Kysely's own query logging does: drivers release the object they handed out.
      const execute = connection.executeQuery.bind(connection);
      connection.executeQuery = async <R>(query: CompiledQuery) => {
        try {
          const result = await execute<R>(query);
          this.availability.reached();
          if ((result.numAffectedRows ?? 0n) > 0n) this.changed(connection);
          return result;
        } catch (error) {
          throw this.availability.translate(error);
        }
      };
      connection[GUARDED] = true;
    }
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.inner.beginTransaction(connection, settings);
    this.transactions.set(connection, { changesAtBegin: this.sqlite?.totalChanges() ?? 0, wrote: false });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const writes = this.transactions.get(connection);
    this.transactions.delete(connection);
    const wrote =
      writes !== undefined && (writes.wrote || (this.sqlite !== undefined && this.sqlite.totalChanges() !== writes.changesAtBegin));
    await this.inner.commitTransaction(connection);
    if (wrote) this.availability.wrote();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.transactions.delete(connection);
    if (this.sqlite && !this.sqlite.inTransaction()) return;
    try {
      await this.inner.rollbackTransaction(connection);
    } catch (error) {
      if (!(error instanceof LaurelError && error.kind === 'unavailable')) throw error;
    }
  }

  /** A statement changed rows: inside a transaction the commit will tell; outside it is committed already. */
  private changed(connection: DatabaseConnection): void {
    const writes = this.transactions.get(connection);
    if (writes) writes.wrote = true;
    else this.availability.wrote();
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

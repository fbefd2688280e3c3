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

export function guarded(dialect: Dialect, availability: Availability, inTransaction?: () => boolean): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => dialect.createIntrospector(db),
    createDriver: () => new GuardedDriver(dialect.createDriver(), availability, inTransaction),
  };
}

const GUARDED = Symbol('guarded');

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly availability: Availability,
    private readonly inTransaction?: () => boolean,
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
          return result;
        } catch (error) {
          throw this.availability.translate(error);
        }
      };
      connection[GUARDED] = true;
    }
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.inner.commitTransaction(connection);
    this.availability.wrote();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.inTransaction && !this.inTransaction()) return;
    try {
      await this.inner.rollbackTransaction(connection);
    } catch (error) {
      if (!(error instanceof LaurelError && error.kind === 'unavailable')) throw error;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

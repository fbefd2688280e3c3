/** Which database errors mean "the database is away" or "storage refuses writes", and which are the caller's own. */
import { describe, expect, it } from 'vitest';
import { Availability, type AvailabilityReport } from '../../src/store/availability.js';
import { isConflict, isPoolExhausted, outageOf } from '../../src/store/failures.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifying database errors', () => {
  it.each([
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01'), 'database'],
    ['a server starting up', withCode('the database system is starting up', '57P03'), 'database'],
    ['too many connections', withCode('sorry, too many clients already', '53300'), 'database'],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'database'],
    ['a connection cut', new Error('Connection terminated unexpectedly'), 'database'],
    ['a connect attempt timing out', new Error('Connection terminated due to connection timeout'), 'database'],
    ['a full disk', withCode('database or disk is full', 'SQLITE_FULL'), 'storage'],
    ['a write error', withCode('disk I/O error', 'SQLITE_IOERR_WRITE'), 'storage'],
    ['a read-only file', withCode('attempt to write a readonly database', 'SQLITE_READONLY'), 'storage'],
    ['a full PostgreSQL disk', withCode('could not extend file "base/16384/16385": No space left on device', '53100'), 'storage'],
    ['a PostgreSQL I/O error', withCode('could not write to file "pg_wal/xlogtemp.123": Input/output error', '58030'), 'storage'],
    ['a standby after failover', withCode('cannot execute INSERT in a read-only transaction', '25006'), 'storage'],
    ['a server out of memory', withCode('out of memory', '53200'), 'database'],
    ['a server short of resources', withCode('insufficient resources', '53000'), 'database'],
  ])('%s is an outage', (_name, error, outage) => {
    expect(outageOf(error)).toBe(outage);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a SQLite constraint', withCode('UNIQUE constraint failed: users.id', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['a serialization failure', withCode('could not serialize access', '40001')],
    ['a bug', new TypeError('x is undefined')],
    // pg-pool's wait for a free connection: every connection busy, none being opened.
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
  ])('%s is not', (_name, error) => {
    expect(outageOf(error)).toBeNull();
  });

  it('tells an exhausted pool from a connect attempt timing out', () => {
    expect(isPoolExhausted(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isPoolExhausted(new Error('Connection terminated due to connection timeout'))).toBe(false);
  });

  it('tells a concurrent writer getting in the way from other errors', () => {
    expect(isConflict(withCode('could not serialize access', '40001'))).toBe(true);
    expect(isConflict(withCode('deadlock detected', '40P01'))).toBe(true);
    expect(isConflict(withCode('duplicate key value', '23505'))).toBe(false);
  });

  it('reports PostgreSQL storage refusing writes once, as 503 storage_unavailable, until a write commits', () => {
    const reports: AvailabilityReport[] = [];
    const availability = new Availability((r) => reports.push(r));
    const readOnly = () => withCode('cannot execute INSERT in a read-only transaction', '25006');
    expect(availability.translate(readOnly())).toMatchObject({ kind: 'unavailable', code: 'storage_unavailable' });
    expect(availability.translate(readOnly())).toMatchObject({ kind: 'unavailable', code: 'storage_unavailable' });
    expect(availability.outage).toBe('storage');
    expect(reports).toMatchObject([{ event: 'down', outage: 'storage', cause: expect.stringContaining('25006') }]);
  });
});

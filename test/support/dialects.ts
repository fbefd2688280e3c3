/**
 * The databases store tests run against. SQLite always; PostgreSQL when a server answers. Under
 * CI=true PostgreSQL is required, and its absence fails the run loudly instead of skipping.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Dialect } from '../../src/store/dialect.js';
import { postgresProblem } from '../../src/store/postgres-probe.js';

export const POSTGRES_URL = process.env.LAUREL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function detect(): Promise<Dialect[]> {
  const problem = await postgresProblem(POSTGRES_URL);
  if (problem === null) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error(`PostgreSQL is required when CI=true, but ${POSTGRES_URL} is unreachable: ${problem}`);
  }
  console.warn(`Skipping the PostgreSQL half of the store tests: ${POSTGRES_URL} is unreachable (${problem})`);
  return ['sqlite'];
}

export const DIALECTS: Dialect[] = await detect();

/** A PostgreSQL schema of the test's own, dropped when the test is done. */
export async function createSchema(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `laurel_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create schema ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${name} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

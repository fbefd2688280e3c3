/** Whether a PostgreSQL server answers, for callers that choose between databases (the benchmark, the tests). */
import pg from 'pg';

/** Null when PostgreSQL answers a query at `url`, else why not. */
export async function postgresProblem(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

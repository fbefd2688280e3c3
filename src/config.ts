/** Laurel's settings: command-line flags win over environment variables, which win over defaults. */
export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… for PostgreSQL; unset means embedded SQLite under dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** PostgreSQL schema for Laurel's tables (default: the connection's search path, usually "public"). */
  databaseSchema: string | undefined;
  /** How long to wait at start for a database that does not answer yet, in seconds. */
  databaseWaitS: number;
  masterKey: string | undefined;
  logLevel: string;
}

export type SettingsOverrides = Partial<Settings>;

export function loadSettings(env: NodeJS.ProcessEnv, overrides: SettingsOverrides = {}): Settings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as SettingsOverrides;
  return {
    port: integer(env.LAUREL_PORT, 8080, 'LAUREL_PORT'),
    host: env.LAUREL_HOST || '127.0.0.1',
    dataDir: env.LAUREL_DATA_DIR || './data',
    databaseUrl: env.LAUREL_DATABASE_URL || env.DATABASE_URL || undefined,
    databasePoolSize: integer(env.LAUREL_DATABASE_POOL_SIZE, 10, 'LAUREL_DATABASE_POOL_SIZE'),
    databaseSchema: env.LAUREL_DATABASE_SCHEMA || undefined,
    databaseWaitS: integer(env.LAUREL_DATABASE_WAIT_S, 30, 'LAUREL_DATABASE_WAIT_S'),
    masterKey: env.LAUREL_MASTER_KEY || undefined,
    logLevel: env.LAUREL_LOG_LEVEL || 'info',
    ...defined,
  };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got "${value}")`);
  return n;
}

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
  /** Seconds a request (headers and body) may take to arrive before it is answered 408; 0 is no limit. */
  requestTimeoutS: number;
  /** Seconds the headers may take to arrive; 0 is no limit. */
  headersTimeoutS: number;
  /** Seconds an idle keep-alive connection is kept open. */
  keepAliveTimeoutS: number;
  /** Seconds a connection may be silent both ways (a client that stops reading) before it is closed; 0 is no limit. */
  connectionTimeoutS: number;
  /** Events waiting to be committed (per process) beyond which new event requests are refused 503. */
  maxQueuedEvents: number;
  /** Milliseconds the oldest waiting event may have waited beyond which new event requests are refused 503. */
  maxQueueWaitMs: number;
  /** Application requests worked on at once (per process) beyond which more are refused 503. */
  maxRequestsInFlight: number;
  /** Let webhooks reach loopback, private and link-local addresses (refused by default: SSRF). */
  webhookAllowPrivate: boolean;
  /** Webhook deliveries sent at once, per process. */
  webhookConcurrency: number;
  /** Days delivered (and dead) webhook deliveries and emails, and dispatched outbox events, are kept; 0 keeps them. */
  outboxRetentionDays: number;
  /** smtp:// or smtps:// (with user:pass) of the server emails on unlock go through; unset: no emails. */
  smtpUrl: string | undefined;
  /** The From of emails on unlock. */
  emailFrom: string;
  /** The address members reach Laurel at, for links in emails (default: http://127.0.0.1:<port>). */
  publicUrl: string | undefined;
  /** Serve the widgets demo page at /widgets/demo (default: on, except when NODE_ENV=production). */
  widgetDemo: boolean;
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
    requestTimeoutS: integer(env.LAUREL_REQUEST_TIMEOUT_S, 30, 'LAUREL_REQUEST_TIMEOUT_S'),
    headersTimeoutS: integer(env.LAUREL_HEADERS_TIMEOUT_S, 10, 'LAUREL_HEADERS_TIMEOUT_S'),
    // Longer than the 60 s idle time-out of common load balancers, so they close first.
    keepAliveTimeoutS: integer(env.LAUREL_KEEP_ALIVE_TIMEOUT_S, 72, 'LAUREL_KEEP_ALIVE_TIMEOUT_S'),
    connectionTimeoutS: integer(env.LAUREL_CONNECTION_TIMEOUT_S, 120, 'LAUREL_CONNECTION_TIMEOUT_S'),
    maxQueuedEvents: integer(env.LAUREL_MAX_QUEUED_EVENTS, 5_000, 'LAUREL_MAX_QUEUED_EVENTS'),
    maxQueueWaitMs: integer(env.LAUREL_MAX_QUEUE_WAIT_MS, 2_000, 'LAUREL_MAX_QUEUE_WAIT_MS'),
    maxRequestsInFlight: integer(env.LAUREL_MAX_REQUESTS_IN_FLIGHT, 500, 'LAUREL_MAX_REQUESTS_IN_FLIGHT'),
    webhookAllowPrivate: flag(env.LAUREL_WEBHOOK_ALLOW_PRIVATE, 'LAUREL_WEBHOOK_ALLOW_PRIVATE'),
    webhookConcurrency: Math.max(1, integer(env.LAUREL_WEBHOOK_CONCURRENCY, 8, 'LAUREL_WEBHOOK_CONCURRENCY')),
    outboxRetentionDays: integer(env.LAUREL_OUTBOX_RETENTION_DAYS, 30, 'LAUREL_OUTBOX_RETENTION_DAYS'),
    smtpUrl: env.LAUREL_SMTP_URL || undefined,
    emailFrom: env.LAUREL_EMAIL_FROM || 'Laurel <laurel@localhost>',
    publicUrl: env.LAUREL_PUBLIC_URL || undefined,
    widgetDemo: env.LAUREL_WIDGET_DEMO ? flag(env.LAUREL_WIDGET_DEMO, 'LAUREL_WIDGET_DEMO') : env.NODE_ENV !== 'production',
    ...defined,
  };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got "${value}")`);
  return n;
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`${name} must be 1 or 0 (got "${value}")`);
}

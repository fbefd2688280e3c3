/** A Laurel instance for one test file: its own temporary database, driven through HTTP inject. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createLaurel, type Laurel } from '../../src/app.js';
import { loadSettings, type Settings } from '../../src/config.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { Dialect } from '../../src/store/dialect.js';
import { createSchema, POSTGRES_URL } from './dialects.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export interface TestLaurel {
  laurel: Laurel;
  clock: ManualClock;
  dataDir: string;
  /** The PostgreSQL schema holding this instance's tables; null on SQLite. */
  schema: string | null;
  appKey: string;
  /** A request with the admin key. */
  admin<T = any>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** A request with an application key. */
  api<T = any>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** A request with exactly the headers given. */
  raw<T = any>(
    method: string,
    url: string,
    options?: { body?: unknown; payload?: string; headers?: Record<string, string> },
  ): Promise<Reply<T>>;
  close(): Promise<void>;
}

export interface StartOptions {
  dialect?: Dialect;
  clock?: ManualClock;
  settings?: Partial<Settings>;
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  streamHeartbeatMs?: number;
}

export async function startLaurel(options: StartOptions = {}): Promise<TestLaurel> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-test-'));
  const clock = options.clock ?? new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  const schema = options.dialect === 'postgres' ? await createSchema() : null;
  const settings = loadSettings(
    {},
    {
      dataDir,
      masterKey: ADMIN_KEY,
      logLevel: 'silent',
      ...(schema ? { databaseUrl: POSTGRES_URL, databasePoolSize: 4 } : {}),
      ...options.settings,
    },
  );
  const laurel = await createLaurel(settings, {
    clock,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    onQuery: options.onQuery,
    ...(options.streamHeartbeatMs !== undefined ? { streamHeartbeatMs: options.streamHeartbeatMs } : {}),
    ...(schema ? { databaseSchema: schema.name } : {}),
  }).catch(async (error: unknown) => {
    // A failed start must not leave its schema behind in the shared database.
    await schema?.drop();
    throw error;
  });

  const raw = async <T>(
    method: string,
    url: string,
    opts: { body?: unknown; payload?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> => {
    const response = await laurel.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(opts.body !== undefined || opts.payload !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      ...(opts.payload !== undefined ? { payload: opts.payload } : opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
    });
    const text = response.body;
    return { status: response.statusCode, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  };
  const withKey =
    (key: string) =>
    <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
      raw<T>(method, url, { body, headers: { 'x-api-key': key, ...headers } });
  const admin = withKey(ADMIN_KEY);
  const created = await admin<{ key: string }>('POST', '/admin/v1/api-keys', { name: 'tests' });
  return {
    laurel,
    clock,
    dataDir,
    schema: schema?.name ?? null,
    appKey: created.body.key,
    admin,
    api: withKey(created.body.key),
    raw,
    close: async () => {
      await laurel.close();
      await schema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The composition root: database, engine and HTTP server, wired together. */
import type { FastifyInstance } from 'fastify';
import { type Logger as PinoLogger, pino } from 'pino';
import { buildServer } from './api/server.js';
import type { Settings } from './config.js';
import { Keyring } from './engine/api-keys.js';
import { registerJobs, scheduleSweeps } from './engine/background.js';
import { type BootstrapResult, bootstrap, DEFAULT_TENANT } from './engine/bootstrap.js';
import { CelebrationHub } from './engine/celebration-hub.js';
import { type Clock, systemClock } from './engine/clock.js';
import { CommunityConfigCache } from './engine/community-config.js';
import type { EngineContext } from './engine/context.js';
import { EmailDeliverer } from './engine/deliver-emails.js';
import { WebhookDeliverer } from './engine/deliver-webhooks.js';
import { EmailSender } from './engine/email-sender.js';
import { JobRunner } from './engine/jobs.js';
import { WebhookSender } from './engine/webhook-sender.js';
import { WidgetOrigins } from './engine/widget-origins.js';
import { WidgetTokens } from './engine/widget-tokens.js';
import { laurelVersion } from './project-root.js';
import { BadgeFiles } from './store/badge-files.js';
import { migrateToLatest, openDatabase, waitForDatabase } from './store/database.js';
import { Store } from './store/store.js';

/** A receiver has this long to answer a delivery (Trophy's limit too). */
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface Laurel {
  app: FastifyInstance;
  ctx: EngineContext;
  /** Emails on unlock; null where email is not configured or background work is not run. */
  emails: EmailDeliverer | null;
  bootstrap: BootstrapResult;
  /** Stops taking requests, finishes those in flight, then closes the database. */
  close(): Promise<void>;
}

export interface LaurelOptions {
  clock?: Clock;
  logger?: PinoLogger;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  databaseSchema?: string;
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
  /** Whether this process runs background jobs (one-off commands do not). */
  startJobs?: boolean;
  /** Milliseconds between an open celebration stream's heartbeats (tests shorten it). */
  streamHeartbeatMs?: number;
}

export async function createLaurel(settings: Settings, options: LaurelOptions = {}): Promise<Laurel> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? pino({ level: settings.logLevel });
  const database = openDatabase({
    url: settings.databaseUrl,
    dataDir: settings.dataDir,
    poolSize: settings.databasePoolSize,
    schema: options.databaseSchema ?? settings.databaseSchema,
    onQuery: options.onQuery,
    warn: (message) => log.warn(message),
    report: (report) => {
      if (report.event === 'down') {
        log.error(
          { outage: report.outage, cause: report.cause },
          `${report.outage === 'database' ? 'Database unreachable' : 'Storage failing'}: ${report.cause}; answering 503 until it recovers`,
        );
      } else {
        log.info(
          { outage: report.outage, downMs: report.downMs },
          `${report.outage === 'database' ? 'Database reachable' : 'Storage accepting writes'} again after ${report.downMs} ms`,
        );
      }
    },
  });
  try {
    await waitForDatabase(database, settings.databaseWaitS * 1000, (message) => log.warn(message));
    const applied = await migrateToLatest(database);
    if (applied.length > 0) log.info({ migrations: applied }, 'Database migrated');
    const store = new Store(database);
    const boot = await bootstrap(store, clock, { dataDir: settings.dataDir, generateMasterKey: settings.masterKey === undefined });
    const keyring = new Keyring(store.read, clock, { key: settings.masterKey, tenant: DEFAULT_TENANT }, store);
    const jobs = new JobRunner(store, clock, log);
    const badges = new BadgeFiles(settings.dataDir);
    const sender = new WebhookSender({
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      allowPrivate: settings.webhookAllowPrivate,
      userAgent: `Laurel-Webhooks/${laurelVersion()}`,
    });
    const webhooks = new WebhookDeliverer(store, clock, log, sender, {
      concurrency: settings.webhookConcurrency,
      retentionDays: settings.outboxRetentionDays,
    });
    const config = new CommunityConfigCache(log);
    const email = {
      smtpUrl: settings.smtpUrl,
      from: settings.emailFrom,
      publicUrl: settings.publicUrl ?? `http://127.0.0.1:${settings.port}`,
      publicUrlSet: settings.publicUrl !== undefined,
    };
    const emails =
      settings.smtpUrl === undefined || options.startJobs === false
        ? null
        : new EmailDeliverer(store, config, clock, log, new EmailSender(settings.smtpUrl, settings.emailFrom), {
            publicUrl: email.publicUrl,
            retentionDays: settings.outboxRetentionDays,
          });
    const ctx: EngineContext = {
      store,
      clock,
      log,
      config,
      keyring,
      jobs,
      email,
      celebrations: new CelebrationHub(store),
      widgetTokens: new WidgetTokens(store.read, clock),
      widgetOrigins: new WidgetOrigins(store.read, clock),
      badges,
      webhooks,
      ingestBounds: { maxQueuedEvents: settings.maxQueuedEvents, maxQueueWaitMs: settings.maxQueueWaitMs },
    };
    registerJobs(ctx);
    if (options.startJobs !== false) {
      await scheduleSweeps(ctx, await store.read.communities.tenants());
      jobs.start();
      webhooks.start();
      emails?.start();
    }
    const app = await buildServer({
      ctx,
      keyring,
      logger: log,
      timeouts: settings,
      maxRequestsInFlight: settings.maxRequestsInFlight,
      widgetDemo: settings.widgetDemo,
      ...(options.streamHeartbeatMs !== undefined ? { streamHeartbeatMs: options.streamHeartbeatMs } : {}),
    });
    return {
      app,
      ctx,
      emails,
      bootstrap: boot,
      close: async () => {
        await app.close();
        await jobs.stop();
        await webhooks.stop();
        await emails?.stop();
        await store.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

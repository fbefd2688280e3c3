import type { FastifyBaseLogger } from 'fastify';
import type { BadgeFiles } from '../store/badge-files.js';
import type { Store } from '../store/store.js';
import type { Keyring } from './api-keys.js';
import type { CelebrationHub } from './celebration-hub.js';
import type { Clock } from './clock.js';
import type { CommunityConfigCache } from './community-config.js';
import type { WebhookDeliverer } from './deliver-webhooks.js';
import type { JobRunner } from './jobs.js';
import type { EmailConfiguration } from './read-email-status.js';
import type { WidgetOrigins } from './widget-origins.js';
import type { WidgetTokens } from './widget-tokens.js';

/** Minimal logger contract (pino's), so the engine does not depend on the HTTP layer. */
export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

/** What every use case works with. */
export interface EngineContext {
  store: Store;
  clock: Clock;
  log: Logger;
  config: CommunityConfigCache;
  jobs: JobRunner;
  /** How emails on unlock are sent (or not), from the settings. */
  email: EmailConfiguration;
  /** The members with open celebration streams here, woken when they may have new celebrations. */
  celebrations: CelebrationHub;
  /** Mints and checks members' widget tokens (secrets cached per community). */
  widgetTokens: WidgetTokens;
  /** The communities' widget origins (CORS), cached. */
  widgetOrigins: WidgetOrigins;
  /** Present in a server: revoking a key must also drop it from the server's cache. */
  keyring?: Keyring;
  /** Present in a server: where uploaded badge images are kept. */
  badges?: BadgeFiles;
  /** Present in a server: how far events may queue for their commit before event requests are refused (503). */
  ingestBounds?: { maxQueuedEvents: number; maxQueueWaitMs: number };
  /** Present in a server: sends webhook deliveries (its loop runs where background jobs do). */
  webhooks?: WebhookDeliverer;
}

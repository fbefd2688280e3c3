/**
 * Webhooks: where a community's events are POSTed, which of them, and how each delivery of an
 * event to a webhook stands.
 */
import { invalid } from './errors.js';

export interface Webhook {
  id: string;
  orgId: string;
  communityId: string;
  url: string;
  description: string | null;
  /** The event types delivered; empty: every type. */
  eventTypes: string[];
  enabled: boolean;
  /** Standard Webhooks secret: `whsec_` and the base64 of the key's bytes. */
  secret: string;
  createdAt: number;
  updatedAt: number;
}

/** The event a ping sends: never written by ingest, never replayed. */
export const PING_EVENT = 'webhook.ping';

/**
 * The event types Laurel announces, for subscribing by picking (a webhook may still name any type:
 * types added later reach webhooks that subscribe to every type).
 */
export const EVENT_TYPES: readonly { type: string; description: string }[] = [
  { type: 'achievement.completed', description: 'A user completes an achievement, or a tier of one' },
  { type: 'points.changed', description: "A user's points in a points system change" },
  { type: 'points.level_changed', description: 'A user reaches another level of a points system' },
  { type: 'streak.extended', description: "A user's streak grows" },
  { type: 'streak.milestone', description: 'A streak reaches 3, 7, 14, 30, 50, 100, 200, 365, 500 or 1,000' },
];

export const URL_MAX_LENGTH = 2048;

/**
 * The event types a webhook can subscribe to: Trophy's, and Laurel's `streak.milestone`. A ping is
 * sent to one webhook whatever it subscribes to, so it is not among them.
 */
export const WEBHOOK_EVENT_TYPES = [
  'achievement.completed',
  'points.changed',
  'points.level_changed',
  'streak.extended',
  'streak.milestone',
  'streak.lost',
  'leaderboard.finished',
] as const;

/**
 * Only http and https: other schemes (file:, ftp:, gopher:…) would let a webhook reach what
 * Laurel's host can read. Where the address points is checked at send time, when it is resolved.
 */
export function checkWebhookUrl(value: string, field = 'url'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('invalid_url', 'url must be an absolute http or https URL', field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('invalid_url', `url must use http or https (got ${url.protocol.slice(0, -1)})`, field);
  }
  if (url.hostname === '') throw invalid('invalid_url', 'url must name a host', field);
  return url.toString();
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

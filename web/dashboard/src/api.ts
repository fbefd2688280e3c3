/** Talking to Laurel: the admin key from sessionStorage, JSON in and out, errors as ApiError. */

import type { Static } from 'typebox';
import type { RewardViewSchema, UserAchievementSchema } from '../../../src/api/schemas/achievement-view';
import type { ActivityPageSchema } from '../../../src/api/schemas/activity-view';
import type {
  AchievementChangeSchema,
  AchievementStatusSchema,
  AdminAchievementViewSchema,
} from '../../../src/api/schemas/admin-achievement-view';
import type { UserPointsSchema } from '../../../src/api/schemas/points-view';
import type { UserStreakSchema } from '../../../src/api/schemas/streak-view';
import type { UserViewSchema } from '../../../src/api/schemas/user-view';

const KEY_STORAGE = 'laurel.adminKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** Called when a stored key stops working (revoked): the app signs out. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export async function request<T>(method: string, path: string, body?: unknown, key: string | null = storedKey()): Promise<T> {
  const headers: Record<string, string> = {};
  if (key) headers['X-API-Key'] = key;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'network_error', 'Laurel cannot be reached. Check that the server is running.');
  }
  const text = await response.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!response.ok) {
    const e = (data ?? {}) as { error?: string; code?: string; field?: string };
    const error = new ApiError(response.status, e.code ?? 'http_error', e.error ?? `Request failed (${response.status})`, e.field);
    if (response.status === 401 && key === storedKey()) for (const l of unauthorizedListeners) l();
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export const enc = encodeURIComponent;

// ---- Shapes the dashboard reads ----

// The server's response schemas, as types only: nothing of the server is bundled.
export type { Settings } from '../../../src/api/schemas/admin-settings';
export type { ApiKeyView as ApiKey, CreatedApiKey } from '../../../src/api/schemas/api-key';
export type { EmailStatus } from '../../../src/api/schemas/email-view';
export type { AchievementAnalytics, AchievementPreview, BackfillPreview } from '../../../src/api/schemas/insights';
export type { AdminMetric as Metric } from '../../../src/api/schemas/metric-view';
export type { AdminPointsSystem as PointsSystem } from '../../../src/api/schemas/points-view';
export type { StreakDefinitionView as Streak } from '../../../src/api/schemas/streak-definition';
export type { TeamView as Team } from '../../../src/api/schemas/team-view';
export type {
  CreatedWebhook,
  WebhookDeliveryPage,
  WebhookDeliveryView as WebhookDelivery,
  WebhookEventType,
  WebhookReplay,
  WebhookView as Webhook,
} from '../../../src/api/schemas/webhook-view';
export type { WidgetSecretRotated } from '../../../src/api/schemas/widget-token-view';

export type Status = Static<typeof AchievementStatusSchema>;
export type Achievement = Static<typeof AdminAchievementViewSchema>;
export type Criteria = Achievement['criteria'];
export type Reward = Static<typeof RewardViewSchema>;
export type AchievementChange = Static<typeof AchievementChangeSchema>;

export type User = Static<typeof UserViewSchema>;
export type UserAchievement = Static<typeof UserAchievementSchema>;
export type UserPoints = Static<typeof UserPointsSchema>;
export type UserStreak = Static<typeof UserStreakSchema>;
export type ActivityPage = Static<typeof ActivityPageSchema>;

/** Users' notification preferences: which channels each kind of notification may use. */
import type { Static } from 'typebox';
import type { PreferencesViewSchema } from '../api/schemas/user-view.js';
import { notFound } from '../domain/errors.js';
import { parseJson } from '../store/mappers.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';

export type Channel = 'email' | 'push';

export interface NotificationPreferences {
  achievement_completed: Channel[];
  recap: Channel[];
  reactivation: Channel[];
  streak_reminder: Channel[];
}

/** Everything on until the user says otherwise. */
export const DEFAULT_PREFERENCES: NotificationPreferences = {
  achievement_completed: ['email', 'push'],
  recap: ['email', 'push'],
  reactivation: ['email', 'push'],
  streak_reminder: ['email', 'push'],
};

/** Whether stored preferences (JSON, or null: none saved) let `kind` use `channel`. */
export function allowsChannel(stored: string | null, kind: keyof NotificationPreferences, channel: Channel): boolean {
  const preferences = { ...DEFAULT_PREFERENCES, ...parseJson<Partial<NotificationPreferences>>(stored, {}) };
  return preferences[kind].includes(channel);
}

type PreferencesView = Static<typeof PreferencesViewSchema>;

export async function getPreferences(ctx: EngineContext, tenant: Tenant, userId: string): Promise<PreferencesView> {
  const repos = ctx.store.read;
  if (!(await repos.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
  const stored = await repos.preferences.get(tenant, userId);
  return { notifications: { ...DEFAULT_PREFERENCES, ...parseJson<Partial<NotificationPreferences>>(stored, {}) } };
}

export async function updatePreferences(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  patch: Partial<NotificationPreferences>,
): Promise<PreferencesView> {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.users.get(tenant, userId))) throw notFound('user_not_found', `There is no user "${userId}"`, 'id');
    const current = {
      ...DEFAULT_PREFERENCES,
      ...parseJson<Partial<NotificationPreferences>>(await tx.preferences.get(tenant, userId), {}),
    };
    const next = { ...current, ...patch };
    await tx.preferences.save(tenant, userId, JSON.stringify(next), now);
    return { notifications: next };
  });
}

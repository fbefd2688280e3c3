/** Users as the application API sees them: read, create, identify (upsert), update. */
import { conflict, notFound } from '../domain/errors.js';
import { userCreationFirings } from '../domain/evaluate.js';
import { mergeUser, type User, type UserInput, validateUserInput } from '../domain/user.js';
import type { Repositories } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';
import { announcements } from './announcements.js';
import { announceCelebrations } from './celebrations.js';
import type { EngineContext } from './context.js';
import { type UserView, userView } from './presenters.js';
import { type PointsChangeView, UnlockRecorder } from './unlock-recorder.js';

export async function getUser(ctx: EngineContext, tenant: Tenant, id: string): Promise<UserView> {
  const user = await ctx.store.read.users.get(tenant, id);
  if (!user) throw notFound('user_not_found', `There is no user "${id}"`, 'id');
  return userView(user);
}

/**
 * Writes what the request says about a user. `mode` decides what may already exist:
 * create (must not), update (must), upsert (either).
 */
export async function saveUser(
  ctx: EngineContext,
  tenant: Tenant,
  input: UserInput,
  mode: 'create' | 'update' | 'upsert',
): Promise<{ user: UserView; created: boolean }> {
  validateUserInput(input, '');
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    await tx.ingest.lockUsers(tenant, [input.id]);
    const existing = await tx.users.get(tenant, input.id);
    if (existing && mode === 'create') throw conflict('user_exists', `User "${input.id}" already exists`, 'id');
    if (!existing && mode === 'update') throw notFound('user_not_found', `There is no user "${input.id}"`, 'id');
    const { user, changed } = mergeUser(existing ?? null, input, now);
    if (changed) await tx.ingest.write(tenant, existing ? { updatedUsers: [user] } : { createdUsers: [user] });
    if (!existing) await payJoiningPoints(ctx, tx, tenant, user, now);
    return { user: userView(user as User), created: !existing };
  });
}

/** Points triggers on joining, for a user created outside of an event. */
async function payJoiningPoints(ctx: EngineContext, tx: Repositories, tenant: Tenant, user: User, now: number): Promise<void> {
  const config = await ctx.config.get(tx, tenant);
  const firings = userCreationFirings(config.rules, user.attributes, now);
  if (firings.length === 0) return;
  const recorder = new UnlockRecorder(config, 'en', ctx.log, now);
  const userPoints = new Map<string, number>();
  const points: Record<string, PointsChangeView> = {};
  for (const firing of firings) recorder.recordFiring(user.id, firing, null, userPoints, points);
  const outbox = announcements(config, [{ user, achievements: [], points, extendedStreak: null }], now);
  announceCelebrations(tx, tenant, outbox);
  await tx.ingest.write(tenant, { ...recorder.changes(), outbox });
}

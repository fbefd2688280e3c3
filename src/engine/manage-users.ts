/** Users as the application API sees them: read, create, identify (upsert), update. */
import { MEMBER_JOINED, type RaisedEvent } from '../domain/built-in-events.js';
import { conflict, notFound } from '../domain/errors.js';
import { mergeUser, type UserInput, validateUserInput } from '../domain/user.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { applyBuiltIns } from './ingest/apply-built-ins.js';
import { changeTeams, currentKeys, userTeamKeys } from './manage-teams.js';
import { type UserView, userView } from './presenters.js';
import { withRetry } from './retry.js';

export async function getUser(ctx: EngineContext, tenant: Tenant, id: string): Promise<UserView> {
  const user = await ctx.store.read.users.get(tenant, id);
  if (!user) throw notFound('user_not_found', `There is no user "${id}"`, 'id');
  return userView(user, await userTeamKeys(ctx.store.read, tenant, id));
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
  // A welcome badge is an award: another writer may decide it first, and then the whole save re-runs.
  return withRetry(() =>
    ctx.store.transaction(async (tx) => {
      await tx.ingest.lockUsers(tenant, [input.id]);
      const existing = await tx.users.get(tenant, input.id);
      if (existing && mode === 'create') throw conflict('user_exists', `User "${input.id}" already exists`, 'id');
      if (!existing && mode === 'update') throw notFound('user_not_found', `There is no user "${input.id}"`, 'id');
      // Teams first: an unknown team refuses the whole request before anything is written.
      const config = await ctx.config.get(tx, tenant);
      const teams =
        input.teams === undefined
          ? await userTeamKeys(tx, tenant, input.id)
          : currentKeys(
              await changeTeams(tx, tenant, config.teamsByKey, input.id, input.teams, now, { field: 'teams', atLeast: true }),
              new Map([...config.teamsByKey.values()].map((t) => [t.id, t])),
            );
      const { user, changed } = mergeUser(existing ?? null, input, now);
      if (existing) {
        if (changed) await tx.ingest.write(tenant, { updatedUsers: [user] });
      } else {
        // Joining is an event: it creates the user, pays joining points and may unlock a welcome badge.
        const joined: RaisedEvent = { metric: MEMBER_JOINED, value: 1, attributes: {}, occurredAt: now };
        await applyBuiltIns(ctx, tx, tenant, config, input, [joined], now, 'en');
      }
      return { user: userView(user, teams), created: !existing };
    }),
  );
}

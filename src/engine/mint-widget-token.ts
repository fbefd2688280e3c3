/**
 * A widget token for a member, minted by the app's backend with its application key. A member the
 * app never told Laurel about is created first, as `POST /v1/users` would, so a brand-new member's
 * widgets work at once (and member_joined fires as usual); an existing member is only read.
 */
import { LaurelError } from '../domain/errors.js';
import type { Tenant } from '../store/tenant.js';
import type { EngineContext } from './context.js';
import { saveUser } from './manage-users.js';
import { iso } from './presenters.js';

export async function mintWidgetToken(
  ctx: EngineContext,
  tenant: Tenant,
  userId: string,
  expiresInS: number,
): Promise<{ token: string; expiresAt: string }> {
  if (!(await ctx.store.read.users.get(tenant, userId))) {
    try {
      await saveUser(ctx, tenant, { id: userId }, 'create');
    } catch (error) {
      // Created meanwhile by another request: just as good.
      if (!(error instanceof LaurelError && error.code === 'user_exists')) throw error;
    }
  }
  const { token, expiresAt } = await ctx.widgetTokens.mint(tenant, userId, expiresInS);
  return { token, expiresAt: iso(expiresAt) };
}

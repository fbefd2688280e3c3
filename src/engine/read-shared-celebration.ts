/**
 * A celebration as its public share page shows it. Found by id alone: celebration ids are UUIDv7
 * with about 62 random bits, so only someone the member gave the link can name one. Backfilled
 * unlocks (never announced to the member) and switched-off celebrations are not shareable.
 */
import type { Locale } from '../domain/locale.js';
import { CELEBRATED, type CelebrationView, celebration } from './celebrations.js';
import type { EngineContext } from './context.js';

export interface SharedCelebration {
  celebration: CelebrationView;
  /** The member's name, if the app gave one. */
  memberName: string | null;
}

export async function sharedCelebration(
  ctx: EngineContext,
  id: string,
  options: { locale: Locale; shareBase: string },
): Promise<SharedCelebration | null> {
  const repos = ctx.store.read;
  const found = await repos.celebrations.findShared(id, CELEBRATED);
  if (!found) return null;
  const [config, user] = await Promise.all([ctx.config.get(repos, found.tenant), repos.users.get(found.tenant, found.userId)]);
  const view = celebration(found, config, options.locale, options.shareBase);
  return view && { celebration: view, memberName: user?.name ?? null };
}

/**
 * Events whose inline user names `teams`: each replaces the user's current set at the event's time,
 * but never before the user's latest membership change, so an event that arrives late cannot
 * rewrite history. One read of the named users' periods per group, one diff written per user;
 * a group where no user names teams costs nothing.
 */
import { latestChange, type MembershipPeriod, membershipDiff, membershipFrom, resolveTeamKeys } from '../../domain/team.js';
import type { Repositories } from '../../store/store.js';
import type { Tenant } from '../../store/tenant.js';
import type { CommunityConfig } from '../community-config.js';
import type { PreparedEvent } from './prepare.js';

export async function applyTeams(
  tx: Repositories,
  tenant: Tenant,
  config: CommunityConfig,
  events: readonly PreparedEvent[],
): Promise<void> {
  const naming = events.filter((e) => e.user.teams !== undefined);
  if (naming.length === 0) return;
  const before = await tx.teamMemberships.periodsOf(
    tenant,
    naming.map((e) => e.user.id),
  );
  const after = new Map<string, MembershipPeriod[]>(before);
  for (const e of naming) {
    // Checked when the request was accepted (`refusal`); the configuration is the same one.
    const ids = resolveTeamKeys(e.user.teams ?? [], config.teamsByKey, 'user.teams');
    const current = after.get(e.user.id) ?? [];
    const at = Math.max(e.occurredAt, latestChange(current) ?? e.occurredAt);
    after.set(e.user.id, membershipFrom(current, ids, at));
  }
  for (const [userId, periods] of after) {
    const diff = membershipDiff(before.get(userId) ?? [], periods);
    if (diff.inserted.length + diff.deleted.length + diff.updated.length > 0) await tx.teamMemberships.write(tenant, userId, diff);
  }
}

/**
 * Which members a transaction gave new celebrations, so that open celebration streams read the
 * database only when there is something to read. Collected during the transaction and told once
 * it commits: to this process's watchers after the commit, and on PostgreSQL to the other
 * processes by one NOTIFY sent inside it (the database delivers it at commit, never on a rollback).
 */
import type { RawBuilder } from 'kysely';
import { Notifications } from './notifications.js';
import type { Tenant } from './tenant.js';

export const CELEBRATIONS_CHANNEL = 'laurel_celebrations';

/** Members of one community with new celebrations; `userIds` null: any of them (too many to name). */
export interface CelebratedMembers {
  tenant: Tenant;
  userIds: readonly string[] | null;
}

/** The news: some communities' members, or null for every member of every community. */
export type Celebrated = readonly CelebratedMembers[] | null;

/**
 * pg_notify refuses payloads of 8,000 bytes or more; `Notifications` prefixes the schema's name
 * (at most 63 bytes) and a separator.
 */
const MAX_PAYLOAD_BYTES = 7_900;

/** One transaction's news, gathered as its use case announces celebrations. */
export class CelebrationNews {
  private readonly members = new Map<string, { tenant: Tenant; userIds: Set<string> }>();
  /** Whether members were added since the last notice. */
  private unsent = false;

  /** `origin`: the process whose transaction this is (it tells its own watchers itself). */
  constructor(private readonly origin: string) {}

  add(tenant: Tenant, userIds: readonly string[]): void {
    if (userIds.length === 0) return;
    const key = `${tenant.orgId}\u0000${tenant.communityId}`;
    let entry = this.members.get(key);
    if (!entry) {
      entry = { tenant: { orgId: tenant.orgId, communityId: tenant.communityId }, userIds: new Set() };
      this.members.set(key, entry);
    }
    for (const id of userIds) {
      if (entry.userIds.has(id)) continue;
      entry.userIds.add(id);
      this.unsent = true;
    }
  }

  get empty(): boolean {
    return this.members.size === 0;
  }

  celebrated(): CelebratedMembers[] {
    return [...this.members.values()].map((m) => ({ tenant: m.tenant, userIds: [...m.userIds] }));
  }

  /**
   * The NOTIFY naming everyone gathered so far, to run in the transaction; null when it would tell
   * nothing new. Ingest's write carries it, so that it costs no round trip of its own; whatever is
   * announced after that goes in a second one, which `Store.transaction` sends before committing.
   */
  notice(): RawBuilder<unknown> | null {
    if (!this.unsent) return null;
    this.unsent = false;
    return Notifications.notification(CELEBRATIONS_CHANNEL, encodeNews(this.origin, this.celebrated()));
  }
}

/**
 * `[origin, [[org, community, [user, …]], …]]`. Too long, the members are left out (any member of
 * those communities), then the communities (anyone).
 */
export function encodeNews(origin: string, celebrated: readonly CelebratedMembers[]): string {
  const named = JSON.stringify([origin, celebrated.map((m) => [m.tenant.orgId, m.tenant.communityId, m.userIds])]);
  if (Buffer.byteLength(named) <= MAX_PAYLOAD_BYTES) return named;
  const communities = JSON.stringify([origin, celebrated.map((m) => [m.tenant.orgId, m.tenant.communityId, null])]);
  if (Buffer.byteLength(communities) <= MAX_PAYLOAD_BYTES) return communities;
  return JSON.stringify([origin, null]);
}

/** The news in a payload, and where it comes from; null for a payload that is not news. */
export function decodeNews(payload: string): { origin: string; celebrated: Celebrated } | null {
  try {
    const [origin, list] = JSON.parse(payload) as [string, [string, string, string[] | null][] | null];
    if (typeof origin !== 'string') return null;
    if (list === null) return { origin, celebrated: null };
    return { origin, celebrated: list.map(([orgId, communityId, userIds]) => ({ tenant: { orgId, communityId }, userIds })) };
  } catch {
    return null;
  }
}

/**
 * The members this process has open celebration streams for, and when each should read: when a
 * commit gave the member a new celebration (this process's at once, another's as PostgreSQL's
 * NOTIFY brings it), when the listening connection is back (news may have been missed while it
 * was down), and now and then in case news went missing some other way. An idle stream costs no
 * query between those.
 */
import type { Celebrated } from '../store/celebration-news.js';
import type { Store } from '../store/store.js';
import type { Tenant } from '../store/tenant.js';

/** How often a stream reads with no news. Each stream's own, spread ±20% so they do not read together. */
export const SAFETY_POLL_MS = 10_000;

type Wake = () => void;

export class CelebrationHub {
  /** Community (org and community id) → member → the wake-ups of the member's open streams. */
  private readonly followers = new Map<string, Map<string, Set<Wake>>>();

  constructor(
    store: Pick<Store, 'watchCelebrations'>,
    private readonly safetyPollMs = SAFETY_POLL_MS,
  ) {
    store.watchCelebrations({
      celebrated: (news) => this.wake(news),
      state: (live) => {
        if (live) this.wake(null);
      },
    });
  }

  /** Calls `wake` whenever the member may have new celebrations, until the returned function is called. */
  follow(tenant: Tenant, userId: string, wake: Wake): () => void {
    const community = communityKey(tenant);
    let members = this.followers.get(community);
    if (!members) {
      members = new Map();
      this.followers.set(community, members);
    }
    let wakes = members.get(userId);
    if (!wakes) {
      wakes = new Set();
      members.set(userId, wakes);
    }
    wakes.add(wake);
    const safety = setInterval(wake, this.safetyPollMs * (0.8 + 0.4 * Math.random()));
    safety.unref();
    return () => {
      clearInterval(safety);
      wakes.delete(wake);
      if (wakes.size > 0) return;
      members.delete(userId);
      if (members.size === 0) this.followers.delete(community);
    };
  }

  /** How many streams follow a member (tests check that an ended stream stops following). */
  get following(): number {
    let n = 0;
    for (const members of this.followers.values()) for (const wakes of members.values()) n += wakes.size;
    return n;
  }

  private wake(news: Celebrated): void {
    const woken: Wake[] = [];
    const all = (members: Map<string, Set<Wake>> | undefined) => {
      for (const wakes of members?.values() ?? []) woken.push(...wakes);
    };
    if (news === null) for (const members of this.followers.values()) all(members);
    else
      for (const { tenant, userIds } of news) {
        const members = this.followers.get(communityKey(tenant));
        if (userIds === null) all(members);
        else for (const id of userIds) woken.push(...(members?.get(id) ?? []));
      }
    for (const wake of woken) wake();
  }
}

const communityKey = (tenant: Tenant) => `${tenant.orgId}\u0000${tenant.communityId}`;

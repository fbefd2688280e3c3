/**
 * The teams repositories, the same on both dialects: the tree's rows, and dated membership read
 * both ways at a time t (a user's teams, a team's members), with current counts, and the diff the
 * domain computes written back exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MembershipPeriod, membershipDiff, membershipFrom, type Team } from '../../src/domain/team.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../support/dialects.js';
import { c1, c2, openTwoCommunityStore } from '../support/two-community-store.js';

const team = (id: string, key: string, parentId: string | null = null): Team => ({
  id,
  key,
  name: key.toUpperCase(),
  parentId,
  status: 'active',
  createdAt: 1_000,
  updatedAt: 1_000,
});

describe.each(DIALECTS)('team store (%s)', (dialect) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await openTwoCommunityStore(dialect, 'laurel-teams-'));
  });
  afterAll(() => close());

  it('stores, reads and updates teams per community', async () => {
    const repo = store.read.teams;
    await repo.insert(c1, team('t-acme', 'acme'));
    await repo.insert(c1, team('t-north', 'north', 't-acme'));
    await repo.insert(c1, team('t-south', 'south', 't-acme'));
    await repo.insert(c2, team('t-other', 'north'));
    expect((await repo.list(c1)).map((t) => t.key)).toEqual(['acme', 'north', 'south']);
    expect(await repo.getByKey(c1, 'north')).toEqual(team('t-north', 'north', 't-acme'));
    expect((await repo.getByKey(c2, 'north'))?.id).toBe('t-other');
    await repo.update(c1, { ...team('t-south', 'south'), name: 'Süd', status: 'archived', updatedAt: 2_000 });
    expect(await repo.getByKey(c1, 'south')).toMatchObject({ name: 'Süd', parentId: null, status: 'archived', updatedAt: 2_000 });
    await expect(repo.insert(c1, team('t-dup', 'north'))).rejects.toThrow();
  });

  it('answers teams of a user and members of a team at time t, and current counts', async () => {
    const repo = store.read.teamMemberships;
    // ann: north [100, 200), then south from 200; bob: north from 150.
    const ann = membershipFrom(membershipFrom([], ['t-north'], 100), ['t-south'], 200);
    await repo.write(c1, 'ann', membershipDiff([], ann));
    await repo.write(c1, 'bob', membershipDiff([], membershipFrom([], ['t-north'], 150)));
    await repo.write(c2, 'ann', membershipDiff([], membershipFrom([], ['t-other'], 0)));

    expect(await repo.teamsAt(c1, 'ann', 99)).toEqual([]);
    expect(await repo.teamsAt(c1, 'ann', 100)).toEqual(['t-north']);
    expect(await repo.teamsAt(c1, 'ann', 199)).toEqual(['t-north']);
    expect(await repo.teamsAt(c1, 'ann', 200)).toEqual(['t-south']);
    expect(await repo.membersAt('t-north', 160)).toEqual(['ann', 'bob']);
    expect(await repo.membersAt('t-north', 200)).toEqual(['bob']);
    expect(await repo.currentCounts(c1)).toEqual(
      new Map([
        ['t-north', 1],
        ['t-south', 1],
      ]),
    );
    const periods = await repo.periodsOf(c1, ['ann', 'bob', 'nobody']);
    expect(periods.get('ann')).toEqual(ann);
    expect(periods.get('nobody')).toEqual([]);
  });

  it('writes a back-dated rewrite exactly (deletes, ends, reopens, inserts)', async () => {
    const repo = store.read.teamMemberships;
    const before = (await repo.periodsOf(c1, ['ann'])).get('ann') as MembershipPeriod[];
    // From 150 on ann is in north only: her south period (from 200) goes, north runs on from 100.
    const after = membershipFrom(before, ['t-north'], 150);
    expect(after).toEqual([{ teamId: 't-north', from: 100, until: null }]);
    await repo.write(c1, 'ann', membershipDiff(before, after));
    expect((await repo.periodsOf(c1, ['ann'])).get('ann')).toEqual(after);
    expect(await repo.teamsAt(c1, 'ann', 250)).toEqual(['t-north']);
  });

  it("ends a team's running memberships when it closes", async () => {
    const repo = store.read.teamMemberships;
    expect(await repo.closeTeam(c1, 't-north', 300)).toBe(2);
    expect(await repo.membersAt('t-north', 299)).toEqual(['ann', 'bob']);
    expect(await repo.membersAt('t-north', 300)).toEqual([]);
    expect((await repo.currentCounts(c1)).get('t-north')).toBeUndefined();
  });
});

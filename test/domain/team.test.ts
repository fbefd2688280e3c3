import { describe, expect, it } from 'vitest';
import {
  checkParent,
  latestChange,
  type MembershipPeriod,
  membershipDiff,
  membershipFrom,
  resolveTeamKeys,
  type Team,
  teamPath,
  teamsAt,
} from '../../src/domain/team.js';

const team = (id: string, parentId: string | null = null, status: Team['status'] = 'active'): Team => ({
  id,
  key: id,
  name: id,
  parentId,
  status,
  createdAt: 0,
  updatedAt: 0,
});

describe('team tree', () => {
  const teams = [team('acme'), team('emea', 'acme'), team('north', 'emea'), team('old', null, 'archived')];

  it('answers the path from the root', () => {
    expect(teamPath(teams[2] as Team, new Map(teams.map((t) => [t.id, t])))).toEqual(['acme', 'emea', 'north']);
  });

  it('refuses a missing or archived parent, a cycle, and depth over 8', () => {
    expect(() => checkParent({ id: 'x' }, 'nope', teams)).toThrow(expect.objectContaining({ code: 'parent_not_found', field: 'parent' }));
    expect(() => checkParent({ id: 'x' }, 'old', teams)).toThrow(expect.objectContaining({ code: 'parent_archived' }));
    expect(() => checkParent({ id: 'acme' }, 'north', teams)).toThrow(expect.objectContaining({ code: 'team_cycle' }));
    expect(checkParent({ id: 'x' }, 'north', teams)?.id).toBe('north');
    const chain = Array.from({ length: 8 }, (_, i) => team(`l${i + 1}`, i === 0 ? null : `l${i}`));
    expect(() => checkParent({ id: 'x' }, 'l8', chain)).toThrow(expect.objectContaining({ code: 'team_tree_too_deep' }));
    expect(checkParent({ id: 'x' }, 'l7', chain)?.id).toBe('l7');
  });

  it('resolves keys to active teams, naming the bad one', () => {
    const byKey = new Map(teams.map((t) => [t.key, t]));
    expect(resolveTeamKeys(['north', 'acme', 'north'], byKey, 'user.teams')).toEqual(['north', 'acme']);
    expect(() => resolveTeamKeys(['north', 'old'], byKey, 'user.teams')).toThrow(
      expect.objectContaining({ code: 'team_not_found', field: 'user.teams[1]' }),
    );
  });
});

describe('dated membership', () => {
  const p = (teamId: string, from: number, until: number | null = null): MembershipPeriod => ({ teamId, from, until });

  it('joins, moves and leaves by closing and opening periods', () => {
    const joined = membershipFrom([], ['a'], 10);
    const moved = membershipFrom(joined, ['a', 'b'], 20);
    const left = membershipFrom(moved, ['b'], 30);
    expect(left).toEqual([p('a', 10, 30), p('b', 20)]);
    expect(teamsAt(left, 9)).toEqual([]);
    expect(teamsAt(left, 25).sort()).toEqual(['a', 'b']);
    expect(teamsAt(left, 30)).toEqual(['b']);
    expect(latestChange(left)).toBe(30);
    expect(membershipFrom(left, [], 40)).toEqual([p('a', 10, 30), p('b', 20, 40)]);
  });

  it('rewrites from a past time: later periods go, spanning ones end or run on', () => {
    const history = [p('a', 10, 30), p('b', 30, 50), p('c', 50)];
    expect(membershipFrom(history, ['a'], 20)).toEqual([p('a', 10)]);
    expect(membershipFrom(history, ['d'], 40)).toEqual([p('a', 10, 30), p('b', 30, 40), p('d', 40)]);
  });

  it('diffs periods by team and start', () => {
    const before = [p('a', 10, 30), p('b', 30)];
    const after = [p('a', 10), p('c', 40)];
    expect(membershipDiff(before, after)).toEqual({ inserted: [p('c', 40)], deleted: [p('b', 30)], updated: [p('a', 10)] });
    expect(membershipDiff(after, after)).toEqual({ inserted: [], deleted: [], updated: [] });
  });
});

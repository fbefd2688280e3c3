import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe.each(DIALECTS)('teams (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    for (const [key, parent] of [
      ['acme', null],
      ['emea', 'acme'],
      ['north', 'emea'],
      ['south', 'emea'],
      ['west', 'emea'],
    ] as const) {
      const made = await t.admin('POST', '/admin/v1/teams', { key, name: key.toUpperCase(), ...(parent ? { parent } : {}) });
      expect(made.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  const history = async (id: string) => (await t.admin('GET', `/admin/v1/users/${id}/teams?history=true`)).body;

  it('creates, lists, reads, edits and archives teams in a tree', async () => {
    const north = await t.admin('GET', '/admin/v1/teams/north');
    expect(north.body).toMatchObject({
      key: 'north',
      name: 'NORTH',
      parent: 'emea',
      path: ['acme', 'emea', 'north'],
      memberCount: 0,
      status: 'active',
    });
    const list = (await t.admin('GET', '/admin/v1/teams')).body;
    expect(list.map((x: any) => x.key)).toEqual(['acme', 'emea', 'north', 'south', 'west']);
    const renamed = await t.admin('PATCH', '/admin/v1/teams/west', { name: 'West', parent: 'acme' });
    expect(renamed.body).toMatchObject({ name: 'West', parent: 'acme', path: ['acme', 'west'] });
    expect((await t.admin('PATCH', '/admin/v1/teams/west', { parent: null })).body.path).toEqual(['west']);
    expect((await t.admin('POST', '/admin/v1/teams', { key: 'gone', name: 'Gone' })).status).toBe(201);
    const archived = await t.admin('DELETE', '/admin/v1/teams/gone');
    expect(archived.body.status).toBe('archived');
    expect((await t.admin('GET', '/admin/v1/teams/nope')).status).toBe(404);
    expect((await t.admin('POST', '/admin/v1/teams', { key: 'north', name: 'Again' })).body).toMatchObject({
      code: 'duplicate_key',
      field: 'key',
    });
    expect((await t.admin('POST', '/admin/v1/teams', { key: 'bad key', name: 'X' })).body).toMatchObject({ field: 'key' });
    // An archived team with active sub-teams would orphan them.
    expect((await t.admin('DELETE', '/admin/v1/teams/emea')).body).toMatchObject({ code: 'team_has_sub_teams' });
  });

  it('refuses a missing or archived parent, a cycle and a tree deeper than 8 (422, field parent)', async () => {
    expect((await t.admin('POST', '/admin/v1/teams', { key: 'x1', name: 'X', parent: 'nope' })).body).toMatchObject({
      code: 'parent_not_found',
      field: 'parent',
    });
    expect((await t.admin('POST', '/admin/v1/teams', { key: 'x2', name: 'X', parent: 'gone' })).body).toMatchObject({
      code: 'parent_archived',
      field: 'parent',
    });
    const cycle = await t.admin('PATCH', '/admin/v1/teams/acme', { parent: 'north' });
    expect(cycle).toMatchObject({ status: 422, body: { code: 'team_cycle', field: 'parent' } });
    expect((await t.admin('PATCH', '/admin/v1/teams/acme', { parent: 'acme' })).body.code).toBe('team_cycle');
    // acme → emea → north is 3 deep: five more make 8, a sixth is refused.
    let parent = 'north';
    for (let i = 4; i <= 8; i++) {
      expect((await t.admin('POST', '/admin/v1/teams', { key: `d${i}`, name: `D${i}`, parent })).status).toBe(201);
      parent = `d${i}`;
    }
    const deep = await t.admin('POST', '/admin/v1/teams', { key: 'd9', name: 'D9', parent: 'd8' });
    expect(deep).toMatchObject({ status: 422, body: { code: 'team_tree_too_deep', field: 'parent' } });
    // Moving a subtree counts its own depth: west (1) under d8 would be level 9.
    expect((await t.admin('PATCH', '/admin/v1/teams/west', { parent: 'd8' })).body.code).toBe('team_tree_too_deep');
  });

  it('joins, moves and leaves through the users API, dated now', async () => {
    t.clock.set(NOW);
    const created = await t.api('POST', '/v1/users', { id: 'ann', teams: ['north'] });
    expect(created.status).toBe(201);
    expect(created.body.teams).toEqual(['north']);
    t.clock.set(NOW + HOUR);
    expect((await t.api('PUT', '/v1/users/ann', { teams: ['south', 'west'] })).body.teams).toEqual(['south', 'west']);
    t.clock.set(NOW + 2 * HOUR);
    expect((await t.api('PATCH', '/v1/users/ann', { name: 'Ann' })).body.teams).toEqual(['south', 'west']);
    expect((await t.api('PATCH', '/v1/users/ann', { teams: ['west'] })).body.teams).toEqual(['west']);
    expect((await t.api('GET', '/v1/users/ann')).body.teams).toEqual(['west']);
    expect((await history('ann')).periods).toEqual([
      { team: 'north', from: iso(NOW), until: iso(NOW + HOUR) },
      { team: 'south', from: iso(NOW + HOUR), until: iso(NOW + 2 * HOUR) },
      { team: 'west', from: iso(NOW + HOUR), until: null },
    ]);
    expect((await t.admin('GET', '/admin/v1/teams/west')).body.memberCount).toBe(1);
    t.clock.set(NOW + 3 * HOUR);
    expect((await t.api('PATCH', '/v1/users/ann', { teams: [] })).body.teams).toEqual([]);
    expect((await t.admin('GET', '/admin/v1/users/ann/teams')).body).toEqual({ id: 'ann', teams: [] });
    expect((await t.admin('GET', '/admin/v1/teams/west')).body.memberCount).toBe(0);
  });

  it('refuses an unknown or archived team with 422 naming the field, and applies nothing', async () => {
    t.clock.set(NOW + 4 * HOUR);
    const bad = await t.api('POST', '/v1/users', { id: 'bob', name: 'Bob', teams: ['north', 'nope'] });
    expect(bad).toMatchObject({ status: 422, body: { code: 'team_not_found', field: 'teams[1]' } });
    expect((await t.api('GET', '/v1/users/bob')).status).toBe(404);
    const archived = await t.api('PUT', '/v1/users/bob', { teams: ['gone'] });
    expect(archived.body).toMatchObject({ code: 'team_not_found', field: 'teams[0]' });
    const single = await t.api('POST', '/v1/metrics/deals/event', { user: { id: 'bob', teams: ['north', 'nope'] }, value: 1 });
    expect(single).toMatchObject({ status: 422, body: { code: 'team_not_found', field: 'user.teams[1]' } });
    const batch = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'deals', user: { id: 'bob', teams: ['north'] }, value: 1 },
        { metric: 'deals', user: { id: 'cid', teams: ['south', 'gone'] }, value: 1 },
      ],
    });
    expect(batch).toMatchObject({ status: 422, body: { code: 'team_not_found', field: 'events[1].user.teams[1]' } });
    expect((await t.api('GET', '/v1/users/bob')).status).toBe(404);
    expect((await t.api('GET', '/v1/users/cid')).status).toBe(404);
  });

  it('takes teams inline in events, at the event time, never before the latest change', async () => {
    t.clock.set(NOW + 10 * HOUR);
    const first = await t.api('POST', '/v1/metrics/deals/event', {
      user: { id: 'dee', teams: ['north'] },
      value: 5,
      timestamp: iso(NOW + 8 * HOUR),
    });
    expect(first.status).toBe(201);
    // A batch: dee moves at 9h; eve joins at her event's time.
    const batch = await t.api('POST', '/v1/events', {
      events: [
        { metric: 'deals', user: { id: 'dee', teams: ['south'] }, value: 1, timestamp: iso(NOW + 9 * HOUR) },
        { metric: 'deals', user: { id: 'eve', teams: ['north', 'south'] }, value: 1, timestamp: iso(NOW + 9 * HOUR) },
        { metric: 'deals', user: { id: 'eve' }, value: 1 },
      ],
    });
    expect(batch.status).toBe(200);
    // An older event (7h) cannot rewrite history: its change lands at dee's latest change (9h).
    await t.api('POST', '/v1/metrics/deals/event', { user: { id: 'dee', teams: ['west'] }, value: 1, timestamp: iso(NOW + 7 * HOUR) });
    expect((await history('dee')).periods).toEqual([
      { team: 'north', from: iso(NOW + 8 * HOUR), until: iso(NOW + 9 * HOUR) },
      { team: 'west', from: iso(NOW + 9 * HOUR), until: null },
    ]);
    expect((await history('eve')).periods).toEqual([
      { team: 'north', from: iso(NOW + 9 * HOUR), until: null },
      { team: 'south', from: iso(NOW + 9 * HOUR), until: null },
    ]);
    // An event without teams changes nothing.
    await t.api('POST', '/v1/metrics/deals/event', { user: { id: 'eve', name: 'Eve' }, value: 1 });
    expect((await t.api('GET', '/v1/users/eve')).body.teams).toEqual(['north', 'south']);
  });

  it('changes nothing when an event is replayed by its idempotency key', async () => {
    t.clock.set(NOW + 12 * HOUR);
    const event = { user: { id: 'hal', teams: ['north'] }, value: 1 };
    const headers = { 'idempotency-key': 'hal-1' };
    expect((await t.api('POST', '/v1/metrics/deals/event', event, headers)).status).toBe(201);
    t.clock.set(NOW + 13 * HOUR);
    await t.api('PATCH', '/v1/users/hal', { teams: ['south'] });
    t.clock.set(NOW + 14 * HOUR);
    expect((await t.api('POST', '/v1/metrics/deals/event', event, headers)).status).toBe(202);
    expect((await t.api('GET', '/v1/users/hal')).body.teams).toEqual(['south']);
  });

  it('takes a back-dated correction from an admin, refusing the future', async () => {
    t.clock.set(NOW + 20 * HOUR);
    await t.api('PUT', '/v1/users/fay', { teams: ['north'] });
    t.clock.set(NOW + 22 * HOUR);
    await t.api('PUT', '/v1/users/fay', { teams: ['south'] });
    // She really moved to west at 21h: what was recorded from 21h on is replaced.
    const fixed = await t.admin('PUT', '/admin/v1/users/fay/teams', { teams: ['west'], at: iso(NOW + 21 * HOUR) });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toEqual({
      id: 'fay',
      teams: ['west'],
      periods: [
        { team: 'north', from: iso(NOW + 20 * HOUR), until: iso(NOW + 21 * HOUR) },
        { team: 'west', from: iso(NOW + 21 * HOUR), until: null },
      ],
    });
    expect((await t.api('GET', '/v1/users/fay')).body.teams).toEqual(['west']);
    const future = await t.admin('PUT', '/admin/v1/users/fay/teams', { teams: [], at: iso(NOW + 23 * HOUR) });
    expect(future).toMatchObject({ status: 422, body: { code: 'at_in_future', field: 'at' } });
    const unknown = await t.admin('PUT', '/admin/v1/users/fay/teams', { teams: ['nope'] });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'team_not_found', field: 'teams[0]' } });
    expect((await t.admin('PUT', '/admin/v1/users/nobody/teams', { teams: [] })).status).toBe(404);
  });

  it('ends current memberships when a team is archived, keeping its history', async () => {
    t.clock.set(NOW + 30 * HOUR);
    await t.admin('POST', '/admin/v1/teams', { key: 'pop-up', name: 'Pop-up' });
    await t.api('PUT', '/v1/users/gus', { teams: ['pop-up', 'north'] });
    expect((await t.admin('GET', '/admin/v1/teams/pop-up')).body.memberCount).toBe(1);
    t.clock.set(NOW + 31 * HOUR);
    expect((await t.admin('DELETE', '/admin/v1/teams/pop-up')).body).toMatchObject({ status: 'archived', memberCount: 0 });
    expect((await history('gus')).periods).toContainEqual({ team: 'pop-up', from: iso(NOW + 30 * HOUR), until: iso(NOW + 31 * HOUR) });
    expect((await t.api('GET', '/v1/users/gus')).body.teams).toEqual(['north']);
  });
});

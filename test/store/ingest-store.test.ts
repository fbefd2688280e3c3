/**
 * The contract of the ingest store, held against both implementations (SQLite and PostgreSQL):
 * what a write stores, how deltas merge into what is there, what the reads give back, and that
 * nothing of a refused write remains.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/user.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/store/database.js';
import { AwardRaceError, idempotencyKeyOf, type NewAward, type StateQuery } from '../../src/store/ingest/ingest-store.js';
import { Store } from '../../src/store/store.js';
import type { Tenant } from '../../src/store/tenant.js';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';

const tenant: Tenant = { orgId: 'org', communityId: 'c1' };
const other: Tenant = { orgId: 'org', communityId: 'c2' };

const user = (id: string, name: string | null = null): User => ({
  id,
  name,
  email: null,
  tz: 'Europe/Paris',
  locale: 'de',
  attributes: { plan: 'pro' },
  subscribeToEmails: true,
  deviceTokens: null,
  createdAt: 1_000,
  updatedAt: 1_000,
});

const award = (id: string, userId: string, tierKey = 't1'): NewAward => ({
  id,
  userId,
  achievementId: 'a1',
  tierKey,
  periodKey: '',
  achievedAt: 5_000,
  eventId: null,
  source: 'event',
  rewards: [{ type: 'badge', badgeUrl: null }],
});

describe.each(DIALECTS)('the ingest store (%s)', (dialect) => {
  let database: Database;
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      const schema = await createSchema();
      database = openDatabase({ url: POSTGRES_URL, dataDir: '', schema: schema.name });
      cleanup = schema.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-ingest-store-'));
      database = openDatabase({ dataDir: dir });
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    await migrateToLatest(database);
    store = new Store(database);
    await store.transaction(async (tx) => {
      await tx.communities.ensure({ id: 'org', name: 'Org' }, { id: 'c1', key: 'c1', name: 'One' }, 0);
      await tx.communities.ensure({ id: 'org', name: 'Org' }, { id: 'c2', key: 'c2', name: 'Two' }, 0);
    });
  });

  const nothing = {
    userIds: [],
    users: false,
    metricIds: [],
    counterIds: [],
    heldIds: [],
    series: new Map(),
    fromDay: 0,
    streaks: new Map(),
    fromPeriod: 0,
    targets: false,
    points: false,
  };
  const state = (query: Partial<StateQuery>) => store.read.userState.loadState(tenant, { ...nothing, ...query });

  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('creates users, counts them, and updates their profile', async () => {
    await store.transaction((tx) => tx.ingest.write(tenant, { createdUsers: [user('u1'), user('u2')] }));
    await store.transaction((tx) => tx.ingest.write(tenant, { updatedUsers: [{ ...user('u1', 'Ada'), tz: null, updatedAt: 2_000 }] }));
    const found = await store.read.userState.findUsers(tenant, ['u1', 'u2', 'nobody']);
    expect([...found.keys()].sort()).toEqual(['u1', 'u2']);
    expect(found.get('u1')).toMatchObject({ name: 'Ada', tz: null, attributes: { plan: 'pro' }, createdAt: 1_000, updatedAt: 2_000 });
    expect(await store.read.users.count(tenant)).toBe(2);
    expect((await store.read.userState.findUsers(other, ['u1'])).size).toBe(0);
  });

  it('adds totals as deltas: sums rounded to 8 decimals, counts added, earliest first and latest last time kept', async () => {
    const delta = { userId: 'u1', metricId: 'm1', count: 1 };
    await store.transaction((tx) => tx.ingest.write(tenant, { totals: [{ ...delta, value: 0.1, firstAt: 200, lastAt: 300 }] }));
    await store.transaction((tx) => tx.ingest.write(tenant, { totals: [{ ...delta, value: 0.2, firstAt: 100, lastAt: 250 }] }));
    const totals = await store.read.userState.loadTotals(tenant, ['u1', 'u2'], ['m1', 'm2']);
    expect(totals.get('u1')?.get('m1')).toEqual({ total: 0.3, count: 2 });
    expect(totals.has('u2')).toBe(false);
    expect((await store.read.userState.loadTotals(tenant, ['u1'], ['m2'])).size).toBe(0);
    expect((await store.read.userState.loadTotals(other, ['u1'], ['m1'])).size).toBe(0);
  });

  it("adds an achievement's own counter as deltas", async () => {
    for (const value of [1.5, 2.25]) {
      await store.transaction((tx) => tx.ingest.write(tenant, { counters: [{ userId: 'u1', achievementId: 'a1', value, count: 1 }] }));
    }
    const { counters } = await state({ userIds: ['u1'], counterIds: ['a1', 'a2'] });
    expect(counters.get('u1')).toEqual(new Map([['a1', { total: 3.75, count: 2 }]]));
  });

  it('adds day totals as deltas and loads the days from a given one on, per user and series', async () => {
    const d = { userId: 'u1', seriesId: 'm1', count: 1 };
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        days: [
          { ...d, day: 10, value: 1, firstAt: 500 },
          { ...d, day: 11, value: 2, firstAt: 600 },
          { ...d, seriesId: 'm2', day: 11, value: 7, firstAt: 600 },
          { ...d, userId: 'u2', day: 11, value: 9, firstAt: 600 },
        ],
      }),
    );
    await store.transaction((tx) => tx.ingest.write(tenant, { days: [{ ...d, day: 11, value: 3, firstAt: 550 }] }));
    const days = await store.read.userState.loadDays(tenant, new Map([['u1', ['m1']]]), 11);
    expect(days).toEqual(new Map([['u1', new Map([['m1', new Map([[11, { total: 5, count: 2, firstAt: 550 }]])]])]]));
  });

  it('rewrites a streak from a period on, and loads the latest point before a period with those after it, in order', async () => {
    const point = (period: number, length: number) => ({ period, length, started: 1, freezes: 0, earnAnchor: 1, extendedAt: period * 10 });
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        streaks: [
          { userId: 'u1', streakId: 's1', from: 0, points: [point(1, 1), point(2, 2), point(3, 3)], lostAt: null },
          { userId: 'u2', streakId: 's1', from: 0, points: [point(1, 1)], lostAt: null },
        ],
      }),
    );
    await store.transaction((tx) =>
      tx.ingest.write(tenant, { streaks: [{ userId: 'u1', streakId: 's1', from: 3, points: [point(3, 1), point(4, 2)], lostAt: null }] }),
    );
    const loaded = await store.read.userState.loadStreakPoints(
      tenant,
      new Map([
        ['u1', ['s1']],
        ['u2', ['s1', 's2']],
      ]),
      3,
    );
    expect(loaded.get('u1')?.get('s1')).toEqual([point(2, 2), point(3, 1), point(4, 2)]);
    expect(loaded.get('u2')?.get('s1')).toEqual([point(1, 1)]);
    expect(loaded.get('u2')?.has('s2')).toBe(false);
  });

  it('deletes the points a rewrite no longer has, for one user and streak only', async () => {
    const point = (period: number, length: number) => ({ period, length, started: 1, freezes: 0, earnAnchor: 1, extendedAt: period * 10 });
    const all = [point(30, 1), point(31, 2), point(32, 3)];
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        streaks: [
          { userId: 'v1', streakId: 's9', from: 0, points: all, lostAt: null },
          { userId: 'v2', streakId: 's9', from: 0, points: all, lostAt: null },
        ],
      }),
    );
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        streaks: [
          { userId: 'v1', streakId: 's9', from: 30, points: [point(30, 5)], lostAt: null },
          { userId: 'v2', streakId: 's9', from: 32, points: [point(32, 9)], lostAt: null },
        ],
      }),
    );
    const loaded = await store.read.userState.loadStreakPoints(
      tenant,
      new Map([
        ['v1', ['s9']],
        ['v2', ['s9']],
      ]),
      0,
    );
    expect(loaded.get('v1')?.get('s9')).toEqual([point(30, 5)]);
    expect(loaded.get('v2')?.get('s9')).toEqual([point(30, 1), point(31, 2), point(32, 9)]);
  });

  it('keeps when a streak is lost on its last point only, clears it when the streak goes on, keeps it when a new one starts', async () => {
    const point = (period: number, length: number, started: number) => ({
      period,
      length,
      started,
      freezes: 0,
      earnAnchor: started,
      extendedAt: period * 10,
    });
    const pending = async () =>
      (await store.read.streakLosses.due(tenant, 0, 10_000, null, 100)).map((l) => [l.userId, l.point.period, l.lostAt]);
    const write = (from: number, points: ReturnType<typeof point>[], lostAt: number) =>
      store.transaction((tx) => tx.ingest.write(tenant, { streaks: [{ userId: 'w1', streakId: 's7', from, points, lostAt }] }));
    await write(50, [point(50, 1, 50), point(51, 2, 50)], 530);
    expect(await pending()).toEqual([['w1', 51, 530]]);
    // The streak goes on: the loss of the point before is no longer coming.
    await write(52, [point(52, 3, 50)], 540);
    expect(await pending()).toEqual([['w1', 52, 540]]);
    // A new streak after a gap: the old one's loss stays to be announced.
    await write(60, [point(60, 1, 60)], 620);
    expect(await pending()).toEqual([
      ['w1', 52, 540],
      ['w1', 60, 620],
    ]);
    const first = await store.read.streakLosses.due(tenant, 0, 550, null, 100);
    expect((await store.transaction((tx) => tx.streakLosses.claim(tenant, first))).map((l) => l.point.period)).toEqual([52]);
    expect(await store.transaction((tx) => tx.streakLosses.claim(tenant, first))).toEqual([]);
    expect(await pending()).toEqual([['w1', 60, 620]]);
  });

  it('records awards and gives them back as held; a second award of the same tier and period refuses the whole write', async () => {
    await store.transaction((tx) =>
      tx.ingest.write(tenant, { awards: [award('aw1', 'u1'), { ...award('aw2', 'u1', 't2'), periodKey: '2026-W1' }] }),
    );
    const { held } = await state({ userIds: ['u1', 'u2'], heldIds: ['a1'] });
    expect(held.sort((a, b) => a.tierKey.localeCompare(b.tierKey))).toEqual([
      { userId: 'u1', achievementId: 'a1', tierKey: 't1', periodKey: '' },
      { userId: 'u1', achievementId: 'a1', tierKey: 't2', periodKey: '2026-W1' },
    ]);
    const refused = store.transaction((tx) =>
      tx.ingest.write(tenant, {
        awards: [award('aw3', 'u2'), award('aw4', 'u1')],
        totals: [{ userId: 'u9', metricId: 'm1', value: 1, count: 1, firstAt: 1, lastAt: 1 }],
      }),
    );
    await expect(refused).rejects.toBeInstanceOf(AwardRaceError);
    expect((await state({ userIds: ['u2'], heldIds: ['a1'] })).held).toEqual([]);
    expect((await store.read.userState.loadTotals(tenant, ['u9'], ['m1'])).size).toBe(0);
  });

  it('adds points to balances as deltas, rounded', async () => {
    const pointsAward = {
      userId: 'u1',
      systemId: 'p1',
      triggerType: 'metric' as const,
      triggerId: 't',
      awardId: null,
      eventId: null,
      createdAt: 1,
    };
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        points: [{ userId: 'u1', systemId: 'p1', amount: 0.1 }],
        pointsAwards: [{ ...pointsAward, id: 'pa1', amount: 0.1, totalAfter: 0.1 }],
      }),
    );
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        points: [{ userId: 'u1', systemId: 'p1', amount: 0.2 }],
        pointsAwards: [{ ...pointsAward, id: 'pa2', amount: 0.2, totalAfter: 0.3 }],
      }),
    );
    expect(await store.read.userState.loadPoints(tenant, ['u1', 'u2'])).toEqual(new Map([['u1', new Map([['p1', 0.3]])]]));
  });

  it("stores an idempotency key's answer and fingerprint, found again by user, metric and key", async () => {
    const response = { eventId: 'e1', total: 3, achievements: [{ key: 'first' }] };
    await store.transaction((tx) =>
      tx.ingest.write(tenant, {
        events: [
          { id: 'e1', userId: 'u1', metricId: 'm1', value: 3, attributes: { via: 'app' }, occurredAt: 10, receivedAt: 11, localDay: 0 },
        ],
        idempotency: [{ userId: 'u1', metricId: 'm1', key: 'k1', eventId: 'e1', response, createdAt: 11, fingerprint: 'f1' }],
      }),
    );
    const found = await store.read.ingest.findIdempotent(tenant, [
      { userId: 'u1', metricId: 'm1', key: 'k1' },
      { userId: 'u1', metricId: 'm2', key: 'k1' },
      { userId: 'u2', metricId: 'm1', key: 'k1' },
    ]);
    expect(found).toEqual(new Map([[idempotencyKeyOf('u1', 'm1', 'k1'), { response, fingerprint: 'f1' }]]));
  });

  it('loads nothing for nothing asked, and writes nothing for no changes', async () => {
    await store.transaction((tx) => tx.ingest.write(tenant, {}));
    const reads = store.read.userState;
    expect((await reads.loadTotals(tenant, [], ['m1'])).size).toBe(0);
    expect(await state({ userIds: ['u1'], users: true })).toEqual({ ...(await state({})), users: expect.any(Map) });
    expect(await state({ userIds: [], users: true, metricIds: ['m1'], counterIds: ['a1'], heldIds: ['a1'], targets: true })).toEqual(
      await state({}),
    );
    expect((await reads.loadDays(tenant, new Map(), 0)).size).toBe(0);
    expect((await reads.loadStreakPoints(tenant, new Map(), 0)).size).toBe(0);
    expect((await reads.loadPoints(tenant, [])).size).toBe(0);
    expect((await reads.findUsers(tenant, [])).size).toBe(0);
    expect((await store.read.ingest.findIdempotent(tenant, [])).size).toBe(0);
  });

  it('loads in one go what the single reads load, for the users and ids asked', async () => {
    const query = {
      userIds: ['u1', 'u2', 'nobody'],
      users: true,
      metricIds: ['m1'],
      counterIds: ['a1'],
      heldIds: ['a1'],
      series: new Map([['u1', ['m1', 'm2']]]),
      fromDay: 0,
      streaks: new Map([
        ['u1', ['s1']],
        ['u2', ['s1']],
      ]),
      fromPeriod: 3,
      targets: true,
      points: true,
    };
    await store.transaction((tx) => tx.targets.save(tenant, 'u2', 'm1', { value: 12, per: 'week' }, 1));
    const reads = store.read.userState;
    const loaded = await reads.loadState(tenant, query);
    expect(loaded.users).toEqual(await reads.findUsers(tenant, query.userIds));
    expect(loaded.totals).toEqual(await reads.loadTotals(tenant, query.userIds, query.metricIds));
    expect(loaded.days).toEqual(await reads.loadDays(tenant, query.series, query.fromDay));
    expect(loaded.streaks).toEqual(await reads.loadStreakPoints(tenant, query.streaks, query.fromPeriod));
    expect(loaded.counters.get('u1')?.get('a1')).toEqual({ total: 3.75, count: 2 });
    expect(loaded.held.map((h) => h.tierKey).sort()).toEqual(['t1', 't2']);
    expect(loaded.targets).toEqual(new Map([['u2', new Map([['m1', { value: 12, per: 'week' }]])]]));
    expect(loaded.points).toEqual(await reads.loadPoints(tenant, query.userIds));
    expect(loaded.days.get('u1')?.get('m2')).toEqual(new Map([[11, { total: 7, count: 1, firstAt: 600 }]]));
  });

  it('never shows a read what a transaction still running has written, nor what it rolled back', async () => {
    const before = (await store.read.userState.loadTotals(tenant, ['u1'], ['m1'])).get('u1')?.get('m1');
    let reading: Promise<unknown> | undefined;
    const rolledBack = store.transaction(async (tx) => {
      await tx.ingest.write(tenant, { totals: [{ userId: 'u1', metricId: 'm1', value: 100, count: 1, firstAt: 1, lastAt: 1 }] });
      reading = store.read.userState.loadTotals(tenant, ['u1'], ['m1']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('changed my mind');
    });
    await expect(rolledBack).rejects.toThrow('changed my mind');
    const seen = (await reading) as Map<string, Map<string, unknown>>;
    expect(seen.get('u1')?.get('m1')).toEqual(before);
  });
});

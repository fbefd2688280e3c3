/**
 * What member widgets need from the store, the same on both dialects: each community's widget
 * secret (made once, rotated), every community's widget origins, and a celebration found by id
 * alone for its share page (never a backfilled one, never another type).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/community.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../support/dialects.js';
import { c1, c2, openTwoCommunityStore } from '../support/two-community-store.js';

const TYPES = ['achievement.completed', 'points.level_changed', 'streak.milestone'];

describe.each(DIALECTS)('widget store (%s)', (dialect) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await openTwoCommunityStore(dialect, 'laurel-widgets-'));
  });
  afterAll(() => close());

  it('makes a community its widget secret once, and replaces it on rotation', async () => {
    const repo = store.read.widgetSecrets;
    expect(await repo.find('c1')).toBeUndefined();
    const made = await repo.ensure(c1, 'aa'.repeat(32), 1_000);
    expect(made).toEqual({ orgId: 'org', communityId: 'c1', secret: 'aa'.repeat(32), rotatedAt: 1_000 });
    expect(await repo.ensure(c1, 'bb'.repeat(32), 2_000)).toEqual(made);
    await repo.rotate(c1, 'cc'.repeat(32), 3_000);
    expect(await repo.find('c1')).toEqual({ ...made, secret: 'cc'.repeat(32), rotatedAt: 3_000 });
    expect(await repo.find('c2')).toBeUndefined();
  });

  it("lists every community's widget origins", async () => {
    expect(await store.read.communities.widgetOrigins()).toEqual([]);
    await store.read.communities.saveSettings('c2', { ...DEFAULT_SETTINGS, widgetOrigins: ['https://a.example', 'http://localhost:5173'] });
    expect(await store.read.communities.widgetOrigins()).toEqual([
      { orgId: 'org', communityId: 'c2', origins: ['https://a.example', 'http://localhost:5173'] },
    ]);
  });

  it('finds a celebration by id alone, but not a backfilled one or another type', async () => {
    const record = (id: string, type: string, backfilled: boolean) => ({
      id,
      type,
      userId: 'ada',
      payload: { n: id },
      backfilled,
      createdAt: 5_000,
    });
    await store.read.outbox.append(c2, [
      record('o1', 'achievement.completed', false),
      record('o2', 'achievement.completed', true),
      record('o3', 'points.changed', false),
    ]);
    expect(await store.read.celebrations.findShared('o1', TYPES)).toEqual({
      id: 'o1',
      type: 'achievement.completed',
      payload: { n: 'o1' },
      createdAt: 5_000,
      tenant: c2,
      userId: 'ada',
    });
    expect(await store.read.celebrations.findShared('o2', TYPES)).toBeUndefined();
    expect(await store.read.celebrations.findShared('o3', TYPES)).toBeUndefined();
    expect(await store.read.celebrations.findShared('nope', TYPES)).toBeUndefined();
  });
});

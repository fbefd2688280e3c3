/**
 * The deliveries store: dispatch fans each outbox event out once, and claims never hand one
 * delivery to two claimers at once, even from two processes' pools on one PostgreSQL database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idPrefix } from '../../src/engine/ids.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import type { OutboxRecord } from '../../src/store/ingest/ingest-store.js';
import type { ClaimedDelivery } from '../../src/store/repositories/deliveries.js';
import { Store } from '../../src/store/store.js';
import type { Tenant } from '../../src/store/tenant.js';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';

const tenant: Tenant = { orgId: 'org', communityId: 'c1' };
const NOW = 1_800_000_000_000;
const EVENTS = 300;

const outbox = (n: number): OutboxRecord => ({
  id: `ev-${String(n).padStart(5, '0')}`,
  type: n % 3 === 0 ? 'points.changed' : 'achievement.completed',
  userId: `u${n}`,
  payload: { type: 'x', n },
  backfilled: n % 10 === 0,
  createdAt: NOW,
});

describe.each(DIALECTS)('webhook deliveries (%s)', (dialect) => {
  const stores: Store[] = [];
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-deliveries-'));
    cleanup.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const schema = dialect === 'postgres' ? await createSchema() : null;
    if (schema) cleanup.push(schema.drop);
    // Two stores, each with its own pool: two processes on PostgreSQL (SQLite has one).
    for (let i = 0; i < (schema ? 2 : 1); i += 1) {
      const store = new Store(openDatabase({ dataDir: dir, url: schema ? POSTGRES_URL : undefined, schema: schema?.name }));
      cleanup.push(() => store.close());
      if (i === 0) await migrateToLatest(store.database);
      stores.push(store);
    }
    const [store] = stores as [Store];
    for (const [id, eventTypes, enabled] of [
      ['all', [], true],
      ['points', ['points.changed'], true],
      ['off', [], false],
    ] as const) {
      await store.read.webhooks.insert({
        id,
        orgId: tenant.orgId,
        communityId: tenant.communityId,
        url: 'http://receiver.test/',
        description: null,
        eventTypes: [...eventTypes],
        enabled,
        secret: 'whsec_AAAA',
        createdAt: NOW,
        updatedAt: NOW,
      });
    }
    await store.read.outbox.append(
      tenant,
      Array.from({ length: EVENTS }, (_, n) => outbox(n)),
    );
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  /** A delivery, whichever webhook it is for. */
  const find = async (id: string) =>
    (await stores[0]?.read.deliveries.get(tenant, 'all', id)) ?? (await stores[0]?.read.deliveries.get(tenant, 'points', id));

  it('dispatches each event once, to the webhooks that want it, from every process at once', async () => {
    // SQLite has one dispatcher (the process's one loop); PostgreSQL two per process.
    const dispatchers = dialect === 'postgres' ? [...stores, ...stores] : stores;
    const taken = await Promise.all(
      dispatchers.map(async (store) => {
        let n = 0;
        for (;;) {
          const got = await store.read.deliveries.dispatch(NOW, idPrefix(NOW), 40);
          if (got === 0) return n;
          n += got;
        }
      }),
    );
    expect(taken.reduce((a, b) => a + b, 0)).toBe(EVENTS);
    const [store] = stores as [Store];
    const all = await store.read.deliveries.list(tenant, 'all', { limit: 1000 });
    const points = await store.read.deliveries.list(tenant, 'points', { limit: 1000 });
    const off = await store.read.deliveries.list(tenant, 'off', { limit: 1000 });
    const delivered = (n: number) => n % 10 !== 0;
    expect(all.deliveries.map((d) => d.outboxId).sort()).toEqual(
      Array.from({ length: EVENTS }, (_, n) => n)
        .filter(delivered)
        .map((n) => outbox(n).id),
    );
    expect(points.deliveries.map((d) => d.outboxId).sort()).toEqual(
      Array.from({ length: EVENTS }, (_, n) => n)
        .filter((n) => delivered(n) && n % 3 === 0)
        .map((n) => outbox(n).id),
    );
    expect(off.deliveries).toEqual([]);
    expect(new Set(all.deliveries.map((d) => d.id)).size).toBe(all.deliveries.length);
  });

  it('never hands one delivery to two claimers', async () => {
    const claimers = [...stores, ...stores, ...stores];
    const claimed = await Promise.all(
      claimers.map(async (store) => {
        const ids: string[] = [];
        for (;;) {
          const batch = await store.read.deliveries.claim(NOW, 30_000, 7);
          if (batch.length === 0) return ids;
          ids.push(...batch.map((c) => c.id));
        }
      }),
    );
    const ids = claimed.flat();
    const [store] = stores as [Store];
    const pending = [
      ...(await store.read.deliveries.list(tenant, 'all', { limit: 1000 })).deliveries,
      ...(await store.read.deliveries.list(tenant, 'points', { limit: 1000 })).deliveries,
    ];
    expect(ids.length).toBe(pending.length);
    expect(new Set(ids).size).toBe(ids.length);
    // Leased: nothing more to claim until the lease runs out, then everything again.
    expect(await store.read.deliveries.claim(NOW + 29_999, 30_000, 1000)).toEqual([]);
    expect(await store.read.deliveries.claim(NOW + 30_001, 30_000, 1000)).toHaveLength(ids.length);
  });

  it('records an outcome only while the claim holds', async () => {
    const [store] = stores as [Store];
    const [claim] = await store.read.deliveries.claim(NOW + 120_000, 30_000, 1);
    if (!claim) throw new Error('nothing to claim');
    expect(claim.payload).toBe(JSON.stringify(outbox(Number(claim.outboxId.slice(3))).payload));
    const stale = { ...claim, lockedUntil: claim.lockedUntil - 1 };
    const delivered = { delivered: true, status: 200, at: NOW + 1 } as const;
    expect(await store.read.deliveries.record([{ claim: stale, outcome: delivered }])).toEqual(new Set());
    const dead = { delivered: false, status: 500, error: 'no', at: NOW + 2, retryAt: null } as const;
    expect(await store.read.deliveries.record([{ claim, outcome: dead }])).toEqual(new Set([claim.id]));
    expect(await store.read.deliveries.record([{ claim, outcome: delivered }])).toEqual(new Set());
    expect(await find(claim.id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastStatus: 500,
      lastError: 'no',
      lastAttemptAt: NOW + 2,
      deliveredAt: null,
    });
  });

  it('records several attempts in one statement: delivered, retried and dead', async () => {
    const [store] = stores as [Store];
    const claims = await store.read.deliveries.claim(NOW + 200_000, 30_000, 3);
    expect(claims).toHaveLength(3);
    const [a, b, c] = claims as [ClaimedDelivery, ClaimedDelivery, ClaimedDelivery];
    const at = NOW + 200_001;
    const recorded = await store.read.deliveries.record([
      { claim: a, outcome: { delivered: true, status: 204, at } },
      { claim: b, outcome: { delivered: false, status: null, error: 'ECONNREFUSED', at, retryAt: at + 5_000 } },
      { claim: c, outcome: { delivered: false, status: 410, error: 'Answered 410', at, retryAt: null } },
    ]);
    expect(recorded).toEqual(new Set([a.id, b.id, c.id]));
    expect(await find(a.id)).toMatchObject({ status: 'delivered', lastStatus: 204, lastError: null, deliveredAt: at, lastAttemptAt: at });
    expect(await find(b.id)).toMatchObject({ status: 'pending', lastStatus: null, lastError: 'ECONNREFUSED', nextAttemptAt: at + 5_000 });
    expect(await find(c.id)).toMatchObject({ status: 'dead', lastStatus: 410, deliveredAt: null });
  });
});

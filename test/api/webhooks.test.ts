/**
 * Webhooks end to end: a real receiver on loopback verifies both signatures (with its own code),
 * sees a 500 retried after the back-off (on the test's clock), gets each event once after
 * deduplicating by webhook-id, and nothing for disabled webhooks, other types or backfilled events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../src/engine/bootstrap.js';
import { timeOrderedId } from '../../src/engine/ids.js';
import type { OutboxRecord } from '../../src/store/ingest/ingest-store.js';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { type Received, type Receiver, startReceiver } from '../support/webhook-receiver.js';
import { standardSignatureValid, trophySignatureValid } from '../support/webhook-signatures.js';

describe.each(DIALECTS)('webhooks (%s)', (dialect) => {
  let t: TestLaurel;
  let receiver: Receiver;
  beforeEach(async () => {
    t = await startLaurel({ dialect, settings: { webhookAllowPrivate: true } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  const deliver = () => t.laurel.ctx.webhooks?.drain();
  const event = (type: string, extra: Partial<OutboxRecord> = {}): OutboxRecord => {
    const id = timeOrderedId(t.clock.now());
    return {
      id,
      type,
      userId: 'ada',
      payload: { type, user: { id: 'ada', name: 'Ada', email: null, tz: 'Europe/London' }, note: `é ✓ ${id}` },
      backfilled: false,
      createdAt: t.clock.now(),
      ...extra,
    };
  };
  const append = (...events: OutboxRecord[]) => t.laurel.ctx.store.read.outbox.append(DEFAULT_TENANT, events);
  const create = async (body: object) => {
    const reply = await t.admin('POST', '/admin/v1/webhooks', body);
    expect(reply.status).toBe(201);
    return reply.body as { id: string; secret: string };
  };
  const log = async (id: string) => (await t.admin('GET', `/admin/v1/webhooks/${id}/deliveries`)).body.items as any[];

  it('delivers every event signed both ways, retries a 500 after the back-off, and logs the attempts', async () => {
    const hook = await create({ url: `${receiver.url}/hook`, description: 'tests' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(32);
    // The secret is shown once: never by reads.
    expect((await t.admin('GET', `/admin/v1/webhooks/${hook.id}`)).body).not.toHaveProperty('secret');
    expect((await t.admin('GET', '/admin/v1/webhooks')).body.map((w: any) => Object.keys(w).includes('secret'))).toEqual([false]);

    const first = event('achievement.completed');
    const second = event('points.changed');
    const failedOnce = new Set<Received>();
    receiver.answer = (r) => {
      if (r.headers['webhook-id'] !== first.id || failedOnce.size > 0) return 200;
      failedOnce.add(r);
      return 500;
    };
    await append(first, second);
    await deliver();
    expect(receiver.received).toHaveLength(2);
    let entries = await log(hook.id);
    const failed = entries.find((d) => d.eventId === first.id);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      eventType: 'achievement.completed',
      deliveredAt: null,
    });
    expect(failed.lastError).toContain('500');
    const wait = Date.parse(failed.nextAttemptAt) - t.clock.now();
    expect(wait).toBeGreaterThanOrEqual(4_000);
    expect(wait).toBeLessThanOrEqual(6_000);

    // Nothing is due before the back-off has passed.
    t.clock.advance(3_000);
    await deliver();
    expect(receiver.received).toHaveLength(2);
    t.clock.advance(4_000);
    await deliver();
    expect(receiver.received).toHaveLength(3);
    entries = await log(hook.id);
    expect(entries.find((d) => d.eventId === first.id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: new Date(t.clock.now()).toISOString(),
    });
    expect(entries.find((d) => d.eventId === second.id)).toMatchObject({ status: 'delivered', attempts: 1 });

    const start = Math.floor(t.clock.now() / 1000) - 7;
    expect(receiver.received.map((r) => Number(r.headers['webhook-timestamp']))).toEqual([start, start, start + 7]);
    for (const r of receiver.received) {
      expect(r.path).toBe('/hook');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toMatch(/^Laurel-Webhooks\//);
      expect(standardSignatureValid(hook.secret, r)).toBe(true);
      expect(trophySignatureValid(hook.secret, r)).toBe(true);
      // A tampered body or another secret fails both checks.
      expect(standardSignatureValid(hook.secret, { ...r, body: `${r.body} ` })).toBe(false);
      expect(trophySignatureValid(`${hook.secret}x`, r)).toBe(false);
    }
    // Deduplicated by webhook-id, each event arrived once, with the stored JSON byte for byte.
    const byId = new Map(receiver.received.map((r) => [r.headers['webhook-id'], r.body]));
    expect(byId).toEqual(
      new Map([
        [first.id, JSON.stringify(first.payload)],
        [second.id, JSON.stringify(second.payload)],
      ]),
    );
  });

  it('delivers what events and completions announce, exactly once each, and nothing of a backfill', async () => {
    const hook = await create({ url: `${receiver.url}/live` });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'first-run',
      name: 'First run',
      criteria: { type: 'metric', metric: 'runs', threshold: 1 },
      rewards: [{ type: 'points', system: 'xp', amount: 10 }],
      status: 'active',
    });
    const sent = await t.api('POST', '/v1/metrics/runs/event', { user: { id: 'ada', name: 'Ada' }, value: 1 });
    expect(sent.status).toBe(201);
    // Granted silently to dee, who qualified before the achievement existed.
    await t.api('POST', '/v1/metrics/chapters/event', { user: { id: 'dee' }, value: 5 });
    const backfilled = await t.admin('POST', '/admin/v1/achievements', {
      key: 'reader',
      name: 'Reader',
      criteria: { type: 'metric', metric: 'chapters', threshold: 5 },
      policies: { onActivation: 'backfill' },
      status: 'active',
    });
    expect(backfilled.body.backfill).toMatchObject({ status: 'done' });
    await deliver();
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.type, b.user.id]).sort()).toEqual([
      ['achievement.completed', 'ada'],
      ['points.changed', 'ada'],
    ]);
    expect(bodies.find((b) => b.type === 'achievement.completed')).toMatchObject({
      user: { id: 'ada', name: 'Ada' },
      achievement: { key: 'first-run', completionId: sent.body.achievements[0].completionId },
    });
    for (const r of receiver.received) expect(standardSignatureValid(hook.secret, r) && trophySignatureValid(hook.secret, r)).toBe(true);
    expect((await log(hook.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });

  it('sends nothing to disabled webhooks, for types not subscribed to, or for backfilled events', async () => {
    const points = await create({ url: `${receiver.url}/points`, eventTypes: ['points.changed'] });
    const off = await create({ url: `${receiver.url}/off`, enabled: false });
    await create({ url: `${receiver.url}/all` });
    const unlock = event('achievement.completed');
    const change = event('points.changed');
    const silent = event('achievement.completed', { backfilled: true });
    await append(unlock, change, silent);
    await deliver();
    const got = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => r.headers['webhook-id']);
    expect(got('/points')).toEqual([change.id]);
    expect(got('/off')).toEqual([]);
    expect(got('/all').sort()).toEqual([unlock.id, change.id].sort());
    expect(await log(points.id)).toHaveLength(1);
    expect(await log(off.id)).toEqual([]);

    // Enabled later, it gets what comes next, not what came while it was off.
    expect((await t.admin('PATCH', `/admin/v1/webhooks/${off.id}`, { enabled: true })).body.enabled).toBe(true);
    await deliver();
    expect(got('/off')).toEqual([]);
    const later = event('streak.extended');
    await append(later);
    await deliver();
    expect(got('/off')).toEqual([later.id]);
    expect(got('/points')).toEqual([change.id]);
    // The backfilled event never went anywhere.
    expect(receiver.received.some((r) => r.headers['webhook-id'] === silent.id)).toBe(false);
  });

  it('retries one delivery on request and replays a time range, never backfilled events', async () => {
    const hook = await create({ url: `${receiver.url}/hook` });
    const early = event('achievement.completed');
    const silent = event('achievement.completed', { backfilled: true });
    await append(early, silent);
    t.clock.advance(60_000);
    const late = event('points.changed');
    await append(late);
    await deliver();
    expect(receiver.received).toHaveLength(2);

    const [latest] = await log(hook.id);
    expect(latest.eventId).toBe(late.id);
    const retried = await t.admin('POST', `/admin/v1/webhooks/${hook.id}/deliveries/${latest.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: latest.id, status: 'pending', attempts: 1 });
    await deliver();
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === late.id)).toHaveLength(2);
    expect((await log(hook.id))[0]).toMatchObject({ id: latest.id, status: 'delivered', attempts: 2 });

    // Only the first minute: the early event again, not the backfilled one, not the late one.
    const from = new Date(early.createdAt).toISOString();
    const replay = await t.admin('POST', `/admin/v1/webhooks/${hook.id}/replay`, {
      from,
      to: new Date(early.createdAt + 1_000).toISOString(),
    });
    expect(replay).toMatchObject({ status: 200, body: { queued: 1 } });
    const before = receiver.received.length;
    await deliver();
    expect(receiver.received.slice(before).map((r) => r.headers['webhook-id'])).toEqual([early.id]);

    // A webhook created after the events gets them by replay.
    const newer = await create({ url: `${receiver.url}/newer`, eventTypes: ['points.changed'] });
    const all = await t.admin('POST', `/admin/v1/webhooks/${newer.id}/replay`, { from, to: new Date(t.clock.now()).toISOString() });
    expect(all.body).toEqual({ queued: 1 });
    await deliver();
    expect(receiver.received.filter((r) => r.path === '/newer').map((r) => r.headers['webhook-id'])).toEqual([late.id]);

    expect(
      (await t.admin('POST', `/admin/v1/webhooks/${hook.id}/replay`, { from: '2026-03-01T00:00:00Z', to: '2026-03-02T09:00:00Z' })).body,
    ).toEqual({
      queued: 0,
    });
    expect(await t.admin('POST', `/admin/v1/webhooks/${hook.id}/replay`, { from: 'yesterday', to: from })).toMatchObject({
      status: 422,
      body: { code: 'invalid_date', field: 'from' },
    });
    expect(await t.admin('POST', `/admin/v1/webhooks/${hook.id}/replay`, { from, to: '2020-01-01T00:00:00Z' })).toMatchObject({
      status: 422,
      body: { code: 'invalid_range' },
    });
    expect(await t.admin('POST', `/admin/v1/webhooks/${hook.id}/deliveries/nope/retry`)).toMatchObject({
      status: 404,
      body: { code: 'delivery_not_found' },
    });
    expect(await t.admin('POST', '/admin/v1/webhooks/nope/replay', { from, to: from })).toMatchObject({
      status: 404,
      body: { code: 'webhook_not_found', field: 'id' },
    });
  });

  it('gives up a day after the event, and pages the log newest first', async () => {
    const hook = await create({ url: `${receiver.url}/down` });
    receiver.answer = () => 503;
    const events = [event('achievement.completed'), event('points.changed'), event('streak.extended')];
    await append(...events);
    const start = t.clock.now();
    await deliver();
    for (let hour = 1; hour <= 25; hour += 1) {
      t.clock.set(start + hour * 3_600_000);
      await deliver();
    }
    const entries = await log(hook.id);
    expect(entries.map((d) => d.status)).toEqual(['dead', 'dead', 'dead']);
    for (const d of entries) {
      expect(d.lastStatus).toBe(503);
      expect(d.attempts).toBeGreaterThan(10);
      expect(Date.parse(d.lastAttemptAt) - start).toBeLessThanOrEqual(24 * 3_600_000);
    }
    const page = await t.admin('GET', `/admin/v1/webhooks/${hook.id}/deliveries?limit=2`);
    expect(page.body.items.map((d: any) => d.eventId)).toEqual([events[2]?.id, events[1]?.id]);
    const rest = await t.admin('GET', `/admin/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${page.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [{ eventId: events[0]?.id }], nextCursor: null });
    expect((await t.admin('GET', `/admin/v1/webhooks/${hook.id}/deliveries?status=pending`)).body.items).toEqual([]);
  });

  it('pings through the same signing, edits and deletes webhooks', async () => {
    const hook = await create({ url: `${receiver.url}/ping`, eventTypes: ['points.changed'] });
    const ping = await t.admin('POST', `/admin/v1/webhooks/${hook.id}/ping`);
    expect(ping).toMatchObject({ status: 200, body: { status: 'delivered', attempts: 1, lastStatus: 200, eventType: 'webhook.ping' } });
    const [got] = receiver.received;
    expect(got && JSON.parse(got.body)).toMatchObject({ type: 'webhook.ping', webhook: { id: hook.id } });
    expect(got && standardSignatureValid(hook.secret, got) && trophySignatureValid(hook.secret, got)).toBe(true);
    expect(got?.headers['webhook-id']).toBe(ping.body.eventId);

    const patched = await t.admin('PATCH', `/admin/v1/webhooks/${hook.id}`, { description: 'renamed', eventTypes: [] });
    expect(patched.body).toMatchObject({ description: 'renamed', eventTypes: [], url: `${receiver.url}/ping` });
    expect(await t.admin('PATCH', `/admin/v1/webhooks/${hook.id}`, { url: 'ftp://example.com/' })).toMatchObject({
      status: 422,
      body: { code: 'invalid_url', field: 'url' },
    });
    for (const url of ['file:///etc/passwd', 'gopher://example.com', 'not a url', 'javascript:alert(1)']) {
      expect(await t.admin('POST', '/admin/v1/webhooks', { url })).toMatchObject({ status: 422, body: { code: 'invalid_url' } });
    }
    expect(await t.admin('POST', '/admin/v1/webhooks', { url: 'https://example.com/', eventTypes: ['Not A Type'] })).toMatchObject({
      status: 422,
    });
    // A ping is not an event of the community: no other webhook gets it.
    await create({ url: `${receiver.url}/other` });
    await t.admin('POST', `/admin/v1/webhooks/${hook.id}/ping`);
    await deliver();
    expect(receiver.received.filter((r) => r.path === '/other')).toEqual([]);

    expect((await t.admin('DELETE', `/admin/v1/webhooks/${hook.id}`)).status).toBe(200);
    expect(await t.admin('GET', `/admin/v1/webhooks/${hook.id}`)).toMatchObject({ status: 404, body: { code: 'webhook_not_found' } });
    expect((await t.admin('GET', `/admin/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
  });
});

describe('webhooks to private addresses', () => {
  let t: TestLaurel;
  let receiver: Receiver;
  beforeEach(async () => {
    t = await startLaurel();
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await t.close();
    await receiver.close();
  });

  it('are refused at send time without LAUREL_WEBHOOK_ALLOW_PRIVATE, as failed attempts saying why', async () => {
    const port = new URL(receiver.url).port;
    for (const [host, why] of [
      ['127.0.0.1', 'loopback'],
      ['localhost', 'loopback'],
      ['[::1]', 'loopback'],
      ['[::ffff:127.0.0.1]', 'loopback'],
      ['10.1.2.3', 'private'],
      ['169.254.169.254', 'link-local'],
      ['[fd00::1]', 'unique-local'],
      ['0.0.0.0', 'unspecified'],
    ] as const) {
      const hook = await t.admin('POST', '/admin/v1/webhooks', { url: `http://${host}:${port}/x` });
      expect(hook.status).toBe(201);
      const ping = await t.admin('POST', `/admin/v1/webhooks/${hook.body.id}/ping`);
      expect(ping.body).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
      expect(ping.body.lastError).toContain(why);
      expect(ping.body.lastError).toContain('LAUREL_WEBHOOK_ALLOW_PRIVATE=1');
    }
    expect(receiver.received).toEqual([]);
  });
});

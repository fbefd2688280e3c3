/**
 * Hostile input (issue 11): out-of-range numbers, NUL characters, overlong ids, reused idempotency
 * keys and odd metric keys are refused with Laurel's error shape, and nothing stored goes bad.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('bad input (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
    await t.admin('POST', '/admin/v1/leaderboards', { key: 'top', name: 'Top', rankBy: 'metric', metric: 'steps', status: 'active' });
  });
  afterAll(() => t.close());

  const event = (metric: string, payload: string, headers: Record<string, string> = {}) =>
    t.raw('POST', `/v1/metrics/${metric}/event`, { payload, headers: { 'x-api-key': t.appKey, ...headers } });

  describe('numbers out of range', () => {
    it('refuses 1e308 (twice) with 422 naming value, and reads stay healthy', async () => {
      for (let i = 0; i < 2; i++) {
        const reply = await event('xp_source', '{"user":{"id":"big"},"value":1e308}');
        expect(reply.status).toBe(422);
        expect(reply.body).toMatchObject({ code: 'validation_failed', field: 'value' });
      }
      expect((await event('xp_source', '{"user":{"id":"big"},"value":1e309}')).body).toMatchObject({ field: 'value' });
      expect((await event('xp_source', '{"user":{"id":"big"},"value":-1000000000001}')).status).toBe(422);
      expect((await event('xp_source', '{"user":{"id":"big"},"value":1000000000000}')).status).toBe(201);
      const summary = await t.api('GET', '/v1/points/xp/summary');
      expect(summary.status).toBe(200);
    });

    it('refuses thresholds, amounts and targets beyond the range, naming the field', async () => {
      const threshold = await t.admin('POST', '/admin/v1/achievements', {
        name: 'Huge',
        criteria: { type: 'metric', metric: 'steps', threshold: 1e300 },
      });
      expect(threshold.status).toBe(422);
      expect(threshold.body.field).toBe('criteria.threshold');
      const tier = await t.admin('POST', '/admin/v1/achievements', {
        name: 'Tiers',
        criteria: { type: 'metric', metric: 'steps' },
        tiers: [
          { key: 'one', name: 'One', threshold: 1 },
          { key: 'two', name: 'Two', threshold: 2e12 },
        ],
      });
      expect(tier.status).toBe(422);
      expect(tier.body.field).toBe('tiers[1].threshold');
      const amount = await t.admin('POST', '/admin/v1/achievements', {
        name: 'Rich',
        criteria: { type: 'metric', metric: 'steps', threshold: 1 },
        rewards: [{ type: 'points', system: 'xp', amount: 1e300 }],
      });
      expect(amount.status).toBe(422);
      expect(amount.body.field).toBe('rewards[0].amount');
      const target = await t.api('PUT', '/v1/users/ann/targets/steps', { value: 1e13, per: 'day' });
      expect(target.status).toBe(422);
      expect(target.body.field).toBe('value');
    });

    it("bounds values only: a custom reward's data keeps any finite number, delivered as-is", async () => {
      // biome-ignore lint/correctness/noPrecisionLoss: a number past double precision must pass through as the client sent it.
      const data = { expiresAt: 1767225600000, nested: { serial: 12345678901234567, list: [-1e20, 0.5] } };
      const created = await t.admin('POST', '/admin/v1/achievements', {
        key: 'coupon',
        name: 'Coupon',
        criteria: { type: 'metric', metric: 'purchases', threshold: 1 },
        rewards: [{ type: 'custom', data }],
        status: 'active',
      });
      expect(created.status).toBe(201);
      const reply = await t.api('POST', '/v1/metrics/purchases/event', { user: { id: 'shopper' }, value: 1 });
      expect(reply.status).toBe(201);
      expect(reply.body.achievements[0].rewards).toEqual([{ type: 'custom', data }]);
      const infinite = await t.raw('POST', '/admin/v1/achievements', {
        payload: '{"name":"Inf","criteria":{"type":"api"},"rewards":[{"type":"custom","data":{"x":1e309}}]}',
        headers: { 'x-api-key': ADMIN_KEY },
      });
      expect(infinite.status).toBe(422);
      expect(infinite.body).toMatchObject({ code: 'value_out_of_range', field: 'rewards[0].data.x' });
      const value = await t.api('POST', '/v1/metrics/purchases/event', { user: { id: 'shopper' }, value: 1e13 });
      expect(value.status).toBe(422);
      expect(value.body.field).toBe('value');
    });

    it('states the value range on every number a request may carry (/openapi.json)', async () => {
      const spec = (await t.raw('GET', '/openapi.json')).body;
      const unbounded: string[] = [];
      const walk = (schema: any, where: string): void => {
        if (!schema || typeof schema !== 'object') return;
        const types = [schema.type].flat();
        if ((types.includes('number') || types.includes('integer')) && !(schema.minimum >= -1e12 && schema.maximum <= 1e12))
          unbounded.push(where);
        for (const [key, member] of Object.entries(schema.properties ?? {})) walk(member, `${where}.${key}`);
        walk(schema.items, `${where}[]`);
        if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${where}.*`);
        for (const key of ['anyOf', 'oneOf', 'allOf']) for (const member of schema[key] ?? []) walk(member, where);
      };
      for (const [path, operations] of Object.entries<any>(spec.paths)) {
        for (const [method, op] of Object.entries<any>(operations)) {
          for (const parameter of op.parameters ?? []) walk(parameter.schema, `${method} ${path} ${parameter.name}`);
          for (const content of Object.values<any>(op.requestBody?.content ?? {})) walk(content.schema, `${method} ${path} body`);
        }
      }
      expect(unbounded).toEqual([]);
    });

    it('refuses the event that would take a total beyond 1e15, and the total stays finite', async () => {
      const batch = Array.from({ length: 1000 }, () => ({ metric: 'steps', user: { id: 'walker' }, value: 1e12 }));
      expect((await t.api('POST', '/v1/events', { events: batch })).status).toBe(200);
      const over = await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'walker' }, value: 1 });
      expect(over.status).toBe(422);
      expect(over.body).toMatchObject({ code: 'total_out_of_range', field: 'value' });
      const inBatch = await t.api('POST', '/v1/events', {
        events: [
          { metric: 'steps', user: { id: 'walker' }, value: -5 },
          { metric: 'steps', user: { id: 'walker' }, value: 10 },
        ],
      });
      expect(inBatch.status).toBe(422);
      expect(inBatch.body).toMatchObject({ code: 'total_out_of_range', field: 'events[1].value', index: 1 });
      const metric = await t.api('GET', '/v1/users/walker/metrics/steps');
      expect(metric.body.current).toBe(1e15);
      const board = await t.api('GET', '/v1/leaderboards/top');
      expect(board.status).toBe(200);
      expect(board.body.rankings[0]).toMatchObject({ userId: 'walker', value: 1e15 });
    });

    it('refuses the event whose points would take a balance beyond 1e15', async () => {
      await t.admin('POST', '/admin/v1/points-systems', { key: 'coins', name: 'Coins' });
      const trigger = await t.admin('POST', '/admin/v1/points-systems/coins/triggers', {
        type: 'metric',
        metric: 'pages',
        metricThreshold: 1,
        points: 1e12,
      });
      expect(trigger.status).toBe(201);
      expect((await t.api('POST', '/v1/metrics/pages/event', { user: { id: 'reader' }, value: 1000 })).status).toBe(201);
      const over = await t.api('POST', '/v1/metrics/pages/event', { user: { id: 'reader' }, value: 1 });
      expect(over.status).toBe(422);
      expect(over.body.code).toBe('total_out_of_range');
      const points = await t.api('GET', '/v1/users/reader/points/coins');
      expect(points.body.total).toBe(1e15);
    });
  });

  describe('work one request can cause', () => {
    it('refuses an event that would complete a repeatable achievement more than 1,000 times at once', async () => {
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'tiny',
        name: 'Tiny',
        criteria: { type: 'metric', metric: 'drops', threshold: 0.00000001 },
        policies: { repeat: 'unlimited' },
        status: 'active',
      });
      const many = await t.api('POST', '/v1/events', {
        events: [
          { metric: 'drops', user: { id: 'rain' }, value: 0.00000002 },
          { metric: 'drops', user: { id: 'rain' }, value: 1000 },
        ],
      });
      expect(many.status).toBe(422);
      expect(many.body).toMatchObject({ code: 'too_many_completions', field: 'events[1].value', index: 1 });
      const few = await t.api('POST', '/v1/metrics/drops/event', { user: { id: 'rain' }, value: 0.00001 });
      expect(few.status).toBe(201);
      expect(few.body.achievements).toHaveLength(1000);
    });

    it('never refuses an ordinary event for history the user is behind on, and catches up 1,000 per event', async () => {
      expect((await t.api('POST', '/v1/metrics/laps/event', { user: { id: 'veteran' }, value: 20000 })).status).toBe(201);
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'lap',
        name: 'Every lap',
        criteria: { type: 'metric', metric: 'laps', threshold: 1 },
        policies: { repeat: 'unlimited' },
      });
      // Backfill grants at most 10,000 of the 20,000 completions the history is worth.
      const activated = await t.admin('PATCH', '/admin/v1/achievements/lap', { status: 'active' });
      expect(activated.body.backfill).toMatchObject({ status: 'done', granted: 10000 });
      const next = await t.api('POST', '/v1/metrics/laps/event', { user: { id: 'veteran' }, value: 1 });
      expect(next.status).toBe(201);
      expect(next.body.achievements).toHaveLength(1000);
      const held = (await t.api('GET', '/v1/users/veteran/achievements')).body.find((a: { key: string }) => a.key === 'lap');
      expect(held.completionCount).toBe(11000);
    });

    it('keeps streak freezes to at most 1,000', async () => {
      const reply = await t.admin('POST', '/admin/v1/streaks', {
        key: 'frozen',
        name: 'Frozen',
        frequency: 'daily',
        metrics: [{ metric: 'steps' }],
        freezes: { initial: 1e9, autoEarnEveryDays: 0, max: 1e9 },
      });
      expect(reply.status).toBe(422);
      expect(reply.body).toMatchObject({ code: 'invalid_freezes', field: 'freezes.initial' });
    });
  });

  describe('NUL characters', () => {
    it('refuses \\u0000 in a body string or key with 422 naming the field', async () => {
      const id = await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'a\u0000b' }, value: 1 });
      expect(id.status).toBe(422);
      expect(id.body).toMatchObject({ code: 'nul_character', field: 'user.id' });
      const attribute = await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'nul' }, value: 1, attributes: { plan: 'p\u0000' } });
      expect(attribute.body).toMatchObject({ code: 'nul_character', field: 'attributes.plan' });
      const name = await t.admin('POST', '/admin/v1/achievements', { name: 'N\u0000', criteria: { type: 'api' } });
      expect(name.status).toBe(422);
      expect(name.body).toMatchObject({ code: 'nul_character', field: 'name' });
      const user = await t.api('PUT', '/v1/users/plain', { name: '\u0000' });
      expect(user.body).toMatchObject({ code: 'nul_character', field: 'name' });
      const query = await t.api('GET', '/v1/users/plain/activity?cursor=%00');
      expect(query.status).toBe(422);
      expect(query.body.code).toBe('nul_character');
    });

    it('refuses %00 in a path with 400', async () => {
      for (const [method, url] of [
        ['GET', '/v1/users/%00'],
        ['GET', '/v1/users/%00/achievements'],
        ['GET', '/v1/users/a%00b/metrics'],
        ['PUT', '/v1/users/%00'],
      ] as const) {
        const reply = await t.api(method, url, method === 'PUT' ? {} : undefined);
        expect(reply.status, url).toBe(400);
        expect(reply.body, url).toMatchObject({ code: 'nul_character', error: expect.any(String) });
      }
    });
  });

  describe('user ids', () => {
    it('reads back every id it accepts, up to 255 characters (emoji included)', async () => {
      for (const id of ['u'.repeat(255), '🏆'.repeat(255)]) {
        const url = `/v1/users/${encodeURIComponent(id)}`;
        expect((await t.api('POST', '/v1/metrics/steps/event', { user: { id }, value: 1 })).status).toBe(201);
        const reply = await t.api('GET', url);
        expect(reply.status).toBe(200);
        expect(reply.body.id).toBe(id);
        expect((await t.api('GET', `${url}/metrics`)).status).toBe(200);
      }
    });

    it("refuses longer ids in Laurel's error shape, in bodies and paths", async () => {
      const body = await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'u'.repeat(256) }, value: 1 });
      expect(body.status).toBe(422);
      expect(body.body.field).toBe('user.id');
      const path = await t.api('GET', `/v1/users/${'u'.repeat(256)}`);
      expect(path.status).toBe(422);
      expect(path.body.field).toBe('id');
      const huge = await t.api('GET', `/v1/users/${'u'.repeat(2000)}/achievements`);
      expect(huge.status).toBe(414);
      expect(huge.body).toEqual({ error: expect.any(String), code: 'path_parameter_too_long' });
    });
  });

  describe('attributes', () => {
    /** Random characters outside the BMP: 4 bytes each in UTF-8, and nothing to compress. */
    const wide = (length: number) =>
      Array.from({ length }, () => String.fromCodePoint(0x10000 + Math.floor(Math.random() * 0xf0000))).join('');

    it('keeps names to 100 and values to 255 characters, which a leaderboard breakdown can key on', async () => {
      await t.admin('POST', '/admin/v1/leaderboards', {
        key: 'by-team',
        name: 'By team',
        rankBy: 'metric',
        metric: 'goals',
        breakdownAttribute: 'team',
        status: 'active',
      });
      const id = wide(255);
      const team = wide(255);
      const longest = await t.api('POST', '/v1/metrics/goals/event', {
        user: { id, attributes: { team } },
        value: 1,
        attributes: { [`n${'x'.repeat(99)}`]: wide(255) },
      });
      expect(longest.status).toBe(201);
      expect(longest.body.leaderboards['by-team']).toMatchObject({ rank: 1, breakdownAttributeValue: team });
      for (const length of [256, 2000]) {
        const over = await t.api('POST', '/v1/metrics/goals/event', { user: { id, attributes: { team: wide(length) } }, value: 1 });
        expect(over.status).toBe(422);
        expect(over.body).toMatchObject({ code: 'validation_failed', field: 'user.attributes.team' });
      }
      const name = await t.api('POST', '/v1/metrics/goals/event', {
        user: { id: 'named' },
        value: 1,
        attributes: { ['n'.repeat(101)]: 'x' },
      });
      expect(name.status).toBe(422);
      expect(name.body).toMatchObject({ code: 'validation_failed', field: `attributes.${'n'.repeat(101)}` });
      const profile = await t.api('PUT', '/v1/users/named', { attributes: { team: wide(256) } });
      expect(profile.status).toBe(422);
      expect(profile.body.field).toBe('attributes.team');
    });
  });

  describe('idempotency keys', () => {
    it('refuses a key reused with a different body with 422 idempotency_key_reused', async () => {
      const headers = { 'idempotency-key': 'pay-1' };
      const first = await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'idem' }, value: 5 }, headers);
      expect(first.status).toBe(201);
      expect((await t.api('POST', '/v1/metrics/steps/event', { value: 5, user: { id: 'idem' } }, headers)).status).toBe(202);
      // A retry may carry what the event does not use: a per-attempt field, an updated profile.
      const retry = await t.api(
        'POST',
        '/v1/metrics/steps/event',
        { user: { id: 'idem', name: 'Idem Potent' }, value: 5, sentAt: '2026-03-02T10:00:01Z' },
        headers,
      );
      expect(retry.status).toBe(202);
      expect(retry.body).toMatchObject({ idempotentReplayed: true, total: 5 });
      const again = await t.api('POST', '/v1/events', {
        events: [{ metric: 'steps', user: { id: 'idem', email: 'i@example.com' }, value: 5, idempotencyKey: 'pay-1', attempt: 2 }],
      });
      expect(again.status).toBe(200);
      expect(again.body.results[0]).toMatchObject({ status: 202, idempotentReplayed: true, total: 5 });
      const reused = await t.api('POST', '/v1/metrics/steps/event', { user: { id: 'idem' }, value: 6 }, headers);
      expect(reused.status).toBe(422);
      expect(reused.body).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
      const batch = await t.api('POST', '/v1/events', {
        events: [
          { metric: 'steps', user: { id: 'idem' }, value: 1, idempotencyKey: 'b-1' },
          { metric: 'steps', user: { id: 'idem' }, value: 2, idempotencyKey: 'b-1' },
        ],
      });
      expect(batch.status).toBe(422);
      expect(batch.body).toMatchObject({ code: 'idempotency_key_reused', field: 'events[1].idempotencyKey', index: 1 });
      expect((await t.api('GET', '/v1/users/idem/metrics/steps')).body.current).toBe(5);
    });
  });

  describe('metric keys and messages', () => {
    it('keeps metric keys an application creates to the admin key pattern', async () => {
      for (const key of ['%20', '.x', '-x', 'a%20b']) {
        const reply = await t.api('POST', `/v1/metrics/${key}/event`, { user: { id: 'keys' }, value: 1 });
        expect(reply.status, key).toBe(422);
        expect(reply.body.field, key).toBe('key');
      }
      const odd = await t.api('POST', '/v1/metrics/toString/event', { user: { id: 'keys' }, value: 3 });
      expect(odd.status).toBe(201);
      expect(odd.body).toMatchObject({ metricKey: 'toString', total: 3 });
      const metrics = await t.admin('GET', '/admin/v1/metrics');
      expect(metrics.body.map((m: { key: string }) => m.key)).not.toContain(' ');
    });

    it('treats keys and attribute names like "toString" as any other', async () => {
      await t.admin('POST', '/admin/v1/points-systems', { key: 'constructor', name: 'Odd points' });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'valueOf',
        name: 'Odd',
        criteria: { type: 'metric', metric: 'hasOwnProperty', threshold: 1 },
        rewards: [{ type: 'points', system: 'constructor', amount: 5 }],
        status: 'active',
      });
      await t.admin('POST', '/admin/v1/leaderboards', {
        key: 'toString',
        name: 'Odd board',
        rankBy: 'points',
        pointsSystem: 'constructor',
        breakdownAttribute: 'toString',
        status: 'active',
      });
      const reply = await t.api('POST', '/v1/metrics/hasOwnProperty/event', { user: { id: 'odd' }, value: 2 });
      expect(reply.status).toBe(201);
      expect(reply.body.points.constructor).toMatchObject({ added: 5, total: 5 });
      expect(reply.body.leaderboards.toString).toMatchObject({ rank: 1, breakdownAttributeValue: '' });
      const board = await t.api('GET', '/v1/users/odd/leaderboards/toString');
      expect(board.status).toBe(200);
      expect(board.body).toMatchObject({ rank: 1, value: 5 });
    });

    it('lists the valid criteria types for an unknown one', async () => {
      const reply = await t.admin('POST', '/admin/v1/achievements', { name: 'Odd', criteria: { type: 'magic' } });
      expect(reply.status).toBe(422);
      expect(reply.body.field).toBe('criteria.type');
      for (const type of ['metric', 'streak', 'anniversary', 'api', 'composite']) expect(reply.body.error).toContain(`"${type}"`);
    });

    it('names the events field for a bare-array batch body', async () => {
      const reply = await t.api('POST', '/v1/events', [{ metric: 'steps', user: { id: 'x' }, value: 1 }]);
      expect(reply.status).toBe(422);
      expect(reply.body.field).toBe('events');
    });
  });
});

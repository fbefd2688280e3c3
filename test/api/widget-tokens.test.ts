/**
 * Member widgets' server side: widget tokens (minted by the app's backend, read by a member's
 * browser), their scope, expiry and rotation; CORS for the widget origins; the share page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';
import { createLessons } from '../support/lessons.js';
import { openSse, type SseStream } from '../support/sse.js';

const APP = 'https://app.example.com';

describe.each(DIALECTS)('widget tokens (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await createLessons(t, {
      celebration: { message: 'Well done!' },
      badgeUrl: '/badges/default/0190a0b0-0000-7000-8000-000000000001.png',
    });
    expect((await t.admin('PATCH', '/admin/v1/settings', { widgetOrigins: [APP] })).status).toBe(200);
  });
  afterAll(() => t.close());

  const mint = async (user: string, body?: unknown) => {
    const answer = await t.api<{ token: string; expiresAt: string }>('POST', `/v1/users/${user}/widget-token`, body ?? {});
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const asMember = (token: string, method: string, url: string, options: { body?: unknown; origin?: string } = {}) =>
    t.raw(method, url, {
      ...(options.body !== undefined ? { body: options.body } : {}),
      headers: { authorization: `Bearer ${token}`, ...(options.origin ? { origin: options.origin } : {}) },
    });

  it('mints a token whose payload names the member, creating an unknown member as POST /v1/users would', async () => {
    const { token, expiresAt } = await mint('ada');
    expect(token).toMatch(/^lw1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    expect(payload).toEqual({ v: 1, o: expect.any(String), c: expect.any(String), u: 'ada', exp: Date.parse(expiresAt) / 1000 });
    expect(Date.parse(expiresAt) - t.clock.now()).toBe(3_600_000);
    expect((await t.api('GET', '/v1/users/ada')).status).toBe(200);
    const short = await mint('ada', { expiresIn: 60 });
    expect(Date.parse(short.expiresAt) - t.clock.now()).toBe(60_000);
    expect((await t.api('POST', '/v1/users/ada/widget-token', { expiresIn: 59 })).status).toBe(422);
    expect((await t.api('POST', '/v1/users/ada/widget-token', { expiresIn: 86_401 })).status).toBe(422);
    expect((await t.raw('POST', '/v1/users/ada/widget-token', { headers: { 'x-api-key': t.appKey } })).status).toBe(200);
  });

  it("reads the member's own data and nobody else's", async () => {
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'bea' }, value: 1 });
    await t.api('POST', '/v1/users', { id: 'cal' });
    const { token } = await mint('bea');
    const own = await asMember(token, 'GET', '/v1/users/bea/achievements');
    expect(own.status).toBe(200);
    expect(own.body.map((a: { key: string }) => a.key)).toContain('first-lesson');
    for (const url of [
      '/v1/users/bea/points/xp',
      '/v1/users/bea/streak',
      '/v1/users/bea/celebrations',
      '/v1/achievements',
      '/v1/points/xp',
    ]) {
      expect((await asMember(token, 'GET', url)).status, url).toBe(200);
    }
    const other = await asMember(token, 'GET', '/v1/users/cal/achievements');
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('widget_token_user');
    expect((await asMember(token, 'POST', '/v1/users/cal/celebrations/ack', { body: { ids: [] } })).body.code).toBe('widget_token_user');
    const ack = await asMember(token, 'POST', '/v1/users/bea/celebrations/ack', { body: { ids: [] } });
    expect(ack.status).toBe(200);
  });

  it('is refused on every route that does not admit members', async () => {
    const { token } = await mint('bea');
    for (const [method, url, body] of [
      ['GET', '/v1/users/bea/metrics'],
      // The user record holds email, device tokens and attributes, which no widget shows.
      ['GET', '/v1/users/bea'],
      ['POST', '/v1/metrics/lessons/event', { user: { id: 'bea' }, value: 1 }],
      ['PATCH', '/v1/users/bea', { name: 'Bea' }],
      ['POST', '/v1/users/bea/widget-token', {}],
      ['GET', '/v1/streaks/rankings'],
      ['GET', '/admin/v1/settings'],
      ['POST', '/admin/v1/widget-secret/rotate'],
    ] as const) {
      const answer = await asMember(token, method, url, body === undefined ? {} : { body });
      expect([answer.status, answer.body.code], `${method} ${url}`).toEqual([403, 'widget_token_scope']);
    }
  });

  it('refuses a tampered or malformed token, and an expired one as expired', async () => {
    const { token } = await mint('dan', { expiresIn: 60 });
    const [prefix, body, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), u: 'bea' })).toString(
      'base64url',
    );
    for (const bad of [`${prefix}.${forged}.${signature}`, `${token.slice(0, -2)}AA`, 'lw1.garbage', 'lw1.e30.AAAA']) {
      const answer = await asMember(bad, 'GET', '/v1/users/dan/achievements');
      expect([answer.status, answer.body.code], bad).toEqual([401, 'invalid_widget_token']);
    }
    expect((await asMember(token, 'GET', '/v1/users/dan/achievements')).status).toBe(200);
    t.clock.advance(60_000);
    const expired = await asMember(token, 'GET', '/v1/users/dan/achievements');
    expect([expired.status, expired.body.code]).toEqual([401, 'widget_token_expired']);
  });

  it("reads only its member's group of a broken-down leaderboard, at most 100 rankings at once", async () => {
    const board = (key: string, extra: Record<string, unknown> = {}) =>
      t.admin('POST', '/admin/v1/leaderboards', { key, name: key, rankBy: 'metric', metric: 'goals', status: 'active', ...extra });
    expect((await board('goals-by-team', { breakdownAttribute: 'team' })).status).toBe(201);
    expect((await board('goals', { maxParticipants: 500 })).status).toBe(201);
    for (const [id, team, value] of [
      ['kim', 'red', 3],
      ['lou', 'red', 1],
      ['max', 'blue', 5],
    ] as const) {
      await t.api('POST', '/v1/metrics/goals/event', { user: { id, attributes: { team } }, value });
    }
    const { token } = await mint('kim');
    const ids = (reply: { body: { rankings: { userId: string }[] } }) => reply.body.rankings.map((r) => r.userId);
    // As the leaderboard widget asks: no userAttributes, the member's own group.
    const own = await asMember(token, 'GET', '/v1/leaderboards/goals-by-team?offset=0&limit=7');
    expect([own.status, ids(own)]).toEqual([200, ['kim', 'lou']]);
    expect(ids(await asMember(token, 'GET', '/v1/leaderboards/goals-by-team?userAttributes=team:red'))).toEqual(['kim', 'lou']);
    const other = await asMember(token, 'GET', '/v1/leaderboards/goals-by-team?userAttributes=team:blue');
    expect([other.status, other.body.code]).toEqual([403, 'widget_token_scope']);
    // An application key still reads any group.
    expect(ids(await t.api('GET', '/v1/leaderboards/goals-by-team?userAttributes=team:blue'))).toEqual(['max']);

    await t.api('POST', '/v1/events', {
      events: Array.from({ length: 150 }, (_, i) => ({ metric: 'goals', user: { id: `g${i}` }, value: 1 })),
    });
    expect((await asMember(token, 'GET', '/v1/leaderboards/goals?limit=500')).body.rankings).toHaveLength(100);
    expect((await t.api('GET', '/v1/leaderboards/goals?limit=500')).body.rankings).toHaveLength(153);
  });

  it('refuses every token minted before a rotation', async () => {
    const before = await mint('eve');
    expect((await asMember(before.token, 'GET', '/v1/users/eve/achievements')).status).toBe(200);
    const rotated = await t.admin('POST', '/admin/v1/widget-secret/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ rotatedAt: new Date(t.clock.now()).toISOString() });
    const refused = await asMember(before.token, 'GET', '/v1/users/eve/achievements');
    expect([refused.status, refused.body.code]).toEqual([401, 'invalid_widget_token']);
    const after = await mint('eve');
    expect((await asMember(after.token, 'GET', '/v1/users/eve/achievements')).status).toBe(200);
    // Application keys may not rotate.
    expect((await t.api('POST', '/admin/v1/widget-secret/rotate')).status).toBe(403);
  });

  it('counts a member against the reads limit, per member', async () => {
    await t.admin('PATCH', '/admin/v1/settings', { rateLimits: { readsPerSecond: 2 } });
    try {
      const one = await mint('fay');
      const two = await mint('fay');
      expect((await asMember(one.token, 'GET', '/v1/users/fay/achievements', { origin: APP })).status).toBe(200);
      expect((await asMember(two.token, 'POST', '/v1/users/fay/celebrations/ack', { body: { ids: [] } })).status).toBe(200);
      const limited = await asMember(one.token, 'GET', '/v1/users/fay/achievements', { origin: APP });
      expect(limited.status).toBe(429);
      expect(limited.headers['access-control-allow-origin']).toBe(APP);
      expect(limited.headers['access-control-expose-headers']).toContain('retry-after');
      expect((await t.api('GET', '/v1/users/fay')).status).toBe(200);
    } finally {
      await t.admin('PATCH', '/admin/v1/settings', { rateLimits: null });
    }
  });

  describe('CORS', () => {
    const preflight = (origin: string, path = '/v1/users/ada/achievements') =>
      t.raw('OPTIONS', path, {
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });

    it('answers a preflight from a widget origin, and refuses any other without CORS headers', async () => {
      const allowed = await preflight(APP);
      expect(allowed.status).toBe(204);
      expect(allowed.headers).toMatchObject({
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'authorization, content-type, last-event-id',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      const refused = await preflight('https://evil.example.com');
      expect(refused.status).toBe(403);
      expect(Object.keys(refused.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    });

    it('allows the widget origin on answers, errors included, and refuses other origins', async () => {
      const { token } = await mint('gus');
      const ok = await asMember(token, 'GET', '/v1/users/gus/achievements', { origin: APP });
      expect(ok.status).toBe(200);
      expect(ok.headers['access-control-allow-origin']).toBe(APP);
      expect(ok.headers.vary).toContain('Origin');
      const notOwn = await asMember(token, 'GET', '/v1/users/ada/achievements', { origin: APP });
      expect([notOwn.status, notOwn.headers['access-control-allow-origin']]).toEqual([403, APP]);
      const bad = await asMember(`${token}x`, 'GET', '/v1/users/gus/achievements', { origin: APP });
      expect([bad.status, bad.body.code, bad.headers['access-control-allow-origin']]).toEqual([401, 'invalid_widget_token', APP]);

      const evil = await asMember(token, 'GET', '/v1/users/gus/achievements', { origin: 'https://evil.example.com' });
      expect([evil.status, evil.body.code]).toEqual([403, 'origin_not_allowed']);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const evilBad = await asMember(`${token}x`, 'GET', '/v1/users/gus/achievements', { origin: 'https://evil.example.com' });
      expect(evilBad.headers['access-control-allow-origin']).toBeUndefined();

      // Laurel's own origin (its host) is always allowed; API keys never get CORS headers.
      const own = await asMember(token, 'GET', '/v1/users/gus/achievements', { origin: 'http://localhost' });
      expect([own.status, own.headers['access-control-allow-origin']]).toEqual([200, undefined]);
      const keyed = await t.api('GET', '/v1/users/gus', undefined, { origin: APP });
      expect(keyed.status).toBe(403);
      expect(keyed.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('refuses an API key sent from a page of another origin, and keeps the same origin (the dashboard) working', async () => {
      const refusal = { code: 'api_key_in_browser', error: 'API keys must stay on your server: a page sends a widget token instead' };
      const event = { user: { id: 'kit' }, value: 1 };
      for (const origin of [APP, 'https://evil.example.com', 'null']) {
        const app = await t.api('POST', '/v1/metrics/lessons/event', event, { origin });
        expect([app.status, app.body], origin).toEqual([403, refusal]);
        expect(app.headers['access-control-allow-origin']).toBeUndefined();
        const bearer = await t.raw('POST', '/v1/metrics/lessons/event', {
          body: event,
          headers: { authorization: `Bearer ${t.appKey}`, origin },
        });
        expect([bearer.status, bearer.body.code]).toEqual([403, 'api_key_in_browser']);
        expect((await t.admin('PATCH', '/admin/v1/settings', { widgetOrigins: [APP] }, { origin })).body).toEqual(refusal);
      }
      // From this Laurel's own origin (its Host), and from servers, which send no Origin.
      expect((await t.api('POST', '/v1/metrics/lessons/event', event, { origin: 'http://localhost' })).status).toBe(201);
      expect((await t.admin('GET', '/admin/v1/settings', undefined, { origin: 'http://localhost' })).status).toBe(200);
      expect((await t.api('POST', '/v1/metrics/lessons/event', event)).status).toBe(201);
    });

    it('sends the CORS header on the celebration stream', async () => {
      const address = await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
      const { token } = await mint('hal');
      const controller = new AbortController();
      const response = await fetch(`${address}/v1/users/hal/celebrations/stream`, {
        headers: { authorization: `Bearer ${token}`, origin: APP },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      controller.abort();
    });

    it('validates and canonicalises widgetOrigins', async () => {
      const set = (widgetOrigins: unknown) => t.admin('PATCH', '/admin/v1/settings', { widgetOrigins });
      const saved = await set(['HTTPS://App.Example.com:443/', 'http://localhost:5173', 'https://app.example.com']);
      expect(saved.status).toBe(200);
      expect(saved.body.widgetOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
      expect((await t.admin('GET', '/admin/v1/settings')).body.widgetOrigins).toEqual(saved.body.widgetOrigins);
      for (const [bad, field] of [
        [['https://app.example.com/path'], 'widgetOrigins[0]'],
        [[APP, 'https://app.example.com?x=1'], 'widgetOrigins[1]'],
        [['*'], 'widgetOrigins[0]'],
        [['https://*.example.com'], 'widgetOrigins[0]'],
        [['ftp://example.com'], 'widgetOrigins[0]'],
        [['https://user:pw@example.com'], 'widgetOrigins[0]'],
        [['example.com'], 'widgetOrigins[0]'],
        [Array.from({ length: 51 }, (_, i) => `https://a${i}.example.com`), 'widgetOrigins'],
      ] as const) {
        const answer = await set(bad);
        expect([answer.status, answer.body.code, answer.body.field], JSON.stringify(bad)).toEqual([422, 'invalid_origin', field]);
      }
      // A new origin applies at once in this process.
      expect((await preflight('http://localhost:5173')).status).toBe(204);
      await set([APP]);
      expect((await preflight('http://localhost:5173')).status).toBe(403);
    });
  });

  describe('share page', () => {
    it('lists shareUrl on each celebration and renders the page with Open Graph tags', async () => {
      await t.api('PUT', '/v1/users/ida', { name: 'Ida' });
      await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'ida' }, value: 1 });
      const { celebrations } = (await t.api('GET', '/v1/users/ida/celebrations', undefined, { host: 'laurel.test' })).body;
      const unlock = celebrations.find((c: { kind: string }) => c.kind === 'achievement');
      expect(unlock.shareUrl).toBe(`http://laurel.test/share/${unlock.id}`);

      const page = await t.laurel.app.inject({ method: 'GET', url: `/share/${unlock.id}`, headers: { host: 'laurel.test' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('public, max-age=300');
      // Built on the request's Host (no LAUREL_PUBLIC_URL): a shared cache must not serve it for another.
      expect(page.headers.vary).toBe('Accept-Language, Host');
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(page.body).toContain('<title>Ida unlocked First lesson</title>');
      expect(page.body).toContain('<meta property="og:title" content="Ida unlocked First lesson">');
      expect(page.body).toContain('<meta property="og:description" content="Well done!">');
      expect(page.body).toContain(
        '<meta property="og:image" content="http://laurel.test/badges/default/0190a0b0-0000-7000-8000-000000000001.png">',
      );
      expect(page.body).toContain(`<meta property="og:url" content="http://laurel.test/share/${unlock.id}">`);
      expect(page.body).toContain('<meta property="og:type" content="website">');
      expect(page.body).toContain('<meta name="twitter:card" content="summary">');
    });

    it('escapes what the community and the member wrote', async () => {
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'evil',
        name: '<script>alert(1)</script>"\'&',
        criteria: { type: 'metric', metric: 'pages', threshold: 1 },
        status: 'active',
      });
      await t.api('PUT', '/v1/users/jo', { name: '"><img src=x onerror=alert(2)>' });
      await t.api('POST', '/v1/metrics/pages/event', { user: { id: 'jo' }, value: 1 });
      const { celebrations } = (await t.api('GET', '/v1/users/jo/celebrations')).body;
      const page = await t.laurel.app.inject({ method: 'GET', url: new URL(celebrations[0].shareUrl).pathname });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<script>');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;');
      expect(page.body).toContain('&#34;&#62;&#60;img src=x onerror=alert(2)&#62; unlocked');
    });

    it('answers 404 HTML for an unknown id', async () => {
      for (const id of ['0190a0b0-0000-7000-8000-000000000000', 'x'.repeat(200)]) {
        const page = await t.laurel.app.inject({ method: 'GET', url: `/share/${id}` });
        expect(page.statusCode).toBe(404);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.body).toContain('<title>Not found</title>');
      }
    });
  });
});

describe('widget tokens on an open celebration stream', () => {
  let t: TestLaurel;
  let address: string;
  beforeAll(async () => {
    t = await startLaurel({ streamHeartbeatMs: 50 });
    address = await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
    await t.api('POST', '/v1/users', { id: 'ada' });
  });
  afterAll(() => t.close());

  const open = async (headers: Record<string, string>) => {
    const stream = await openSse(`${address}/v1/users/ada/celebrations/stream`, headers);
    expect(stream.status).toBe(200);
    return stream;
  };
  const endsWithin = (stream: SseStream, ms: number) =>
    Promise.race([stream.ended.then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('still open'), ms))]);
  const member = async (expiresIn = 3_600) => {
    const { token } = (await t.api('POST', '/v1/users/ada/widget-token', { expiresIn })).body;
    return open({ authorization: `Bearer ${token}` });
  };

  it("keeps a valid token's stream open, heartbeat after heartbeat, and an API key's", async () => {
    const [token, key] = [await member(), await open({ 'x-api-key': t.appKey })];
    expect(await endsWithin(token, 300)).toBe('still open');
    expect(await endsWithin(key, 10)).toBe('still open');
    expect(token.text().match(/: ping/g)?.length).toBeGreaterThan(2);
    await Promise.all([token.close(), key.close()]);
  });

  it('ends the stream when its token expires', async () => {
    const stream = await member(60);
    expect(await endsWithin(stream, 200)).toBe('still open');
    t.clock.advance(60_000);
    expect(await endsWithin(stream, 2_000)).toBe('ended');
  });

  it('ends the stream when the secret is rotated', async () => {
    const [stream, key] = [await member(), await open({ 'x-api-key': t.appKey })];
    expect((await t.admin('POST', '/admin/v1/widget-secret/rotate')).status).toBe(200);
    expect(await endsWithin(stream, 2_000)).toBe('ended');
    expect(await endsWithin(key, 200)).toBe('still open');
    await key.close();
  });
});

describe('widget tokens with LAUREL_PUBLIC_URL', () => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ settings: { publicUrl: 'https://laurel.example.com/' } });
    await createLessons(t);
  });
  afterAll(() => t.close());

  it('builds share URLs on it, and allows its origin', async () => {
    await t.api('POST', '/v1/metrics/lessons/event', { user: { id: 'ada' }, value: 1 });
    const { celebrations } = (await t.api('GET', '/v1/users/ada/celebrations')).body;
    expect(celebrations[0].shareUrl).toBe(`https://laurel.example.com/share/${celebrations[0].id}`);
    const page = await t.laurel.app.inject({ method: 'GET', url: `/share/${celebrations[0].id}`, headers: { host: 'other.test' } });
    expect(page.body).toContain(`content="https://laurel.example.com/share/${celebrations[0].id}"`);
    expect(page.headers.vary).toBe('Accept-Language');
    const { token } = (await t.api('POST', '/v1/users/ada/widget-token')).body;
    const own = await t.raw('GET', '/v1/users/ada/achievements', {
      headers: { authorization: `Bearer ${token}`, origin: 'https://laurel.example.com' },
    });
    expect(own.status).toBe(200);
    const other = await t.raw('GET', '/v1/users/ada/achievements', {
      headers: { authorization: `Bearer ${token}`, origin: 'https://app.example.com' },
    });
    expect([other.status, other.body.code]).toEqual([403, 'origin_not_allowed']);
    // Its origin is this Laurel's: a dashboard served there keeps its key.
    expect((await t.admin('GET', '/admin/v1/settings', undefined, { origin: 'https://laurel.example.com' })).status).toBe(200);
  });
});

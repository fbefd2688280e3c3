import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('API keys (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
  });
  afterAll(() => t.close());

  it('answers /healthz and /readyz without a key', async () => {
    expect((await t.raw('GET', '/healthz')).body).toEqual({ status: 'ok', database: dialect });
    expect((await t.raw('GET', '/readyz')).status).toBe(200);
  });

  it('refuses requests without a key or with a wrong one (401)', async () => {
    const missing = await t.raw('GET', '/v1/achievements');
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('missing_api_key');
    const wrong = await t.raw('GET', '/v1/achievements', { headers: { 'x-api-key': 'nope' } });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'invalid_api_key' } });
    expect(typeof wrong.body.error).toBe('string');
  });

  it('accepts X-API-Key and Authorization: Bearer', async () => {
    expect((await t.raw('GET', '/v1/achievements', { headers: { 'x-api-key': t.appKey } })).status).toBe(200);
    expect((await t.raw('GET', '/v1/achievements', { headers: { authorization: `Bearer ${t.appKey}` } })).status).toBe(200);
  });

  it('keeps application keys out of the admin API (403) and lets admin keys call both', async () => {
    const denied = await t.api('GET', '/admin/v1/achievements');
    expect(denied).toMatchObject({ status: 403, body: { code: 'admin_key_required' } });
    expect((await t.admin('GET', '/v1/achievements')).status).toBe(200);
  });

  it('shows a new key once, lists it by prefix only, and stops accepting it once revoked', async () => {
    const created = await t.admin('POST', '/admin/v1/api-keys', { name: 'mobile app' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^laurel_app_/);
    expect(created.body.kind).toBe('application');
    const listed = await t.admin('GET', '/admin/v1/api-keys');
    const entry = listed.body.find((k: any) => k.id === created.body.id);
    expect(entry).toMatchObject({ name: 'mobile app', prefix: created.body.key.slice(0, 15), revoked: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const key = created.body.key as string;
    expect((await t.raw('GET', '/v1/achievements', { headers: { 'x-api-key': key } })).status).toBe(200);
    const revoked = await t.admin('DELETE', `/admin/v1/api-keys/${created.body.id}`);
    expect(revoked.body.revoked).not.toBeNull();
    expect((await t.raw('GET', '/v1/achievements', { headers: { 'x-api-key': key } })).status).toBe(401);
  });

  it('creates admin keys that work on the admin API', async () => {
    const created = await t.admin('POST', '/admin/v1/api-keys', { name: 'ops', kind: 'admin' });
    expect(created.body.key).toMatch(/^laurel_admin_/);
    expect((await t.raw('GET', '/admin/v1/metrics', { headers: { 'x-api-key': created.body.key } })).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const reply = await t.raw('GET', '/v1/nothing-here', { headers: { 'x-api-key': ADMIN_KEY } });
    expect(reply).toMatchObject({ status: 404, body: { code: 'route_not_found' } });
  });

  it('serves the OpenAPI document', async () => {
    const doc = await t.raw('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/metrics/{key}/event', '/v1/events', '/admin/v1/achievements', '/v1/users/{id}/achievements']),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('metrics (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
  });
  afterAll(() => t.close());

  it('creates, lists, reads and edits a metric', async () => {
    const created = await t.admin('POST', '/admin/v1/metrics', {
      key: 'challenges',
      name: 'Challenges',
      verb: 'Complete',
      unit: 'challenges',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'challenges', name: 'Challenges', status: 'active' });
    expect((await t.admin('GET', '/admin/v1/metrics')).body.map((m: any) => m.key)).toContain('challenges');
    const edited = await t.admin('PATCH', '/admin/v1/metrics/challenges', { unitSingular: 'challenge' });
    expect(edited.body.unitSingular).toBe('challenge');
    expect((await t.admin('GET', '/admin/v1/metrics/challenges')).body.unitSingular).toBe('challenge');
  });

  it('refuses a duplicate key (409), unknown fields and bad keys (422), unknown metrics (404)', async () => {
    await t.admin('POST', '/admin/v1/metrics', { key: 'dup', name: 'Dup' });
    expect((await t.admin('POST', '/admin/v1/metrics', { key: 'dup', name: 'Again' })).body).toMatchObject({
      code: 'duplicate_key',
      field: 'key',
    });
    const unknown = await t.admin('POST', '/admin/v1/metrics', { key: 'x', name: 'X', colour: 'red' });
    expect(unknown).toMatchObject({ status: 422, body: { field: 'colour', error: 'colour is not a known field' } });
    expect((await t.admin('POST', '/admin/v1/metrics', { key: 'has space', name: 'X' })).body).toMatchObject({ field: 'key' });
    expect((await t.admin('GET', '/admin/v1/metrics/nope')).status).toBe(404);
    expect((await t.admin('PATCH', '/admin/v1/metrics/dup', { key: 'other' })).body.code).toBe('key_immutable');
  });

  it('creates a metric implicitly when an event names it', async () => {
    const event = await t.api('POST', '/v1/metrics/lessons_done/event', { user: { id: 'u1' }, value: 1 });
    expect(event.status).toBe(201);
    const metric = await t.admin('GET', '/admin/v1/metrics/lessons_done');
    expect(metric.body).toMatchObject({ key: 'lessons_done', name: 'Lessons done', id: event.body.metricId });
  });

  it('refuses unknown metrics with a 404 naming the key once the community is strict', async () => {
    expect((await t.admin('PATCH', '/admin/v1/settings', { strictMetrics: true })).body.strictMetrics).toBe(true);
    const event = await t.api('POST', '/v1/metrics/unheard_of/event', { user: { id: 'u1' }, value: 1 });
    expect(event).toMatchObject({ status: 404, body: { code: 'metric_not_found', field: 'key' } });
    expect(event.body.error).toContain('"unheard_of"');
    const achievement = await t.admin('POST', '/admin/v1/achievements', {
      name: 'Strict',
      criteria: { type: 'metric', metric: 'unheard_of', threshold: 1 },
    });
    expect(achievement).toMatchObject({ status: 404, body: { field: 'criteria.metric' } });
    expect((await t.api('POST', '/v1/metrics/challenges/event', { user: { id: 'u1' }, value: 1 })).status).toBe(201);
    await t.admin('PATCH', '/admin/v1/settings', { strictMetrics: false });
  });

  it('archives a deleted metric: history stays, new events are refused, achievements on it are flagged dangling', async () => {
    await t.admin('POST', '/admin/v1/metrics', { key: 'posts', name: 'Posts' });
    await t.admin('POST', '/admin/v1/achievements', {
      key: 'poster',
      name: 'Poster',
      criteria: { type: 'metric', metric: 'posts', threshold: 5 },
      status: 'active',
    });
    await t.api('POST', '/v1/metrics/posts/event', { user: { id: 'u2' }, value: 1 });
    const deleted = await t.admin('DELETE', '/admin/v1/metrics/posts');
    expect(deleted.body.status).toBe('archived');
    const refused = await t.api('POST', '/v1/metrics/posts/event', { user: { id: 'u2' }, value: 1 });
    expect(refused).toMatchObject({ status: 422, body: { code: 'metric_archived' } });
    const poster = await t.admin('GET', '/admin/v1/achievements/poster');
    expect(poster.body.health).toBe('dangling');
    expect(poster.body.healthIssues[0]).toMatchObject({ code: 'metric_archived', field: 'criteria.metric' });
  });
});

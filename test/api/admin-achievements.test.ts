import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

describe.each(DIALECTS)('admin: achievements (%s)', (dialect) => {
  let t: TestLaurel;
  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', unit: 'words', unitSingular: 'word', verb: 'Write' });
    await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP' });
  });
  afterAll(() => t.close());

  const create = (body: object) => t.admin('POST', '/admin/v1/achievements', body);

  it('creates a draft with defaults, a key from the name and a condition text', async () => {
    const created = await create({ name: 'Ten thousand words', criteria: { type: 'metric', metric: 'words', threshold: 10000 } });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual([]);
    expect(created.body.achievement).toMatchObject({
      key: 'ten-thousand-words',
      status: 'draft',
      scope: 'community',
      condition: 'Write 10,000 words',
      policies: { match: 'reach', onActivation: 'backfill', repeat: 'once' },
      criteria: { measure: 'sum' },
      health: 'ok',
      completions: 0,
      rarity: 0,
    });
    expect((await t.admin('GET', '/admin/v1/achievements/ten-thousand-words')).body.name).toBe('Ten thousand words');
  });

  it('saves a duplicate name with a warning, refuses a duplicate key', async () => {
    await create({ key: 'hello', name: 'Hello', criteria: { type: 'api' } });
    const again = await create({ key: 'hello-2', name: 'hello', criteria: { type: 'api' } });
    expect(again.status).toBe(201);
    expect(again.body.warnings).toEqual([expect.objectContaining({ code: 'duplicate_name', achievements: ['hello'] })]);
    expect((await create({ key: 'hello', name: 'Other', criteria: { type: 'api' } })).body).toMatchObject({
      code: 'duplicate_key',
      field: 'key',
    });
  });

  it('answers bad input with 422 naming the field, and saves nothing', async () => {
    const cases: [object, string, string][] = [
      [{ name: 'x', criteria: { type: 'metric', metric: 'words', threshold: 0 } }, 'criteria.threshold', 'invalid_threshold'],
      [{ name: 'x', criteria: { type: 'metric', metric: 'words', threshold: 'ten' } }, 'criteria.threshold', 'validation_failed'],
      [
        {
          name: 'x',
          criteria: { type: 'metric', metric: 'words' },
          tiers: [
            { key: 'a', name: 'A', threshold: 50 },
            { key: 'b', name: 'B', threshold: 10 },
          ],
        },
        'tiers[1].threshold',
        'tiers_out_of_order',
      ],
      [{ name: 'x', criteria: { type: 'sorcery' } }, 'criteria.type', 'validation_failed'],
      [{ name: 'x', criteria: { type: 'api' }, colour: 'red' }, 'colour', 'validation_failed'],
      [{ name: 'x', criteria: { type: 'api', metric: 'words' } }, 'criteria.metric', 'validation_failed'],
      [{ criteria: { type: 'api' } }, 'name', 'validation_failed'],
      [
        { name: 'x', criteria: { type: 'api' }, rewards: [{ type: 'points', system: 'gold', amount: 5 }] },
        'rewards[0].system',
        'unknown_points_system',
      ],
      [{ name: 'x', criteria: { type: 'composite', requires: ['nope'] } }, 'criteria.requires[0]', 'unknown_achievement'],
      [{ name: 'x', criteria: { type: 'api' }, policies: { match: 'sometimes' } }, 'policies.match', 'validation_failed'],
    ];
    const before = (await t.admin('GET', '/admin/v1/achievements')).body.length;
    for (const [body, field, code] of cases) {
      const reply = await create(body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body, JSON.stringify(body)).toMatchObject({ field, code });
      expect(reply.body.error.length).toBeGreaterThan(5);
    }
    expect((await t.admin('GET', '/admin/v1/achievements')).body.length).toBe(before);
  });

  it('answers malformed JSON with 400', async () => {
    const reply = await t.raw('POST', '/admin/v1/achievements', {
      payload: '{"name": ',
      headers: { 'x-api-key': 'test-admin-key-0123456789' },
    });
    expect(reply).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
  });

  it('moves through statuses and refuses illegal transitions with a 409 naming both', async () => {
    await create({ key: 'life', name: 'Life', criteria: { type: 'api' } });
    const patch = (status: string) => t.admin('PATCH', '/admin/v1/achievements/life', { status });
    expect((await patch('locked')).body).toMatchObject({
      code: 'illegal_status_transition',
      error: expect.stringContaining('from draft to locked'),
    });
    expect((await patch('active')).body.achievement.status).toBe('active');
    expect((await patch('draft')).status).toBe(409);
    expect((await patch('locked')).body.achievement.status).toBe('locked');
    expect((await patch('active')).body.achievement.status).toBe('active');
    expect((await patch('locked')).status).toBe(200);
    expect((await patch('archived')).body.achievement.status).toBe('archived');
    const back = await patch('active');
    expect(back).toMatchObject({ status: 409, body: { error: expect.stringContaining('from archived to active') } });
  });

  it('refuses DELETE: archive instead', async () => {
    const reply = await t.admin('DELETE', '/admin/v1/achievements/life');
    expect(reply).toMatchObject({ status: 405, body: { code: 'delete_refused' } });
    expect(reply.headers.allow).toBe('GET, PATCH');
  });

  it('refuses to change a key and 404s on an unknown one', async () => {
    expect((await t.admin('PATCH', '/admin/v1/achievements/hello', { key: 'other' })).body.code).toBe('key_immutable');
    expect((await t.admin('PATCH', '/admin/v1/achievements/missing', { name: 'x' })).status).toBe(404);
    expect((await t.admin('GET', '/admin/v1/achievements/missing')).body.code).toBe('achievement_not_found');
  });

  it('filters, searches and sorts the list', async () => {
    await create({ key: 'f1', name: 'Alpha', category: 'writing', tags: ['launch'], criteria: { type: 'api' }, status: 'active' });
    await create({ key: 'f2', name: 'Beta', category: 'social', tags: ['launch', 'beta'], scope: 'org', criteria: { type: 'api' } });
    const keys = async (query: string) => (await t.admin('GET', `/admin/v1/achievements${query}`)).body.map((a: any) => a.key);
    expect(await keys('?tag=launch&sort=name')).toEqual(['f1', 'f2']);
    expect(await keys('?tag=launch&sort=-name')).toEqual(['f2', 'f1']);
    expect(await keys('?category=social')).toEqual(['f2']);
    expect(await keys('?scope=org')).toEqual(['f2']);
    expect(await keys('?status=active&tag=launch')).toEqual(['f1']);
    expect(await keys('?q=alph')).toEqual(['f1']);
    expect(await keys('?status=archived')).toEqual(['life']);
    expect((await t.admin('GET', '/admin/v1/achievements?sort=colour')).body).toMatchObject({ code: 'invalid_sort', field: 'sort' });
  });

  it('flags a composite whose requirement was archived as dangling', async () => {
    await create({ key: 'req', name: 'Req', criteria: { type: 'api' }, status: 'active' });
    await create({ key: 'combo', name: 'Combo', criteria: { type: 'composite', requires: ['req', 'f1'] }, status: 'active' });
    await t.admin('PATCH', '/admin/v1/achievements/req', { status: 'locked' });
    expect((await t.admin('GET', '/admin/v1/achievements/combo')).body.health).toBe('ok');
    await t.admin('PATCH', '/admin/v1/achievements/req', { status: 'archived' });
    const combo = await t.admin('GET', '/admin/v1/achievements/combo');
    expect(combo.body).toMatchObject({
      health: 'dangling',
      healthIssues: [{ code: 'requirement_archived', field: 'criteria.requires[0]' }],
    });
  });

  it("answers in the request's language, with translations", async () => {
    await t.admin('PATCH', '/admin/v1/metrics/words', {
      translations: { de: { verb: 'Schreibe', unit: 'Wörter', unitSingular: 'Wort', name: 'Wörter' } },
    });
    await create({
      key: 'polyglot',
      name: 'Wordsmith',
      description: 'Write a lot',
      translations: { de: { name: 'Wortschmied', description: 'Schreib viel' } },
      criteria: { type: 'metric', metric: 'words', threshold: 1500 },
    });
    const de = await t.admin('GET', '/admin/v1/achievements/polyglot', undefined, { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(de.body).toMatchObject({ name: 'Wortschmied', description: 'Schreib viel', condition: 'Schreibe 1.500 Wörter' });
    const fr = await t.admin('GET', '/admin/v1/achievements/polyglot', undefined, { 'accept-language': 'fr' });
    expect(fr.body).toMatchObject({ name: 'Wordsmith', condition: 'Atteignez un total de 1\u202f500 en « Words written »' });
  });
});

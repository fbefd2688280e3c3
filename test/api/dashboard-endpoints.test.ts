/** The endpoints the dashboard added: draft preview, backfill preview, analytics, badge upload and serving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([26, 0, 0, 0]),
  Buffer.from('WEBPVP8L'),
  Buffer.from([13, 0, 0, 0, 0x2f, 0, 0, 0, 0x10, 7, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0]),
]);
const SVG =
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="gold"/></svg>';

function multipart(file: Buffer | string, filename: string, contentType: string) {
  const boundary = '----laurel-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    Buffer.isBuffer(file) ? file : Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-api-key': ADMIN_KEY } };
}

describe.each(DIALECTS)('dashboard endpoints (%s)', (dialect) => {
  let t: TestLaurel;
  const send = (user: string, value: number, metric = 'words', attributes?: Record<string, string>) =>
    t.api('POST', `/v1/metrics/${metric}/event`, {
      user: { id: user, name: user.toUpperCase() },
      value,
      ...(attributes ? { attributes } : {}),
    });
  const tiered = {
    name: 'Writer',
    criteria: { type: 'metric', metric: 'words' },
    tiers: [
      { key: 'bronze', name: 'Bronze', threshold: 50 },
      { key: 'silver', name: 'Silver', threshold: 100 },
    ],
  };
  const upload = async (file: Buffer | string, filename: string, contentType: string) => {
    const { payload, headers } = multipart(file, filename, contentType);
    const response = await t.laurel.app.inject({ method: 'POST', url: '/admin/v1/badges', payload, headers });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    t = await startLaurel({ dialect });
    await t.admin('POST', '/admin/v1/metrics', { key: 'words', name: 'Words written', verb: 'Write', unit: 'words', unitSingular: 'word' });
    // 5 users: nothing (no events), 10 (20%), 30 (60%), 60 (bronze), 150 (silver).
    await t.api('POST', '/v1/users', { id: 'idle' });
    for (const [user, value] of [
      ['few', 10],
      ['some', 30],
      ['many', 60],
      ['most', 150],
    ] as const)
      await send(user, value);
  });
  afterAll(() => t.close());

  describe('POST /admin/v1/achievements/preview', () => {
    it('words the condition of a draft, per tier too, without saving it', async () => {
      const reply = await t.admin('POST', '/admin/v1/achievements/preview', tiered);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        condition: 'Write 50 words (Bronze) · 100 (Silver)',
        tiers: [
          { key: 'bronze', name: 'Bronze', condition: 'Write 50 words' },
          { key: 'silver', name: 'Silver', condition: 'Write 100 words' },
        ],
        warnings: [],
      });
      expect((await t.admin('GET', '/admin/v1/achievements')).body).toEqual([]);
    });

    it('answers in the request language and words time-aware criteria', async () => {
      const de = await t.admin(
        'POST',
        '/admin/v1/achievements/preview',
        { name: 'x', criteria: { type: 'metric', metric: 'words', measure: 'count', threshold: 3, window: { days: 90 } } },
        { 'accept-language': 'fr' },
      );
      expect(de.body.condition).toContain('90');
      const en = await t.admin('POST', '/admin/v1/achievements/preview', { criteria: { type: 'anniversary', years: 2 } });
      expect(en.body).toMatchObject({ condition: expect.stringMatching(/2 years/) });
      expect(en.body.problems).toBeUndefined();
    });

    it('names what saving would refuse, with the field, as the create would', async () => {
      const outOfOrder = await t.admin('POST', '/admin/v1/achievements/preview', {
        ...tiered,
        tiers: [
          { key: 'a', name: 'A', threshold: 50 },
          { key: 'b', name: 'B', threshold: 10 },
        ],
      });
      expect(outOfOrder.status).toBe(200);
      expect(outOfOrder.body.problems).toEqual([expect.objectContaining({ code: 'tiers_out_of_order', field: 'tiers[1].threshold' })]);
      const zero = await t.admin('POST', '/admin/v1/achievements/preview', {
        name: 'x',
        criteria: { type: 'metric', metric: 'words', threshold: 0 },
      });
      expect(zero.body.problems).toEqual([expect.objectContaining({ code: 'invalid_threshold', field: 'criteria.threshold' })]);
      const shape = await t.admin('POST', '/admin/v1/achievements/preview', {
        name: 'x',
        criteria: { type: 'metric', metric: 'words', threshold: 'ten' },
      });
      expect(shape.body).toMatchObject({ condition: null, problems: [{ code: 'validation_failed', field: 'criteria.threshold' }] });
    });

    it('warns of a duplicate name, and previews an edit of an existing achievement without flagging itself', async () => {
      await t.admin('POST', '/admin/v1/achievements', { key: 'hello', name: 'Hello', criteria: { type: 'api' } });
      const dup = await t.admin('POST', '/admin/v1/achievements/preview', { name: 'hello', criteria: { type: 'api' } });
      expect(dup.body.warnings).toEqual([expect.objectContaining({ code: 'duplicate_name' })]);
      const self = await t.admin('POST', '/admin/v1/achievements/preview', { key: 'hello', name: 'Hello', criteria: { type: 'api' } });
      expect(self.body.warnings).toEqual([]);
    });

    it('is for admins only', async () => {
      expect((await t.api('POST', '/admin/v1/achievements/preview', tiered)).status).toBe(403);
    });
  });

  describe('GET /admin/v1/achievements/{key}/backfill-preview', () => {
    it('counts the users a backfill would grant now, per tier, and the same number is then granted', async () => {
      await t.admin('POST', '/admin/v1/achievements', { key: 'writer', ...tiered });
      const preview = await t.admin('GET', '/admin/v1/achievements/writer/backfill-preview');
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        key: 'writer',
        status: 'draft',
        backfills: true,
        supported: true,
        users: 2,
        tiers: [
          { key: 'bronze', users: 2 },
          { key: 'silver', users: 1 },
        ],
      });
      const activated = await t.admin('PATCH', '/admin/v1/achievements/writer', { status: 'active' });
      expect(activated.body.achievement.completions).toBe(2);
      expect(activated.body.backfill.granted).toBe(3);
      // Held now: nothing more to grant.
      expect((await t.admin('GET', '/admin/v1/achievements/writer/backfill-preview')).body).toMatchObject({
        users: 0,
        tiers: [{ users: 0 }, { users: 0 }],
      });
    });

    it('counts exact matches, event filters and user filters as the backfill would', async () => {
      await send('few', 1, 'posts', { source: 'mobile' });
      await send('some', 1, 'posts', { source: 'web' });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'mobile',
        name: 'Mobile',
        criteria: { type: 'metric', metric: 'posts', measure: 'count', threshold: 1 },
        filters: { event: { source: 'mobile' } },
      });
      expect((await t.admin('GET', '/admin/v1/achievements/mobile/backfill-preview')).body.users).toBe(1);
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'exactly-30',
        name: 'Exactly 30',
        criteria: { type: 'metric', metric: 'words', threshold: 30 },
        policies: { match: 'exact' },
      });
      expect((await t.admin('GET', '/admin/v1/achievements/exactly-30/backfill-preview')).body.users).toBe(1);
      await t.api('PATCH', '/v1/users/most', { attributes: { plan: 'pro' } });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'pro-10',
        name: 'Pro 10',
        criteria: { type: 'metric', metric: 'words', threshold: 10 },
        filters: { user: { plan: 'pro' } },
      });
      expect((await t.admin('GET', '/admin/v1/achievements/pro-10/backfill-preview')).body.users).toBe(1);
    });

    it('says when nobody is granted, and when Laurel cannot count in advance', async () => {
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'later',
        name: 'Later',
        criteria: { type: 'metric', metric: 'words', threshold: 1 },
        policies: { onActivation: 'from_activation' },
      });
      expect((await t.admin('GET', '/admin/v1/achievements/later/backfill-preview')).body).toMatchObject({
        backfills: false,
        users: 0,
        reason: expect.stringContaining('activation'),
      });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'rolling',
        name: 'Rolling',
        criteria: { type: 'metric', metric: 'words', threshold: 1, window: { days: 7 } },
      });
      expect((await t.admin('GET', '/admin/v1/achievements/rolling/backfill-preview')).body).toMatchObject({
        supported: false,
        users: null,
        reason: expect.stringContaining('cannot count'),
      });
      expect((await t.admin('GET', '/admin/v1/achievements/hello/backfill-preview')).body).toMatchObject({
        supported: true,
        users: 0,
        reason: expect.stringContaining('API'),
      });
      await t.admin('POST', '/admin/v1/achievements', {
        key: 'combo',
        name: 'Combo',
        criteria: { type: 'composite', requires: ['writer'] },
      });
      expect((await t.admin('GET', '/admin/v1/achievements/combo/backfill-preview')).body.users).toBe(2);
      expect((await t.admin('GET', '/admin/v1/achievements/missing/backfill-preview')).status).toBe(404);
    });
  });

  describe('GET /admin/v1/achievements/{key}/analytics', () => {
    it('places every user in a stage of progress, by the highest tier held', async () => {
      const reply = await t.admin('GET', '/admin/v1/achievements/writer/analytics');
      expect(reply.status).toBe(200);
      const stages = Object.fromEntries(reply.body.stages.map((s: any) => [s.label, s.users]));
      expect(stages).toEqual({ '0%': 1, '1–24%': 1, '25–49%': 0, '50–74%': 1, '75–99%': 0, Bronze: 1, Silver: 1 });
      expect(reply.body).toMatchObject({ users: 5, completions: 2, rarity: 40, stagesKind: 'progress', days: 30 });
    });

    it('moves users between stages as events arrive, and counts unlocks per day', async () => {
      await send('some', 25);
      t.clock.advance(86_400_000);
      await send('few', 200);
      const reply = await t.admin('GET', '/admin/v1/achievements/writer/analytics?days=3');
      const stages = Object.fromEntries(reply.body.stages.map((s: any) => [s.label, s.users]));
      expect(stages).toMatchObject({ '0%': 1, '1–24%': 0, '50–74%': 0, Bronze: 2, Silver: 2 });
      expect(reply.body.unlocksPerDay).toEqual([
        { date: '2026-03-01', unlocks: 0 },
        { date: '2026-03-02', unlocks: 4 },
        { date: '2026-03-03', unlocks: 2 },
      ]);
      expect(reply.body.latest[0]).toMatchObject({
        userId: 'few',
        userName: 'FEW',
        tier: { key: 'silver', name: 'Silver' },
        backfilled: false,
      });
      expect(reply.body.latest).toHaveLength(6);
    });

    it('shows held or not for achievements without a single measure, and refuses a bad range', async () => {
      await t.admin('PATCH', '/admin/v1/achievements/hello', { status: 'active' });
      await t.api('POST', '/v1/achievements/hello/complete', { user: { id: 'idle' } });
      const reply = await t.admin('GET', '/admin/v1/achievements/hello/analytics');
      expect(reply.body).toMatchObject({
        stagesKind: 'held',
        completions: 1,
        stages: [
          { label: 'Not yet', users: 4 },
          { label: 'Unlocked', users: 1 },
        ],
      });
      expect((await t.admin('GET', '/admin/v1/achievements/hello/analytics?days=0')).status).toBe(422);
      expect((await t.admin('GET', '/admin/v1/achievements/missing/analytics')).status).toBe(404);
    });
  });

  describe('POST /admin/v1/badges', () => {
    it('accepts PNG, WebP and SVG by their content and serves them back at the URL it answers', async () => {
      for (const [file, name, type, ext] of [
        [PNG, 'badge.png', 'image/png', 'png'],
        [WEBP, 'badge.webp', 'image/webp', 'webp'],
        [SVG, 'badge.svg', 'image/svg+xml', 'svg'],
        // The declared type and name do not matter: the content does.
        [PNG, 'innocent.txt', 'text/plain', 'png'],
      ] as const) {
        const reply = await upload(file, name, type);
        expect(reply.status, name).toBe(201);
        expect(reply.body).toMatchObject({ type: ext, url: expect.stringMatching(new RegExp(`^/badges/default/[0-9a-f-]+\\.${ext}$`)) });
        const served = await t.laurel.app.inject({ method: 'GET', url: reply.body.url });
        expect(served.statusCode).toBe(200);
        expect(served.headers['content-type']).toContain(reply.body.contentType);
        // What is served is the rebuilt file (test/api/badge-files.test.ts checks it is the same image).
        expect(served.rawPayload.length).toBe(reply.body.size);
        expect(served.headers['x-content-type-options']).toBe('nosniff');
      }
      // An achievement can hold the URL.
      const { body } = await upload(PNG, 'b.png', 'image/png');
      const created = await t.admin('POST', '/admin/v1/achievements', {
        name: 'With badge',
        badgeUrl: body.url,
        criteria: { type: 'api' },
      });
      expect(created.body.achievement.badgeUrl).toBe(body.url);
    });

    it('refuses other files, SVGs declaring entities and files over 512 KB, naming the field', async () => {
      const refused: [Buffer | string, string, number, string][] = [
        [Buffer.from('GIF89a......'), 'a.gif', 422, 'badge_type'],
        ['just text', 'a.svg', 422, 'badge_type'],
        ['<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', 'a.svg', 422, 'badge_unsafe_svg'],
        ['<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', 'a.svg', 422, 'badge_invalid_svg'],
        [Buffer.concat([PNG, Buffer.alloc(600 * 1024)]), 'big.png', 413, 'badge_too_large'],
      ];
      for (const [file, name, status, code] of refused) {
        const reply = await upload(file, name, 'image/svg+xml');
        expect(reply.status, `${code}: ${String(file).slice(0, 60)}`).toBe(status);
        expect(reply.body).toMatchObject({ code, field: 'file', error: expect.any(String) });
      }
    });

    it('needs a multipart body and an admin key', async () => {
      expect((await t.admin('POST', '/admin/v1/badges', { file: 'x' })).body).toMatchObject({ code: 'multipart_required', field: 'file' });
      const { payload, headers } = multipart(PNG, 'b.png', 'image/png');
      const asApp = await t.laurel.app.inject({
        method: 'POST',
        url: '/admin/v1/badges',
        payload,
        headers: { ...headers, 'x-api-key': t.appKey },
      });
      expect(asApp.statusCode).toBe(403);
      expect((await t.raw('GET', '/badges/nothing-here.png')).status).toBe(404);
    });
  });
});

/**
 * Hostile and benign badge files, uploaded as an admin would and fetched back as a browser would.
 * Each file is either refused with a 4xx naming the problem, or accepted and rebuilt so that what
 * is stored and served holds none of the dangerous constructs and is still a valid image. Then the
 * badge URLs achievements and points systems may hold, and which community a file belongs to.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/engine/api-keys.js';
import { dangersIn } from '../support/badge-dangers.js';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_KEY, startLaurel, type TestLaurel } from '../support/laurel.js';

const NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';
const svg = (body: string, attributes = '') => `<svg ${NS} viewBox="0 0 64 64"${attributes}>${body}</svg>`;

/** Hostile SVGs that are accepted once rebuilt without the hostile part, with something that must survive. */
const REBUILT_SVGS: [string, string, string][] = [
  [
    'entity-encoded javascript: in <animate> href values',
    svg('<a><animate attributeName="href" values="&#106;avascript:alert(1)"/><circle r="9"/></a>'),
    '<circle',
  ],
  [
    'entity-encoded javascript: in <set> xlink:href',
    svg('<a><set attributeName="xlink:href" to="&#x6A;&#x61;vascript:alert(1)"/><circle r="9"/></a>'),
    '<circle',
  ],
  ['xlink:href javascript: on a link', svg('<a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a>'), '<rect'],
  ['href with tab-split javascript:', svg('<a href="java&#9;script:alert(1)"><rect width="9" height="9"/></a>'), '<rect'],
  ['<script> element', svg('<script>alert(1)</script><script><![CDATA[alert(2)]]></script><rect width="9" height="9"/>'), '<rect'],
  ['onload on the root', svg('<rect width="9" height="9"/>', ' onload="alert(1)"'), '<rect'],
  ['onclick and onmouseover', svg('<rect width="9" height="9" onclick="alert(1)" onMouseOver="alert(2)"/>'), '<rect'],
  [
    '<foreignObject> with HTML',
    svg(
      '<foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example/"/></div></foreignObject><rect width="9" height="9"/>',
    ),
    '<rect',
  ],
  [
    'external url(https://) in a style attribute',
    svg('<rect width="9" height="9" style="fill:url(https://evil.example/p.svg#a);stroke:red"/>'),
    'stroke: red',
  ],
  [
    'external url(//) in a style attribute',
    svg('<rect width="9" height="9" style="fill:url(//evil.example/p.svg#a);stroke:red"/>'),
    'stroke: red',
  ],
  [
    'external url() in a <style> sheet',
    svg(
      '<style>.a{fill:url(https://evil.example/x#a)} .b{fill:url(//evil.example/x#b)} .c{fill:gold}</style><rect class="c" width="9" height="9"/>',
    ),
    'fill: gold',
  ],
  [
    '@import and @font-face in a <style> sheet',
    svg(
      '<style>@import url(https://evil.example/x.css);@import "//evil.example/y.css";@font-face{font-family:x;src:url(//evil.example/f.woff)} .c{fill:gold}</style><rect class="c" width="9" height="9"/>',
    ),
    'fill: gold',
  ],
  [
    'external url() in a presentation attribute',
    svg('<rect width="9" height="9" fill="url(https://evil.example/x#a)" stroke="blue"/>'),
    'stroke="blue"',
  ],
  // An attribute holding a backslash goes whole: escapes have no use in a badge.
  [
    'CSS-escaped url( in style and fill',
    svg('<rect width="9" height="9" style="fill:u\\72l(//evil.example/x);stroke:red" fill="u\\72l(//evil.example/y)"/>'),
    '<rect width="9" height="9"/>',
  ],
  [
    'image-set() with a string address',
    svg('<rect width="9" height="9" style="mask:image-set(&quot;https://evil.example/x.png&quot; 1x);stroke:red"/>'),
    'stroke: red',
  ],
  [
    'external <use href="https://…">',
    svg(
      '<defs><circle id="c" r="9"/></defs><use href="https://evil.example/x.svg#a"/><use xlink:href="//evil.example/x.svg#b"/><use href="#c"/>',
    ),
    '<use href="#c"/>',
  ],
  [
    '<image href="http://…">',
    svg('<image href="http://evil.example/track.png" width="9" height="9"/><rect width="9" height="9"/>'),
    '<rect',
  ],
  [
    'data: URLs with HTML and SVG',
    svg(
      '<image href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="><rect width="9" height="9"/></a><image xlink:href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"/>',
    ),
    '<rect',
  ],
  ['external link', svg('<a href="https://evil.example/"><rect width="9" height="9"/></a>'), '<rect'],
  [
    'iframe and embed inside the SVG',
    svg('<iframe src="https://evil.example/"/><embed src="https://evil.example/x.swf"/><rect width="9" height="9"/>'),
    '<rect',
  ],
  [
    'xml-stylesheet processing instruction',
    `<?xml version="1.0"?>\n<?xml-stylesheet href="https://evil.example/x.css"?>\n${svg('<rect width="9" height="9"/>')}`,
    '<rect',
  ],
  ['comment closing early around a script', svg('<!-- --><script>alert(1)</script><!-- --><rect width="9" height="9"/>'), '<rect'],
  [
    'public DOCTYPE naming an external DTD',
    `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${svg('<rect width="9" height="9"/>')}`,
    '<rect',
  ],
];

/** SVGs refused outright: [what, file, status, code]. */
const REFUSED_SVGS: [string, string, number, string][] = [
  [
    'XXE: an external entity',
    `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${svg('<text>&xxe;</text>')}`,
    422,
    'badge_unsafe_svg',
  ],
  [
    'billion laughs',
    `<!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>${svg('<text>&d;&d;&d;&d;</text>')}`,
    422,
    'badge_unsafe_svg',
  ],
  ['30,000-deep nesting', svg(`${'<g>'.repeat(30_000)}${'</g>'.repeat(30_000)}`), 422, 'badge_too_deep'],
  ['65-deep nesting', svg(`${'<g>'.repeat(64)}${'</g>'.repeat(64)}`), 422, 'badge_too_deep'],
  ['2,001 elements', svg('<rect/>'.repeat(2_000)), 422, 'badge_too_complex'],
  ['8,001 attributes', svg('<rect x="1" y="1" width="1" height="1" fill="red"/>'.repeat(1_900)), 422, 'badge_too_complex'],
  [
    '101 attributes on one element',
    svg(`<rect ${Array.from({ length: 101 }, (_, i) => `data-a${i}="1"`).join(' ')}/>`),
    422,
    'badge_too_complex',
  ],
  ['over 512 KB', svg(`<desc>${'x'.repeat(520 * 1024)}</desc>`), 413, 'badge_too_large'],
  ['not well-formed', svg('<rect>'), 422, 'badge_invalid_svg'],
  ['an <svg> without the SVG namespace', '<svg viewBox="0 0 9 9"><rect width="9" height="9"/></svg>', 422, 'badge_invalid_svg'],
  ['an HTML page holding an <svg>', `<html><body>${svg('<rect/>')}<script>alert(1)</script></body></html>`, 422, 'badge_invalid_svg'],
];

const HTML_TAIL = Buffer.from('<html><body><script>alert(document.domain)</script><svg onload="alert(1)"/></body></html>');

/** A PNG with a tEXt chunk (keyword "Comment") holding HTML, inserted after IHDR with its CRC. */
function withTextChunk(png: Buffer, text: string): Buffer {
  const data = Buffer.concat([Buffer.from('Comment\0'), Buffer.from(text)]);
  const type = Buffer.from('tEXt');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([type, data])) >>> 0);
  const afterIhdr = 8 + 4 + 4 + 13 + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), length, type, data, crc, png.subarray(afterIhdr)]);
}

function multipart(file: Buffer | string, filename: string, contentType: string, key = ADMIN_KEY) {
  const boundary = '----laurel-badge-corpus';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    Buffer.isBuffer(file) ? file : Buffer.from(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-api-key': key } };
}

interface Served {
  status: number;
  body: { url: string; type: string; size: number; error?: string; code?: string; field?: string };
  bytes: Buffer;
  headers: Record<string, unknown>;
}

async function upload(t: TestLaurel, file: Buffer | string, filename: string, contentType: string, key = ADMIN_KEY): Promise<Served> {
  const reply = await t.laurel.app.inject({ method: 'POST', url: '/admin/v1/badges', ...multipart(file, filename, contentType, key) });
  const body = reply.json();
  if (reply.statusCode !== 201) return { status: reply.statusCode, body, bytes: Buffer.alloc(0), headers: {} };
  const served = await t.laurel.app.inject({ method: 'GET', url: body.url });
  expect(served.statusCode, body.url).toBe(200);
  return { status: 201, body, bytes: served.rawPayload, headers: served.headers };
}

describe('badge file corpus (sqlite: uploads touch files, not the database)', () => {
  let t: TestLaurel;
  let png: Buffer;
  let webpLossless: Buffer;
  let webpLossy: Buffer;
  const tally = { accepted: 0, rebuilt: 0, refused: 0 };

  beforeAll(async () => {
    t = await startLaurel({ dialect: 'sqlite' });
    const pixels = sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 255, g: 190, b: 0, alpha: 0.8 } } });
    png = await pixels.clone().png().toBuffer();
    webpLossless = await pixels.clone().webp({ lossless: true }).toBuffer();
    webpLossy = await pixels.clone().webp({ quality: 80 }).toBuffer();
  });
  afterAll(async () => {
    console.info(`badge corpus: ${tally.accepted} benign accepted, ${tally.rebuilt} hostile rebuilt clean, ${tally.refused} refused`);
    await t.close();
  });

  it('accepts valid PNG, WebP and SVG badges, serves them as the same image with safe headers', async () => {
    const benignSvg = svg(
      '<title>Gold</title><defs><linearGradient id="g"><stop offset="0" stop-color="gold"/><stop offset="1" stop-color="#a60"/></linearGradient>' +
        '<circle id="dot" r="3"/><style>.ring { stroke: #333; stroke-width: 2 }</style></defs>' +
        '<circle class="ring" cx="32" cy="32" r="28" fill="url(#g)"/><use href="#dot" x="32" y="32"/>' +
        '<text x="32" y="60" text-anchor="middle" style="font-family: Georgia; font-size: 8px">Gold &amp; glory</text>',
    );
    for (const [file, name, declared, type] of [
      [png, 'badge.png', 'image/png', 'png'],
      [webpLossless, 'badge.webp', 'image/webp', 'webp'],
      [webpLossy, 'lossy.webp', 'image/webp', 'webp'],
      [benignSvg, 'badge.svg', 'image/svg+xml', 'svg'],
      // The name and declared type do not matter: the content does.
      [png, 'innocent.txt', 'text/plain', 'png'],
    ] as const) {
      const reply = await upload(t, file, name, declared);
      expect(reply.status, name).toBe(201);
      tally.accepted += 1;
      expect(reply.body).toMatchObject({
        type,
        url: expect.stringMatching(new RegExp(`^/badges/default/[0-9a-f-]{36}\\.${type}$`)),
        size: reply.bytes.length,
      });
      expect(reply.headers['content-type']).toContain(type === 'svg' ? 'image/svg+xml' : `image/${type}`);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['content-security-policy']).toMatch(/^default-src 'none'; .*sandbox/);
      expect(reply.headers['content-disposition']).toMatch(/^inline; filename="[0-9a-f-]{36}\.\w+"$/);
      if (type === 'svg') {
        const served = reply.bytes.toString('utf8');
        expect(dangersIn(served)).toEqual([]);
        for (const kept of [
          '<linearGradient id="g">',
          'fill="url(#g)"',
          '<use href="#dot"',
          '.ring { stroke: #333; stroke-width: 2 }',
          'font-family: Georgia',
          'Gold &amp; glory',
          '<title>Gold</title>',
        ]) {
          expect(served).toContain(kept);
        }
        // Rebuilding is stable: the served file, uploaded again, comes back byte for byte.
        expect((await upload(t, reply.bytes, 'again.svg', 'image/svg+xml')).bytes.equals(reply.bytes)).toBe(true);
        expect((await sharp(reply.bytes).metadata()).format).toBe('svg');
      } else {
        const metadata = await sharp(reply.bytes).metadata();
        expect(metadata).toMatchObject({ format: type, width: 64, height: 48, hasAlpha: true });
      }
    }
  });

  it.each(REBUILT_SVGS)('rebuilds an SVG with %s, keeping the drawing and none of the danger', async (_what, file, survivor) => {
    expect(dangersIn(file).length).toBeGreaterThan(0);
    const reply = await upload(t, file, 'hostile.svg', 'image/svg+xml');
    expect(reply.status).toBe(201);
    tally.rebuilt += 1;
    const served = reply.bytes.toString('utf8');
    expect(dangersIn(served)).toEqual([]);
    expect(served).toContain(survivor);
    expect(served.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    // Still an image: librsvg (through sharp) reads it.
    expect((await sharp(reply.bytes).metadata()).format).toBe('svg');
  });

  it.each(REFUSED_SVGS)('refuses an SVG that is %s', async (_what, file, status, code) => {
    const reply = await upload(t, file, 'hostile.svg', 'image/svg+xml');
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ error: expect.any(String), code, field: 'file' });
    tally.refused += 1;
  });

  it('re-encodes PNGs and WebPs carrying HTML after the image or inside a text chunk, whatever their name', async () => {
    const hostile: [Buffer, string, string][] = [
      [Buffer.concat([png, HTML_TAIL]), 'tail.png', 'png'],
      [withTextChunk(png, HTML_TAIL.toString()), 'comment.png', 'png'],
      [Buffer.concat([webpLossless, HTML_TAIL]), 'tail.webp', 'webp'],
      [Buffer.concat([png, HTML_TAIL]), 'photo.jpg', 'png'],
      [Buffer.concat([webpLossy, HTML_TAIL]), 'photo.jpeg', 'webp'],
    ];
    for (const [file, name, type] of hostile) {
      expect(file.includes('<script')).toBe(true);
      const reply = await upload(t, file, name, 'image/jpeg');
      expect(reply.status, name).toBe(201);
      tally.rebuilt += 1;
      expect(reply.body.type).toBe(type);
      expect(reply.bytes.includes('<script'), name).toBe(false);
      expect(reply.bytes.includes('<html'), name).toBe(false);
      expect(await sharp(reply.bytes).metadata()).toMatchObject({ format: type, width: 64, height: 48 });
    }
  });

  it('refuses image headers followed by HTML, other formats, and images too large to decode safely', async () => {
    const tooWide = await sharp({ create: { width: 4096, height: 8, channels: 3, background: 'red' } })
      .png()
      .toBuffer();
    const bomb = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: 'black' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
      .jpeg()
      .toBuffer();
    const refused: [Buffer, string, string][] = [
      [Buffer.concat([png.subarray(0, 8), HTML_TAIL]), 'header.png', 'badge_invalid_image'],
      [Buffer.concat([Buffer.from('RIFF\x40\x00\x00\x00WEBPVP8 '), HTML_TAIL]), 'header.webp', 'badge_invalid_image'],
      [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), HTML_TAIL]), 'header.jpg', 'badge_type'],
      [Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 'page.png', 'badge_type'],
      [jpeg, 'real.jpg', 'badge_type'],
      [Buffer.from('GIF89a\x01\x00\x01\x00<script>alert(1)</script>'), 'a.gif', 'badge_type'],
      [tooWide, 'wide.png', 'badge_dimensions'],
      [bomb, 'bomb.png', 'badge_dimensions'],
      [Buffer.alloc(0), 'empty.png', 'badge_empty'],
    ];
    expect(bomb.length).toBeLessThan(512 * 1024);
    const stored = () => fs.readdirSync(path.join(t.dataDir, 'badges', 'default')).sort();
    const before = stored();
    for (const [file, name, code] of refused) {
      const reply = await upload(t, file, name, 'image/png');
      expect(reply.status, name).toBe(422);
      expect(reply.body, name).toEqual({ error: expect.any(String), code, field: 'file' });
      tally.refused += 1;
    }
    // Nothing half-done: a refused upload leaves no file behind.
    expect(stored()).toEqual(before);
  });

  it('states the SVG limits it applies in /openapi.json', async () => {
    const spec = (await t.raw('GET', '/openapi.json')).body;
    const description: string = spec.paths['/admin/v1/badges'].post.description;
    expect(description).toContain('nesting deeper than 64, more than 2000 elements, 8000 attributes or 100 attributes on one element');
  });

  it('serves only badge files: not temporary files, other files in the folder, or paths outside it', async () => {
    const { body } = await upload(t, png, 'b.png', 'image/png');
    const directory = path.join(t.dataDir, 'badges', 'default');
    fs.writeFileSync(path.join(directory, 'page.html'), HTML_TAIL);
    fs.writeFileSync(path.join(directory, `${path.basename(body.url)}.1234.tmp`), HTML_TAIL);
    for (const url of [
      '/badges/default/page.html',
      `${body.url}.1234.tmp`,
      '/badges/default/../../master.key',
      '/badges/%2e%2e/master.key',
      '/badges/default',
    ]) {
      expect((await t.raw('GET', url)).status, url).toBe(404);
    }
  });
});

describe.each(DIALECTS)('badge URLs and community ownership (%s)', (dialect) => {
  let t: TestLaurel;
  let secondKey: string;

  beforeAll(async () => {
    t = await startLaurel({ dialect });
    // A second community, made through the store as multi-community work will: its own admin key.
    const now = t.clock.now();
    secondKey = await t.laurel.ctx.store.transaction(async (tx) => {
      await tx.communities.ensure({ id: 'default', name: 'Default organisation' }, { id: 'second', key: 'second', name: 'Second' }, now);
      return (await createApiKey(tx, { orgId: 'default', communityId: 'second' }, { name: 'second admin', kind: 'admin' }, now)).key;
    });
  });
  afterAll(() => t.close());

  const create = (badgeUrl: string, key = ADMIN_KEY) =>
    t.admin(
      'POST',
      '/admin/v1/achievements',
      { name: `Badge ${Math.random()}`, badgeUrl, criteria: { type: 'api' } },
      { 'x-api-key': key },
    );

  it('refuses script, data:, plain-http and credentialled badge URLs, naming the field', async () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'data:image/png;base64,iVBORw0KGgo=',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'http://example.com/badge.png',
      'http://127.0.0.1.evil.example/badge.png',
      '//evil.example/badge.png',
      '\\\\evil.example\\badge.png',
      'https://user:secret@example.com/badge.png',
    ]) {
      const reply = await create(url);
      expect(reply.status, url).toBe(422);
      expect(reply.body, url).toEqual({ error: expect.any(String), code: 'invalid_badge_url', field: 'badgeUrl' });
    }
    const created = await create('https://cdn.example.com/ok.png');
    const patched = await t.admin('PATCH', `/admin/v1/achievements/${created.body.achievement.key}`, { badgeUrl: 'javascript:alert(1)' });
    expect(patched.body).toMatchObject({ code: 'invalid_badge_url', field: 'badgeUrl' });
    expect((await t.admin('GET', `/admin/v1/achievements/${created.body.achievement.key}`)).body.badgeUrl).toBe(
      'https://cdn.example.com/ok.png',
    );
    const tier = await t.admin('POST', '/admin/v1/achievements', {
      name: 'Tiered',
      criteria: { type: 'metric', metric: 'words' },
      tiers: [
        { key: 'one', name: 'One', threshold: 1, badgeUrl: 'https://cdn.example.com/1.png' },
        { key: 'two', name: 'Two', threshold: 2, badgeUrl: 'javascript:alert(1)' },
      ],
    });
    expect(tier.body).toMatchObject({ code: 'invalid_badge_url', field: 'tiers[1].badgeUrl' });
    const points = await t.admin('POST', '/admin/v1/points-systems', { key: 'xp', name: 'XP', badgeUrl: 'data:text/html,x' });
    expect(points.body).toMatchObject({ code: 'invalid_badge_url', field: 'badgeUrl' });
    const level = await t.admin('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      levels: [{ key: 'a', name: 'A', points: 1, badgeUrl: 'http://example.com/a.png' }],
    });
    expect(level.body).toMatchObject({ code: 'invalid_badge_url', field: 'levels[0].badgeUrl' });
    expect((await t.admin('GET', '/admin/v1/points-systems')).body).toEqual([]);
  });

  it('accepts https:, http: on the loopback and paths on this server', async () => {
    for (const url of [
      'https://cdn.example.com/badges/gold.png',
      'http://127.0.0.1:8080/gold.png',
      'http://localhost/gold.png',
      'http://[::1]/gold.png',
      '/static/gold.png',
      'images/gold.svg',
    ]) {
      const reply = await create(url);
      expect(reply.status, url).toBe(201);
      expect(reply.body.achievement.badgeUrl).toBe(url);
    }
    const points = await t.admin('POST', '/admin/v1/points-systems', {
      key: 'xp',
      name: 'XP',
      badgeUrl: 'https://cdn.example.com/xp.png',
      levels: [{ key: 'a', name: 'A', points: 1, badgeUrl: '/static/a.png' }],
    });
    expect(points.status).toBe(201);
  });

  it("stores a community's uploads in its own folder and refuses them as another community's badge", async () => {
    const pixel = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'blue' } })
      .png()
      .toBuffer();
    const mine = await upload(t, pixel, 'a.png', 'image/png');
    const theirs = await upload(t, pixel, 'b.png', 'image/png', secondKey);
    expect(mine.body.url).toMatch(/^\/badges\/default\//);
    expect(theirs.body.url).toMatch(/^\/badges\/second\//);
    expect(fs.existsSync(path.join(t.dataDir, 'badges', 'second', path.basename(theirs.body.url)))).toBe(true);
    expect(fs.existsSync(path.join(t.dataDir, 'badges', 'default', path.basename(theirs.body.url)))).toBe(false);

    expect((await create(mine.body.url)).status).toBe(201);
    expect((await create(theirs.body.url, secondKey)).status).toBe(201);
    const legacy = '/badges/0190a8d2-0000-7000-8000-000000000000.png';
    for (const [url, key] of [
      [theirs.body.url, ADMIN_KEY],
      [theirs.body.url.replace('/badges/second/', '/badges/default/../second/'), ADMIN_KEY],
      [theirs.body.url.replace('/badges/second/', '/static/%2e%2e/badges/second/'), ADMIN_KEY],
      [mine.body.url, secondKey],
      // Files from before per-community folders belong to the default community only.
      [legacy, secondKey],
    ] as const) {
      const reply = await create(url, key);
      expect(reply.status, url).toBe(422);
      expect(reply.body).toMatchObject({
        code: 'invalid_badge_url',
        field: 'badgeUrl',
        error: expect.stringContaining("another community's"),
      });
    }
    expect((await create(legacy)).status).toBe(201);
  });
});

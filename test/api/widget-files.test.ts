/** /widgets serves the member widgets' module to any origin, short-cached by name and cached for good by hash. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { widgetFileRoutes } from '../../src/api/routes/widget-files.js';
import { loadSettings } from '../../src/config.js';

describe('widget files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-widgets-build-'));
  const code = 'export const laurel = 1;\n';
  fs.writeFileSync(path.join(dir, 'laurel.js'), code);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const serve = async (widgetsDir: string, demo = false) => {
    const app = Fastify();
    await app.register(widgetFileRoutes, { widgetsDir, demo });
    return app;
  };

  it('serves /widgets/laurel.js to any origin, cached for five minutes, with an ETag', async () => {
    const app = await serve(dir);
    const reply = await app.inject({ url: '/widgets/laurel.js', headers: { origin: 'https://host.example' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe(code);
    expect(reply.headers['content-type']).toMatch(/^text\/javascript/);
    expect(reply.headers['cache-control']).toBe('public, max-age=300');
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers.etag).toMatch(/^"[0-9a-f]+"$/);
    const again = await app.inject({ url: '/widgets/laurel.js', headers: { 'if-none-match': reply.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await app.close();
  });

  it('names the versioned module in the manifest, and serves it immutable', async () => {
    const app = await serve(dir);
    const manifest = await app.inject({ url: '/widgets/manifest.json' });
    expect(manifest.json()).toEqual({ module: `/widgets/laurel-${hash}.js` });
    expect(manifest.headers['access-control-allow-origin']).toBe('*');
    const reply = await app.inject({ url: `/widgets/laurel-${hash}.js`, headers: { origin: 'https://host.example' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toBe(code);
    expect(reply.headers['content-type']).toMatch(/^text\/javascript/);
    expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    const old = await app.inject({ url: '/widgets/laurel-000000000000.js' });
    expect(old.statusCode).toBe(404);
    expect(old.json().code).toBe('widgets_version_gone');
    expect((await app.inject({ url: '/widgets/other.js' })).statusCode).toBe(404);
    await app.close();
  });

  it('picks up a rebuilt bundle without a restart', async () => {
    const rebuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-widgets-rebuilt-'));
    fs.writeFileSync(path.join(rebuilt, 'laurel.js'), 'export {};\n');
    const app = await serve(rebuilt);
    const first = (await app.inject({ url: '/widgets/manifest.json' })).json().module;
    fs.writeFileSync(path.join(rebuilt, 'laurel.js'), 'export const changed = true;\n');
    const second = (await app.inject({ url: '/widgets/manifest.json' })).json().module;
    expect(second).not.toBe(first);
    expect((await app.inject({ url: second })).body).toContain('changed');
    await app.close();
    fs.rmSync(rebuilt, { recursive: true, force: true });
  });

  it('serves the demo page only when asked, loading the versioned module', async () => {
    const off = await serve(dir);
    expect((await off.inject({ url: '/widgets/demo' })).statusCode).toBe(404);
    await off.close();
    const on = await serve(dir, true);
    const page = await on.inject({ url: '/widgets/demo' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(`/widgets/laurel-${hash}.js`);
    await on.close();
  });

  it('says how to build them when they are not built', async () => {
    const app = await serve(path.join(dir, 'nowhere'), true);
    for (const url of ['/widgets/laurel.js', `/widgets/laurel-${hash}.js`, '/widgets/manifest.json', '/widgets/demo']) {
      const reply = await app.inject({ url });
      expect(reply.statusCode, url).toBe(404);
      expect(reply.json(), url).toMatchObject({ code: 'widgets_not_built', error: expect.stringContaining('npm run build') });
    }
    await app.close();
  });

  it('serves the demo page by default, but not in production unless LAUREL_WIDGET_DEMO says so', () => {
    expect(loadSettings({}).widgetDemo).toBe(true);
    expect(loadSettings({ NODE_ENV: 'production' }).widgetDemo).toBe(false);
    expect(loadSettings({ NODE_ENV: 'production', LAUREL_WIDGET_DEMO: '1' }).widgetDemo).toBe(true);
    expect(loadSettings({ LAUREL_WIDGET_DEMO: '0' }).widgetDemo).toBe(false);
    expect(() => loadSettings({ LAUREL_WIDGET_DEMO: 'maybe' })).toThrow('LAUREL_WIDGET_DEMO');
  });
});

/** /dashboard serves the built single-page app, with every unknown path answered by its index.html. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { staticFileRoutes } from '../../src/api/routes/static-files.js';
import type { EngineContext } from '../../src/engine/context.js';

describe('dashboard static files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-dashboard-build-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Laurel dashboard</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const serve = async (dashboardDir: string) => {
    const app = Fastify();
    await app.register(staticFileRoutes, { ctx: {} as EngineContext, dashboardDir });
    return app;
  };

  it("serves index.html at /dashboard and for the app's own paths, and assets as files", async () => {
    const app = await serve(dir);
    for (const url of ['/dashboard', '/dashboard/', '/dashboard/achievements/writer', '/dashboard/settings/keys?x=1']) {
      const reply = await app.inject({ url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['content-type'], url).toContain('text/html');
      expect(reply.body).toContain('Laurel dashboard');
    }
    const asset = await app.inject({ url: '/dashboard/assets/app-1234.js' });
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ url: '/' })).headers.location).toBe('/dashboard/');
    await app.close();
  });

  it('says how to build it when it is not built', async () => {
    const app = await serve(path.join(dir, 'nowhere'));
    const reply = await app.inject({ url: '/dashboard' });
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toMatchObject({ code: 'dashboard_not_built', error: expect.stringContaining('npm run build') });
    await app.close();
  });
});

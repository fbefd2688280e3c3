/**
 * The member widgets' module (built into dist/web/widgets/laurel.js), served to any page on any
 * origin: `/widgets/laurel.js` (short cache), `/widgets/laurel-<hash>.js` (cached for good, its name
 * changes with its content), `/widgets/manifest.json` naming the latter, and the demo page.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { projectRoot } from '../../project-root.js';
import { widgetDemoPage } from '../widget-demo-page.js';

export const WIDGETS_DIR = path.join(projectRoot(), 'dist', 'web', 'widgets');

const VERSIONED = /^laurel-([0-9a-f]{12})\.js$/;

interface Bundle {
  body: Buffer;
  hash: string;
  etag: string;
  /** What the file was read at, so a rebuild while the server runs is picked up. */
  stamp: string;
}

export const widgetFileRoutes: FastifyPluginAsync<{ widgetsDir?: string; demo?: boolean }> = async (app, { widgetsDir, demo }) => {
  const file = path.join(widgetsDir ?? WIDGETS_DIR, 'laurel.js');
  let cached: Bundle | null = null;

  const bundle = (): Bundle | null => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return null;
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    if (cached?.stamp !== stamp) {
      const body = fs.readFileSync(file);
      const digest = createHash('sha256').update(body).digest('hex');
      cached = { body, hash: digest.slice(0, 12), etag: `"${digest.slice(0, 32)}"`, stamp };
    }
    return cached;
  };

  const notBuilt = (reply: FastifyReply) =>
    reply.status(404).send({ error: 'The widgets are not built: run "npm run build" (npm install does it)', code: 'widgets_not_built' });

  // Module scripts are fetched in CORS mode: without this header no other origin could load them.
  // They hold no secrets, so any origin may.
  const crossOrigin = (reply: FastifyReply) =>
    reply
      .header('Access-Control-Allow-Origin', '*')
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .header('X-Content-Type-Options', 'nosniff');

  const sendModule = (request: FastifyRequest, reply: FastifyReply, found: Bundle, cacheControl: string) => {
    crossOrigin(reply).header('Cache-Control', cacheControl).header('ETag', found.etag).type('text/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === found.etag) return reply.status(304).send();
    return reply.send(found.body);
  };

  app.get('/widgets/laurel.js', { schema: { hide: true } }, async (request, reply) => {
    const found = bundle();
    if (!found) return notBuilt(reply);
    return sendModule(request, reply, found, 'public, max-age=300');
  });

  app.get('/widgets/manifest.json', { schema: { hide: true } }, async (_request, reply) => {
    const found = bundle();
    if (!found) return notBuilt(reply);
    return crossOrigin(reply)
      .header('Cache-Control', 'no-cache')
      .send({ module: `/widgets/laurel-${found.hash}.js` });
  });

  if (demo) {
    app.get('/widgets/demo', { schema: { hide: true } }, async (_request, reply) => {
      const found = bundle();
      if (!found) return notBuilt(reply);
      return reply
        .header('Cache-Control', 'no-cache')
        .header('X-Content-Type-Options', 'nosniff')
        .type('text/html; charset=utf-8')
        .send(widgetDemoPage(`/widgets/laurel-${found.hash}.js`));
    });
  }

  app.get<{ Params: { file: string } }>('/widgets/:file', { schema: { hide: true } }, async (request, reply) => {
    const version = VERSIONED.exec(request.params.file)?.[1];
    if (!version) return reply.status(404).send({ error: `There is no route GET ${request.url.split('?')[0]}`, code: 'route_not_found' });
    const found = bundle();
    if (!found) return notBuilt(reply);
    // Only the current version is kept: an old name is gone, never answered with other content.
    if (version !== found.hash) {
      return reply
        .status(404)
        .send({ error: 'This version of the widgets is no longer served: load /widgets/manifest.json', code: 'widgets_version_gone' });
    }
    return sendModule(request, reply, found, 'public, max-age=31536000, immutable');
  });
};

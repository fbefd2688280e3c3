/**
 * Files served without a key: uploaded badge images under /badges/, and the admin dashboard (a
 * single-page app built into dist/web/dashboard) under /dashboard, every unknown path answered with
 * its index.html so the app's own routes survive a reload.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { BADGE_URL_PREFIX } from '../../domain/badge-url.js';
import type { EngineContext } from '../../engine/context.js';
import { projectRoot } from '../../project-root.js';

/**
 * The only badge paths served: `<community>/<id>.<type>` as uploads are stored, and `<id>.<type>`
 * for files uploaded before badges were stored per community. Temporary files and anything else
 * placed in the directory stay unreachable.
 */
const BADGE_FILE = /^\/(?:[A-Za-z0-9_-]{1,100}\/)?[0-9a-f-]{36}\.(?:png|webp|svg)$/;

export const DASHBOARD_DIR = path.join(projectRoot(), 'dist', 'web', 'dashboard');

export const staticFileRoutes: FastifyPluginAsync<{ ctx: EngineContext; dashboardDir?: string }> = async (app, { ctx, dashboardDir }) => {
  if (ctx.badges) {
    fs.mkdirSync(ctx.badges.directory, { recursive: true });
    await app.register(fastifyStatic, {
      root: ctx.badges.directory,
      prefix: BADGE_URL_PREFIX,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      immutable: true,
      maxAge: '365d',
      allowedPath: (pathName) => BADGE_FILE.test(pathName),
      // The Content-Type comes from the extension, which is the type the rebuilt file was stored as.
      // An SVG opened on its own must not run or load anything even if the rebuild were ever to miss
      // something: no scripts, no fetches, a sandboxed origin; and no browser may sniff another type.
      setHeaders: (res, file) => {
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Disposition', `inline; filename="${path.basename(file)}"`);
      },
    });
  }

  const root = dashboardDir ?? DASHBOARD_DIR;
  const built = fs.existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/dashboard/',
      wildcard: false,
      index: false,
      decorateReply: true,
      cacheControl: false,
      setHeaders: (res, file) => {
        // Hashed assets never change; index.html must always be fetched afresh.
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    if (!built) {
      return reply.status(404).send({
        error: 'The dashboard is not built: run "npm run build" (npm install does it)',
        code: 'dashboard_not_built',
      });
    }
    return reply.header('Cache-Control', 'no-cache').type('text/html').sendFile('index.html', root);
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', { schema: { hide: true } }, page);
  app.get('/dashboard/*', { schema: { hide: true } }, page);
};

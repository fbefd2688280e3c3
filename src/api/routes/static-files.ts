/**
 * Files served without a key: uploaded badge images under /badges/, and the admin dashboard (a
 * single-page app built into dist/web/dashboard) under /dashboard, every unknown path answered with
 * its index.html so the app's own routes survive a reload.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { EngineContext } from '../../engine/context.js';
import { BADGE_URL_PREFIX } from '../../engine/upload-badge.js';
import { projectRoot } from '../../project-root.js';

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
      // An SVG opened on its own must not run anything even if a check were ever to miss something.
      setHeaders: (res) => {
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    });
  }

  const root = dashboardDir ?? DASHBOARD_DIR;
  const built = fs.existsSync(path.join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root, prefix: '/dashboard/', wildcard: false, index: false, decorateReply: true, cacheControl: false, setHeaders: (res, file) => {
      // Hashed assets never change; index.html must always be fetched afresh.
      res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    } });
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

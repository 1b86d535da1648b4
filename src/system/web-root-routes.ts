import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { projectPath } from '../paths.js';
import { shanghaiDate } from '../time/shanghai-date.js';

/**
 * The supervisors' console (/console/), the enterprises' portal (/portal/) and the officers' app (/officer/,
 * 掌上执法), with their shared shell (/shared/): plain HTML, ES modules and
 * CSS from web/, no build step. The files are public (`config.access: 'public'`); the data comes from the
 * API with the token the page holds. Chart.js is served from its npm package, so the version is the one
 * package-lock.json pins and no CDN is involved (the CSP allows only this origin's scripts).
 */
const require = createRequire(import.meta.url);
const CHART_DIST = dirname(require.resolve('chart.js'));

const hidden = { hide: true };

export async function webRoutes(app: FastifyInstance): Promise<void> {
  // serve: false — only reply.sendFile, from routes declared here with their access, as every route must.
  await app.register(fastifyStatic, { root: projectPath('web'), serve: false });

  const files = (prefix: string, root: string) => {
    app.get(prefix, { config: { access: 'public' }, schema: hidden }, (_req, reply) => reply.redirect(`${prefix}/`));
    app.get(`${prefix}/*`, { config: { access: 'public' }, schema: hidden }, (req: FastifyRequest, reply: FastifyReply) => {
      const path = (req.params as { '*': string })['*'];
      // The check page's service worker lives here but serves the check pages under /v/ (its scope).
      if (prefix === '/portal' && path === 'check-sw.js') reply.header('service-worker-allowed', '/v/').header('cache-control', 'no-cache');
      return reply.sendFile(path === '' ? 'index.html' : path, root);
    });
  };
  files('/console', projectPath('web', 'console'));
  files('/portal', projectPath('web', 'portal'));
  files('/officer', projectPath('web', 'officer'));
  app.get('/shared/*', { config: { access: 'public' }, schema: hidden }, (req, reply) => reply.sendFile((req.params as { '*': string })['*'], projectPath('web', 'shared')));
  app.get('/favicon.ico', { config: { access: 'public' }, schema: hidden }, (_req, reply) => reply.header('cache-control', 'public, max-age=86400').sendFile('favicon.ico', projectPath('web', 'assets')));
  // Whether development hints (how to mint a token) may be shown — never in production — and the server's
  // today (Asia/Shanghai), which the apps use for "today's work": the server's clock, not the device's.
  const production = app.services.config.env === 'production';
  app.get('/web-env.json', { config: { access: 'public' }, schema: hidden }, (_req, reply) => {
    const now = app.services.clock.now();
    // devTokens: the `npm run token` hints are shown only where development tokens are accepted (never in production).
    return reply.header('cache-control', 'no-store').send({ production, devTokens: app.services.config.auth.devTokens, now: now.toISOString(), today: shanghaiDate(now) });
  });
  app.get('/assets/*', { config: { access: 'public' }, schema: hidden }, (req, reply) => reply.sendFile((req.params as { '*': string })['*'], projectPath('web', 'assets')));
  app.get('/assets/vendor/chart.umd.min.js', { config: { access: 'public' }, schema: hidden }, (_req, reply) => reply.sendFile('chart.umd.min.js', CHART_DIST));
}

export default webRoutes;

import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { projectPath } from '../paths.js';

/**
 * The supervisors' console (/console/) and the enterprises' portal (/portal/): plain HTML, ES modules and
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
  app.get('/assets/*', { config: { access: 'public' }, schema: hidden }, (req, reply) => reply.sendFile((req.params as { '*': string })['*'], projectPath('web', 'assets')));
  // What the pages may show: the `npm run token` hints only where development tokens are accepted.
  app.get('/assets/site.json', { config: { access: 'public' }, schema: hidden }, async () => ({ devTokens: app.services.config.auth.devTokens }));
  app.get('/assets/vendor/chart.umd.min.js', { config: { access: 'public' }, schema: hidden }, (_req, reply) => reply.sendFile('chart.umd.min.js', CHART_DIST));
}

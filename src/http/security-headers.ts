import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Security headers on every response (helmet), with the middleware built ONCE. @fastify/helmet called
 * `helmet(options)` again on every request — a new middleware, its header values recomputed — which was the
 * largest source of short-lived objects under the public check's load (bench/probe-rss.ts); the headers are
 * the same for every request, so one middleware serves them all.
 */
const securityHeaders: FastifyPluginAsync<HelmetOptions> = async (app, options) => {
  const apply = helmet(options);
  app.addHook('onRequest', (req, reply, done) => {
    apply(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
};

export default fp(securityHeaders, { name: 'security-headers' });

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import { DomainError } from '../errors/domain-error.js';
import { responses } from '../http/schemas.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics (Prometheus text format) and the per-request observation behind it. Who may scrape: with
 * METRICS_TOKEN set, whoever sends `Authorization: Bearer <METRICS_TOKEN>` (Prometheus' `authorization`
 * setting); unset, only connections from this host — judged by the socket's own peer address, never by
 * X-Forwarded-For, so a proxy on this host must not forward /metrics (docs/DEPLOYMENT.md).
 */
const metricsPlugin: FastifyPluginAsyncTypebox = async (app) => {
  const { metrics, config } = app.services;
  // The one per-request cost: a histogram observe with the route's pattern.
  app.addHook('onResponse', (req, reply, done) => {
    metrics.observeRequest(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    {
      config: { access: 'public', ownBearer: true },
      schema: {
        tags: ['system'],
        summary: '运行指标（Prometheus 文本格式，仅本机或凭 METRICS_TOKEN）/ operators’ metrics, Prometheus text format',
        security: [],
        produces: ['text/plain'],
        response: responses(Type.String({ description: 'Prometheus text exposition format 0.0.4' })),
      },
    },
    async (req, reply) => {
      if (config.metricsToken) {
        const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        if (!sameToken(given, config.metricsToken)) throw new DomainError('UNAUTHENTICATED', '运行指标须凭运维指标令牌访问');
      } else if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        throw new DomainError('METRICS_FORBIDDEN', '未设置运维指标令牌时，运行指标仅对本机开放');
      }
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(await metrics.text());
    },
  );
};

// Not encapsulated: the onResponse hook observes every route of the app.
export const metricsRoutes = fp(metricsPlugin, { name: 'metrics' });

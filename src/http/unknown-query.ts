import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../errors/domain-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'ignore': unlisted query parameters are let through unread. Only for a page people open from a
     * link others may have rewritten (the public check page: messaging apps append their own tracking
     * parameters to a shared QR link, and an enterprise must still see whether the code is genuine).
     */
    unknownQuery?: 'ignore';
  }
}

/**
 * A query parameter the operation does not list is refused with a 400 naming each one, rather than
 * silently ignored (issue 15): `?stat=closed` for `?state=closed` would otherwise answer the whole,
 * unfiltered list as if the filter had been applied. The allowed names are the properties of the route's
 * `querystring` schema, so the OpenAPI document (which lists the same) and the server agree. Routes hidden
 * from the document (the console's static files, the document's own pages) are left alone, and so is a
 * route that says `config.unknownQuery: 'ignore'`.
 */
export const unknownQueryPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (req) => {
      if (req.is404) return;
      const schema = req.routeOptions.schema as { hide?: boolean; querystring?: { properties?: Record<string, unknown> } } | undefined;
      if (schema?.hide || !req.routeOptions.config.access || req.routeOptions.config.unknownQuery === 'ignore') return;
      const names = Object.keys((req.query as Record<string, unknown> | undefined) ?? {});
      if (names.length === 0) return;
      const allowed = schema?.querystring?.properties ?? {};
      const unknown = names.filter((n) => !Object.hasOwn(allowed, n));
      if (unknown.length === 0) return;
      const errors = unknown.map((n) => ({ field: `querystring.${n}`, message: '不是本接口可接受的查询参数' }));
      throw new DomainError('VALIDATION', `请求参数无效：${errors.map((e) => `${e.field}${e.message}`).join('；')}`, { errors });
    });
  },
  { name: 'unknown-query' },
);

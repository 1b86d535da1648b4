import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../errors/domain-error.js';

/**
 * A query parameter the operation does not list is refused with a 400 naming each one, rather than
 * silently ignored (issue 15): `?stat=closed` for `?state=closed` would otherwise answer the whole,
 * unfiltered list as if the filter had been applied. The allowed names are the properties of the route's
 * `querystring` schema, so the OpenAPI document (which lists the same) and the server agree. Routes hidden
 * from the document (the console's static files, the document's own pages) are left alone.
 */
export const unknownQueryPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (req) => {
      if (req.is404) return;
      const schema = req.routeOptions.schema as { hide?: boolean; querystring?: { properties?: Record<string, unknown> } } | undefined;
      if (schema?.hide || !req.routeOptions.config.access) return;
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

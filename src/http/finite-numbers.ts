import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../errors/domain-error.js';

interface PropertySchema {
  type?: string | string[];
}

const numeric = (s: PropertySchema | undefined) => {
  const t = s?.type;
  return t === 'integer' || t === 'number' || (Array.isArray(t) && (t.includes('integer') || t.includes('number')));
};

/**
 * ajv's type coercion turns "1e309" and "Infinity" in a query string into Infinity, which then passes
 * `integer` and `maximum` (found by the fuzz tests: `?limit=1e309` reached SQL). Numeric query
 * parameters must be finite; this checks them before validation, naming the field.
 */
export const finiteNumbersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (req) => {
      const props = (req.routeOptions.schema?.querystring as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
      if (!props || !req.query || typeof req.query !== 'object') return;
      for (const [key, raw] of Object.entries(req.query as Record<string, unknown>)) {
        if (!numeric(props[key])) continue;
        for (const v of Array.isArray(raw) ? raw : [raw]) {
          if (typeof v === 'string' && v.trim() !== '' && !Number.isFinite(Number(v)) && !Number.isNaN(Number(v))) {
            throw DomainError.field(`querystring.${key}`, '必须是有限的数值');
          }
        }
      }
    });
  },
  { name: 'finite-numbers' },
);

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../errors/domain-error.js';

/**
 * Text that PostgreSQL cannot store or that would mislead a reader is refused before validation, naming
 * the field: a NUL byte (PostgreSQL's text type rejects it, so it used to reach the database and come back
 * as a 500 — found by the fuzz test on `?state=%00`) and a lone UTF-16 surrogate (not valid Unicode; the
 * JSON parser lets `"\ud800"` through).
 */
// eslint-disable-next-line no-control-regex
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function firstBad(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return BAD.test(value) ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const key = String(k);
    if (BAD.test(key)) return `${path}.${key.replace(BAD, '\ufffd')}`;
    const found = firstBad(v, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export const controlCharactersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (req) => {
      const field = firstBad(req.params, 'params') ?? firstBad(req.query, 'querystring') ?? firstBad(req.body, 'body');
      if (field) throw DomainError.field(field, '不得包含空字符或无效字符');
    });
  },
  { name: 'control-characters' },
);

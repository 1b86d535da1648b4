import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../errors/domain-error.js';

/**
 * Text that PostgreSQL cannot store or that would mislead a reader is refused before validation, naming
 * the field, wherever it comes in — path, query, headers, JSON body:
 * - a NUL byte (PostgreSQL's text type rejects it, so it used to reach the database and come back as a 500
 *   — found by the fuzz test on `?state=%00`);
 * - a lone UTF-16 surrogate (not valid Unicode; the JSON parser lets `"\ud800"` through);
 * - bytes that are not UTF-8: a query value like `%FF` (the query parser leaves it undecoded, so it used to
 *   be taken as the text "%FF") or raw bytes in a JSON body (decoded to U+FFFD and stored as such);
 * - Unicode bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): they reorder
 *   what a reader sees, so a name on the check page or in a notice PDF could read otherwise than it is
 *   stored ("Trojan Source"). Chinese administrative text never needs them.
 */
// eslint-disable-next-line no-control-regex
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

function reason(text: string): string | null {
  if (BAD.test(text)) return '不得包含空字符或无效字符';
  if (BIDI.test(text)) return '不得包含双向文本控制字符';
  return null;
}

/** The first string (or key) in `value` holding text that cannot be stored or misleads a reader, with its path. */
export function firstBad(value: unknown, path: string, depth = 0): { field: string; message: string } | null {
  if (typeof value === 'string') {
    const why = reason(value);
    return why ? { field: path, message: why } : null;
  }
  // Raw bytes (an import batch) are checked by their route line by line, so a bad row is refused alone.
  if (depth > 32 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const key = String(k);
    const why = reason(key);
    if (why) return { field: `${path}.${key.replace(BAD, '\ufffd').replace(BIDI, '\ufffd')}`, message: why };
    const found = firstBad(v, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The first query parameter whose percent-encoding is not UTF-8. */
function badlyEncodedQuery(url: string): string | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  for (const pair of url.slice(q + 1).split('&')) {
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    for (const part of [name, value]) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        let field = name;
        try {
          field = decodeURIComponent(name);
        } catch {
          field = name.replace(/%[0-9a-f]{2}/gi, '\ufffd');
        }
        return `querystring.${field}`;
      }
    }
  }
  return null;
}

function headerProblem(req: FastifyRequest): { field: string; message: string } | null {
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const why = typeof v === 'string' ? reason(v) : null;
      if (why) return { field: `header.${name}`, message: why };
    }
  }
  return null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/** The field of a JSON body that held the bytes that are not UTF-8 (the first string decoded with U+FFFD). */
function fieldWithReplacement(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\ufffd') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const found = String(k).includes('\ufffd') ? `${path}.${String(k)}` : fieldWithReplacement(v, `${path}.${String(k)}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export const controlCharactersPlugin = fp(
  async (app: FastifyInstance) => {
    // JSON bodies are decoded strictly: bytes that are not UTF-8 are a 400 naming the field, not U+FFFD.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      const bytes = body as Buffer;
      let text: string;
      try {
        text = strictUtf8.decode(bytes);
      } catch {
        let field = 'body';
        try {
          field = fieldWithReplacement(JSON.parse(lossyUtf8.decode(bytes)), 'body') ?? 'body';
        } catch {
          // not JSON either: the body as a whole
        }
        done(DomainError.field(field, '含有无法识别的字节，不是有效的文本编码'), undefined);
        return;
      }
      parseJson(req, text, done);
    });

    app.addHook('preValidation', async (req) => {
      const query = badlyEncodedQuery(req.url);
      if (query) throw DomainError.field(query, '含有无法识别的百分号编码');
      const found = firstBad(req.params, 'params') ?? firstBad(req.query, 'querystring') ?? headerProblem(req) ?? firstBad(req.body, 'body');
      if (found) throw DomainError.field(found.field, found.message);
    });
  },
  { name: 'control-characters' },
);

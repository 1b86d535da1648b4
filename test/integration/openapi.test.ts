import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCreditCode } from '../../src/registry/credit-code.js';
import { contractFor, contractViolation } from '../support/openapi-contract.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Issue 15, item 8: the OpenAPI document is the API. Every response the integration suite receives is
 * checked against the document by the test app (test/support/openapi-contract.ts); this file checks the
 * document itself (an OpenAPI linter, media types, problem+json, operationIds, examples) and the two
 * request-shape answers the document promises: 405 for a method a path lacks, 400 for an unlisted query
 * parameter.
 */

type Schema = { [key: string]: unknown };
interface Operation {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Doc {
  servers?: { url: string }[];
  components: { schemas: Record<string, Schema> };
  paths: Record<string, Record<string, Operation>>;
}

function operations(doc: Doc): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${path}`, op] as [string, Operation]));
}

/** Every schema object in the document, with where it is. */
function* schemas(node: unknown, at = '#'): Generator<[string, Schema]> {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* schemas(v, `${at}/${i}`);
    return;
  }
  const obj = node as Schema;
  if ('type' in obj || 'anyOf' in obj || 'allOf' in obj || '$ref' in obj) yield [at, obj];
  for (const [k, v] of Object.entries(obj)) yield* schemas(v, `${at}/${k}`);
}

describeDb('the OpenAPI document tells the truth (issue 15)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let doc: Doc;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
    doc = (await t.call({ method: 'GET', url: '/docs/json' })).json() as Doc;
  });
  afterAll(() => t.close());

  describe('the document', () => {
    it('passes the Redocly linter with no error, and every operation has a unique operationId', async () => {
      const config = await createConfig({
        extends: ['recommended'],
        rules: {
          'operation-operationId': 'error',
          'operation-operationId-unique': 'error',
          'no-invalid-schema-examples': 'error',
          'no-invalid-parameter-examples': 'error',
          // A private government system: no licence to publish.
          'info-license': 'off',
        },
      });
      const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
      expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
      const ids = operations(doc).map(([, op]) => op.operationId);
      expect(ids.every(Boolean)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect(doc.paths['/api/v1/inspections/{id}/code.png']!.get!.operationId).toBe('getInspectionsByIdCodePng');
    });

    it('names the server clients reach (PUBLIC_BASE_URL)', () => {
      expect(doc.servers).toEqual([expect.objectContaining({ url: t.config.publicBaseUrl })]);
    });

    it('documents every error as application/problem+json with a specific status, never as a range', () => {
      for (const [name, op] of operations(doc)) {
        for (const [status, response] of Object.entries(op.responses)) {
          expect(status, name).toMatch(/^\d{3}$/);
          if (Number(status) < 400) continue;
          expect(response.content, `${name} ${status}`).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
        }
      }
      expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'code']) });
      // A write lists its refusals; every route counted by the rate limiter its 429; a public read no role refusal.
      expect(Object.keys(doc.paths['/api/v1/inspections/{id}/approve']!.post!.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '414', '415', '422', '429', '500', '503']);
      expect(Object.keys(doc.paths['/api/v1/codes/{code}']!.get!.responses)).not.toContain('403');
      expect(Object.keys(doc.paths['/api/v1/codes/{code}']!.get!.responses)).toContain('429');
    });

    it('documents images, PDFs, CSV and the check page under their own media types', () => {
      const media = (path: string) => Object.keys(doc.paths[path]!.get!.responses['200']!.content ?? {});
      expect(media('/api/v1/inspections/{id}/code.png')).toEqual(['image/png']);
      expect(media('/api/v1/inspections/{id}/code.svg')).toEqual(['image/svg+xml']);
      expect(media('/api/v1/inspections/{id}/notice.pdf')).toEqual(['application/pdf']);
      expect(media('/api/v1/joint-tasks/{id}/notice.pdf')).toEqual(['application/pdf']);
      expect(media('/api/v1/joint-tasks/{id}/checklist.pdf')).toEqual(['application/pdf']);
      expect(media('/api/v1/inspections/export.csv')).toEqual(['text/csv']);
      expect(media('/api/v1/flags/export.csv')).toEqual(['text/csv']);
      expect(media('/v/{code}')).toEqual(['text/html']);
    });

    it('gives the code facts and the published keys a schema', () => {
      const issued = doc.paths['/api/v1/inspections/{id}/code']!.post!.responses['201']!.content!['application/json']!.schema as { properties: Record<string, Schema> };
      expect(issued.properties.facts).toMatchObject({ type: 'object', required: expect.arrayContaining(['code', 'enterprise', 'validFrom', 'validTo']) });
      const keys = doc.paths['/.well-known/inspection-keys']!.get!.responses['200']!.content!['application/json']!.schema as {
        properties: { keys: { items: { properties: Record<string, Schema> } } };
      };
      // Ed25519 (RFC 8037) or SM2 (the curve point, docs/CODE-FORMAT.md): each a typed JWK.
      const jwk = keys.properties.keys.items.properties.jwk as { anyOf: Schema[] };
      expect(jwk.anyOf).toHaveLength(2);
      for (const k of jwk.anyOf) expect(k).toMatchObject({ type: 'object', required: expect.arrayContaining(['kty', 'crv', 'x']) });
    });

    it('has no bare schema: every member is typed, or described as any JSON on purpose', () => {
      const bare: string[] = [];
      const visit = (node: unknown, at: string) => {
        if (!node || typeof node !== 'object') return;
        for (const [k, v] of Object.entries(node)) {
          const here = `${at}/${k}`;
          const schemaValued = ['schema', 'items', 'not'].includes(k) || /\/(properties|anyOf|allOf|oneOf|prefixItems)$/.test(at);
          if (schemaValued && v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) bare.push(here);
          visit(v, here);
        }
      };
      visit(doc.paths, '#/paths');
      visit(doc.components.schemas, '#/components/schemas');
      expect(bare).toEqual([]);
    });

    it('gives only credit-code examples that pass the API’s own GB 32100-2015 check', () => {
      let seen = 0;
      for (const [at, schema] of schemas(doc)) {
        if (!String(schema.description ?? '').includes('统一社会信用代码') || !Array.isArray(schema.examples)) continue;
        for (const example of schema.examples) {
          seen++;
          expect(checkCreditCode(String(example)), `${at}: ${example}`).toEqual({ valid: true });
        }
      }
      expect(seen).toBeGreaterThan(0);
    });
  });

  describe('a method the path does not have', () => {
    it('answers 405 with Allow, in problem+json, whatever the body', async () => {
      const res = await t.call({ method: 'DELETE', url: '/api/v1/inspections', as: w.officer });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405, allowedMethods: ['GET', 'HEAD', 'POST'] });
      // An empty JSON body used to answer 400 before the method was looked at.
      const empty = await t.call({ method: 'PUT', url: '/health', headers: { 'content-type': 'application/json' }, payload: '' });
      expect(empty.statusCode).toBe(405);
      expect(empty.headers.allow).toBe('GET, HEAD');
    });

    it('answers OPTIONS and a HEAD on a write-only path with 405 too', async () => {
      const options = await t.call({ method: 'OPTIONS', url: '/api/v1/inspections', as: w.officer });
      expect(options.statusCode).toBe(405);
      expect(options.headers.allow).toBe('GET, HEAD, POST');
      const head = await t.call({ method: 'HEAD', url: '/api/v1/inspections/00000000-0000-4000-8000-000000000000/approve', as: w.head });
      expect(head.statusCode).toBe(405);
      expect(head.headers.allow).toBe('POST');
    });

    it('still answers 404 for a path no route has', async () => {
      const res = await t.call({ method: 'DELETE', url: '/api/v1/nothing-here', as: w.officer });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    });
  });

  describe('a query parameter the operation does not list', () => {
    it('is refused with a 400 naming each one, not silently ignored', async () => {
      const res = await t.call({ method: 'GET', url: '/api/v1/inspections?stat=closed&limit=5&foo=1', as: w.officer });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['querystring.stat', 'querystring.foo']);
      expect(res.json().detail).toContain('querystring.stat');
      // Listed ones are fine, and a route without query parameters takes none.
      expect((await t.call({ method: 'GET', url: '/api/v1/inspections?limit=5', as: w.officer })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url: '/health?verbose=1' })).json().errors).toEqual([{ field: 'querystring.verbose', message: '不是本接口可接受的查询参数' }]);
    });

    it('is let through on the public check page, where messaging apps append their own to a shared QR link', async () => {
      const res = await t.call({ method: 'GET', url: '/v/JC-2026-AAAA-AAAA-A?from=singlemessage&isappinstalled=0' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
    });

    it('is looked at only after the door: without a token the answer is 401', async () => {
      const res = await t.call({ method: 'GET', url: '/api/v1/inspections?stat=closed' });
      expect(res.statusCode).toBe(401);
    });
  });

  describe('the contract check the test app applies', () => {
    it('refuses a status, a media type or a body the document does not list', async () => {
      const inspection = await approvedInspection(t, w);
      const contract = contractFor(JSON.stringify(doc));
      const fake = (statusCode: number, contentType: string, payload: string) =>
        ({ statusCode, headers: { 'content-type': contentType }, payload, rawPayload: Buffer.from(payload) }) as never;
      const url = `/api/v1/inspections/${inspection}`;
      expect(contractViolation(contract, t.app, { method: 'GET', url }, fake(418, 'application/problem+json', '{}'))).toContain('418');
      expect(contractViolation(contract, t.app, { method: 'GET', url }, fake(404, 'application/json', '{}'))).toContain('application/problem+json');
      expect(contractViolation(contract, t.app, { method: 'GET', url }, fake(200, 'application/json', '{"id":1}'))).toContain('outside its schema');
      const real = await t.call({ method: 'GET', url, as: w.officer });
      expect(contractViolation(contract, t.app, { method: 'GET', url }, real)).toBeNull();
      expect(real.statusCode).toBe(200);
    });
  });
});

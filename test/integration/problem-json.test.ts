import { afterAll, beforeAll, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildApp } from '../../src/app.js';
import { generateDevKey, signDevToken, type DevKey } from '../../src/auth/dev-key.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { ERRORS, type ErrorCode } from '../../src/errors/registry.js';
import { Problem } from '../../src/http/schemas.js';
import { ManualClock } from '../../src/time/clock.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { as } from '../support/factories.js';
import { testAuditMacKeys, testConfig, TEST_START } from '../support/test-app.js';
import { createTestDatabase, describeDb, type TestDatabase } from '../support/test-database.js';
import type { FastifyInstance } from 'fastify';

describeDb('problem+json for every error code', () => {
  let testDb: TestDatabase;
  let app: FastifyInstance;
  let auth: { authorization: string };
  const devKey: DevKey = generateDevKey();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    app = await buildApp(testConfig(), { database: testDb.database, clock: new ManualClock(TEST_START), devKey, keyring: generateKeyring(), auditMac: testAuditMacKeys(), logger: false });
    auth = { authorization: `Bearer ${signDevToken(devKey, as.admin())}` };
    // Test-only routes, added before the app is ready: one throws each registered error, one fails inside.
    app.get('/test/throw/:code', { config: { access: 'public' } }, async (req) => {
      throw new DomainError((req.params as { code: ErrorCode }).code, '测试');
    });
    app.get('/test/crash', { config: { access: 'public' } }, async () => {
      throw new Error('secret connection string postgres://user:pw@db/prod');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
  });

  it('answers each registered code with its status, zh title, stable code and article', async () => {
    for (const def of ERRORS) {
      const res = await app.inject({ method: 'GET', url: `/test/throw/${def.code}` });
      expect(res.statusCode, def.code).toBe(def.status);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const body = res.json();
      expect(Value.Check(Problem, body), `${def.code}: ${JSON.stringify(body)}`).toBe(true);
      expect(body).toMatchObject({ code: def.code, status: def.status, title: def.titleZh, type: `/api/v1/errors/${def.code}` });
      if (def.rule) expect(body.article).toBe(def.article);
    }
  });

  it('never leaks internals in a 5xx', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/crash' });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('INTERNAL');
    expect(res.body).not.toContain('postgres://');
    expect(res.body).not.toContain('stack');
  });

  it('names the field for malformed JSON, wrong types, impossible dates and unknown routes', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/v1/regulation/articles/abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.number');
    const nf = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(nf.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/errors/NO_SUCH_CODE' });
    expect(unknown.json().code).toBe('NOT_FOUND');
    const feb30 = await app.inject({ method: 'GET', url: '/api/v1/calendar/days/2026-02-30', headers: auth });
    expect(feb30.statusCode).toBe(400);
    expect(feb30.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'params.date' }] });
    const wrongType = await app.inject({ method: 'POST', url: '/api/v1/districts', headers: auth, payload: { code: 'X1', name: 'n', kind: 'administrative', sort: 'first' } });
    expect(wrongType.json().errors[0].field).toBe('body.sort');
  });

  it('refuses malformed JSON and oversized bodies as problem+json', async () => {
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/districts', headers: { 'content-type': 'application/json' }, payload: '{"code":' });
    // Authentication is checked before the body is parsed.
    expect(anonymous.json().code).toBe('UNAUTHENTICATED');
    const malformed = await app.inject({ method: 'POST', url: '/api/v1/districts', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"code":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body' }] });
    const text = await app.inject({ method: 'POST', url: '/api/v1/districts', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/districts',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
});

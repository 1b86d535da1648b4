import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import { generateDevKey, signDevToken } from '../../src/auth/dev-key.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { ManualClock } from '../../src/time/clock.js';
import { sql } from 'drizzle-orm';
import { as, newJusticeBureau } from '../support/factories.js';
import { testAuditMacKeys, testConfig, TEST_START } from '../support/test-app.js';
import { createTestDatabase, describeDb, type TestDatabase } from '../support/test-database.js';
import type { FastifyInstance } from 'fastify';

describeDb('JSON logs with a request id on every line, secrets redacted', () => {
  const lines: Record<string, unknown>[] = [];
  let app: FastifyInstance;
  let testDb: TestDatabase;
  const devKey = generateDevKey();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    app = await buildApp(testConfig(), {
      database: testDb.database,
      clock: new ManualClock(TEST_START),
      devKey,
      keyring: generateKeyring(), auditMac: testAuditMacKeys(),
      logger: loggerOptions({ ...testConfig(), logLevel: 'info' }, stream),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await testDb.drop();
  });

  it('logs every line of a request with its id and never the bearer token', async () => {
    app.log.info({ headers: { authorization: 'Bearer secret-in-a-log-call' }, token: 'secret-token-field' }, 'a careless log call');
    const token = signDevToken(devKey, as.admin());
    const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-logging-1' } });
    expect(res.statusCode).toBe(200);
    const mine = lines.filter((l) => l.reqId === 'req-logging-1');
    // One access line per request, at completion, naming the request and its answer.
    expect(mine.filter((l) => l.msg === 'request completed')).toEqual([expect.objectContaining({ req: expect.objectContaining({ method: 'GET', url: '/api/v1/me' }), res: { statusCode: 200 } })]);
    expect(mine.some((l) => l.msg === 'incoming request')).toBe(false);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]);
    expect(JSON.stringify(lines)).not.toContain('secret-in-a-log-call');
    expect(JSON.stringify(lines)).not.toContain('secret-token-field');
  });

  it('keeps a short plain X-Request-Id and replaces any other with a generated one', async () => {
    for (const given of ['x'.repeat(8000), 'has spaces in it', 'id\u4e2d文', '<script>', '-leading-dash']) {
      const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': given } });
      expect(res.headers['x-request-id'], given.slice(0, 20)).toMatch(/^[0-9a-f-]{36}$/);
    }
    const kept = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'gw-7f3a.2026:01' } });
    expect(kept.headers['x-request-id']).toBe('gw-7f3a.2026:01');
  });

  it('logs query strings by parameter name only, so a token put in a URL never reaches the log', async () => {
    await app.inject({ method: 'GET', url: '/api/v1/matters/public?access_token=eyJ.secret-in-url.sig&state=published', headers: { 'x-request-id': 'req-url-1' } });
    const mine = lines.filter((l) => l.reqId === 'req-url-1');
    expect(JSON.stringify(mine)).not.toContain('secret-in-url');
    expect(JSON.stringify(mine)).not.toContain('published');
    expect(mine.find((l) => l.req)).toMatchObject({ req: { url: '/api/v1/matters/public?access_token=[redacted]&state=[redacted]' } });
  });

  it('writes a 5xx log line without the query’s values or the SQL parameters', async () => {
    const bureau = await newJusticeBureau(testDb.database.db);
    const token = signDevToken(devKey, as.supervisor(bureau.code));
    await testDb.database.db.execute(sql.raw('ALTER TABLE flags RENAME TO flags_gone'));
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/flags?enterprise=91420106MA4KXYZ123&subjectId=%E7%8E%8B%E6%99%93%E6%98%8E',
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'req-5xx-1' },
      });
      expect(res.statusCode).toBe(500);
    } finally {
      await testDb.database.db.execute(sql.raw('ALTER TABLE flags_gone RENAME TO flags'));
    }
    const mine = JSON.stringify(lines.filter((l) => l.reqId === 'req-5xx-1'));
    expect(mine).toContain('request failed');
    expect(mine).toContain('params: [redacted]');
    expect(mine).not.toContain('91420106MA4KXYZ123');
    expect(mine).not.toContain('王晓明');
    expect(mine).not.toContain('%E7%8E%8B');
  });

  it('samples successful requests one in N (ACCESS_LOG_EVERY, PUBLIC_CHECK_LOG_EVERY) and never drops a refusal', async () => {
    const sampled: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) sampled.push(JSON.parse(l));
        done();
      },
    });
    const config = { ...testConfig(), logLevel: 'info', accessLogEvery: 3, publicCheckLogEvery: 1000 };
    const quiet = await buildApp(config, { database: testDb.database, clock: new ManualClock(TEST_START), devKey, keyring: generateKeyring(), auditMac: testAuditMacKeys(), logger: loggerOptions(config, stream) });
    try {
      for (let i = 0; i < 6; i++) expect((await quiet.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      // The public check answers an unknown code 200 (it does not exist): one logged in 1,000.
      for (let i = 0; i < 5; i++) expect((await quiet.inject({ method: 'GET', url: `/api/v1/codes/JC-2026-ZZZZZZZ${i}` })).statusCode).toBe(200);
      // A check with a parameter the route does not take is refused: every refusal logged.
      for (let i = 0; i < 4; i++) expect((await quiet.inject({ method: 'GET', url: `/api/v1/codes/JC-2026-ZZZZZZZ${i}?bogus=${i}` })).statusCode).toBe(400);
      const completed = sampled.filter((l) => l.msg === 'request completed');
      const status = (l: Record<string, unknown>) => (l.res as { statusCode: number }).statusCode;
      expect(completed.filter((l) => (l.req as { url: string }).url === '/health')).toHaveLength(2);
      expect(completed.filter((l) => (l.req as { url: string }).url.startsWith('/api/v1/codes/') && status(l) === 200)).toHaveLength(1);
      expect(completed.filter((l) => status(l) === 400)).toHaveLength(4);
    } finally {
      await quiet.close();
    }
  });
});

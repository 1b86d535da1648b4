import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import { generateDevKey, signDevToken } from '../../src/auth/dev-key.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { ManualClock } from '../../src/time/clock.js';
import { as } from '../support/factories.js';
import { testConfig, TEST_START } from '../support/test-app.js';
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
      keyring: generateKeyring(),
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
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]);
    expect(JSON.stringify(lines)).not.toContain('secret-in-a-log-call');
    expect(JSON.stringify(lines)).not.toContain('secret-token-field');
  });
});

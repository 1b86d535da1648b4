import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { generateAuditMacKeys, type AuditMacKeys } from '../../src/audit/mac.js';
import { generateDevKey, signDevToken, type DevKey } from '../../src/auth/dev-key.js';
import { generateKeyring, type Keyring } from '../../src/codes/keyring.js';
import type { Principal } from '../../src/auth/principal.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { RateStore } from '../../src/http/rate-limit.js';
import type { Db } from '../../src/db/client.js';
import { createSchemaCompilers, type SchemaCompilers } from '../../src/http/schema-compilers.js';
import { ManualClock } from '../../src/time/clock.js';
import { checkContract } from './openapi-contract.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  testDb: TestDatabase;
  clock: ManualClock;
  devKey: DevKey;
  keyring: Keyring;
  config: Config;
  token(p: Principal): string;
  /** app.inject with a bearer token for `as` (omit for an anonymous call). */
  call(opts: InjectOptions & { as?: Principal }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

// One audit MAC key per worker process (on globalThis: each test file has its own module registry), so
// every app a file builds on one database — and a second instance on it — checks the others' entries.
const AUDIT_MAC = Symbol.for('wh327.auditMacKeys');
const macStore = globalThis as { [AUDIT_MAC]?: AuditMacKeys };
export function testAuditMacKeys(): AuditMacKeys {
  return (macStore[AUDIT_MAC] ??= generateAuditMacKeys('test-audit'));
}

// One set of schema compilers per worker process (src/http/schema-compilers.ts): every app the worker builds,
// in any test file, reuses the validators and serialisers the first one compiled (~0.3 s an app otherwise).
const COMPILERS = Symbol.for('wh327.schemaCompilers');
const compilerStore = globalThis as { [COMPILERS]?: SchemaCompilers };

export const TEST_START = '2026-04-02T09:00:00+08:00';

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Test files call the API as one caller far faster than a person could, and a browser test loads every page's
  // scripts from one address: both budgets are lifted
  // (test/integration/http-hardening.test.ts sets its own to test it). Webhook receivers in tests listen on the
  // loopback, which production refuses (test/integration/webhook-safety.test.ts turns the allowance off).
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DEV_TOKENS: 'true', AUTH_RATE_LIMIT: '1000000', PUBLIC_RATE_LIMIT: '1000000', WEBHOOK_ALLOW_PRIVATE: 'true' }), ...overrides };
}

/** A fresh database and app per test file; the clock only moves when the test moves it. */
export async function createTestApp(opts: { start?: string; config?: Partial<Config>; testDb?: TestDatabase; devKey?: DevKey; keyring?: Keyring; auditMac?: AuditMacKeys; rateStore?: RateStore } = {}): Promise<TestApp> {
  const testDb = opts.testDb ?? (await createTestDatabase());
  const clock = new ManualClock(opts.start ?? TEST_START);
  const devKey = opts.devKey ?? generateDevKey();
  const keyring = opts.keyring ?? generateKeyring();
  const config = testConfig(opts.config);
  const auditMac = opts.auditMac ?? testAuditMacKeys();
  const app = await buildApp(config, { database: testDb.database, clock, devKey, keyring, auditMac, logger: false, rateStore: opts.rateStore, schemaCompilers: (compilerStore[COMPILERS] ??= createSchemaCompilers()) });
  await app.ready();
  // Every response the tests receive is checked against the OpenAPI document (test/support/openapi-contract.ts).
  checkContract(app, config);
  const token = (p: Principal) => signDevToken(devKey, p);
  return {
    app,
    db: testDb.database.db,
    testDb,
    clock,
    devKey,
    keyring,
    config,
    token,
    call: ({ as, headers, ...rest }) =>
      app.inject({ ...rest, headers: { ...(headers ?? {}), ...(as ? { authorization: `Bearer ${token(as)}` } : {}) } }),
    async close() {
      await app.close();
      if (!opts.testDb) await testDb.drop();
    },
  };
}

/** A second API instance on the same database (same pool), trusting the same keys. */
export function anotherInstance(a: TestApp): Promise<TestApp> {
  return createTestApp({ testDb: a.testDb, devKey: a.devKey, keyring: a.keyring });
}

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { DevKey } from './auth/dev-key.js';
import { auditMacKeysFor, type AuditMacKeys } from './audit/mac.js';
import { CheckpointWitness } from './audit/sealer.js';
import { PrincipalDirectory } from './auth/directory.js';
import { authPlugin } from './auth/plugin.js';
import { oidcLoginRoutes } from './auth/oidc-login.js';
import { principalForKey } from './exchange/clients.repository.js';
import { CalendarService } from './calendar/calendar-service.js';
import type { Keyring } from './codes/keyring.js';
import { CodeCheckCache } from './visits/check-cache.js';
import type { InspectionHooks } from './visits/hooks.js';
import { jointInspectionHooks } from './visits/joint/inspection-hooks.js';
import type { Config } from './config/config.js';
import type { Database, Db } from './db/client.js';
import { finiteNumbersPlugin } from './http/finite-numbers.js';
import { requestForLog, safeError } from './http/log-serializers.js';
import { controlCharactersPlugin } from './http/control-characters.js';
import { openapiTransforms } from './http/openapi.js';
import { clientErrorAsProblem, problemPlugin, sendProblem } from './http/problem.js';
import { unknownQueryPlugin } from './http/unknown-query.js';
import { WebhookDispatcher } from './exchange/webhooks.js';
import { MemoryRateStore, rateLimitHooks, RateStoreBreaker, RedisRateStore, type RateStore } from './http/rate-limit.js';
import { AccessLogController } from './http/access-log.js';
import securityHeaders from './http/security-headers.js';
import { createSchemaCompilers, type SchemaCompilers } from './http/schema-compilers.js';
import { apiRoutes } from './routes/index.js';
import { Metrics } from './metrics/metrics.js';
import { metricsRoutes } from './metrics/route.js';
import type { Clock } from './time/clock.js';

export interface Services {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  calendar: CalendarService;
  /** Signs inspection codes; its public keys are published at /.well-known/inspection-keys. */
  keyring: Keyring;
  /** The public check's per-instance cache, invalidated by database notifications. */
  codeChecks: CodeCheckCache;
  /** The newest audit checkpoint this process signed or saw, kept outside the database (src/audit/witness.ts). */
  auditWitness: CheckpointWitness;
  /** Webhook delivery: boot.ts runs its passes; the admin routes stop a subscriber's batch and resend dead letters. */
  webhooks: WebhookDispatcher;
  /** This app's audit append-MAC keys: its commands and sweeps sign entries with them, verification checks them (src/audit/mac.ts). */
  auditMac: AuditMacKeys;
  /** Resolves each caller against the registry (agency active, supervisor's bureau and district), cached. */
  principals: PrincipalDirectory;
  /** Where 综合查一次 takes part in single-inspection commands; inspections declare it, joint implements it. */
  inspectionHooks: InspectionHooks;
  /** Prometheus metrics of this instance (GET /metrics, src/metrics/). */
  metrics: Metrics;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** The request budgets' store behind its breaker: /ready reports whether requests are being counted. */
    rateLimitStore: RateStoreBreaker;
  }
}

export interface AppDeps {
  database: Database;
  clock: Clock;
  keyring: Keyring;
  devKey?: DevKey;
  /** The audit append-MAC keys; by default read as the config names them (AUDIT_MAC_KEY_FILE, else DATA_DIR's). */
  auditMac?: AuditMacKeys;
  /** The audit checkpoint witness; boot passes one kept in AUDIT_WITNESS_FILE, tests one in memory. */
  auditWitness?: CheckpointWitness;
  /** Where request budgets are counted; defaults to Redis when RATE_LIMIT_REDIS_URL is set, else this process. */
  rateStore?: RateStore;
  /** Schema compilers shared with other instances of this process (tests, benchmarks); defaults to the instance's own. */
  schemaCompilers?: SchemaCompilers;
  /** Defaults to JSON logs at config.logLevel; tests pass false. */
  logger?: FastifyServerOptions['logger'];
}

// Keys that must never reach a log line (pino redaction paths).
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  '*.privateKey',
];

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

// 1 MiB: the largest legitimate body (a plan with its items) is far smaller; larger is refused with 413.
const BODY_LIMIT = 1024 * 1024;

/**
 * pino settings: JSON lines at the configured level, secrets redacted, query values and SQL parameters
 * never written (src/http/log-serializers.ts); `stream` for tests.
 */
export function loggerOptions(config: Config, stream?: NodeJS.WritableStream) {
  return {
    level: config.logLevel,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { req: requestForLog as (req: unknown) => Record<string, unknown>, err: (err: Error) => safeError(err) as { type: string; message: string; stack: string } },
    ...(stream ? { stream } : {}),
  };
}

/** The whole application as one Fastify instance; server.ts only listens and closes it. */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config),
    // The route files are imported while their plugin loads (@fastify/autoload, src/routes/index.ts); compiling
    // them on first import (tsx, the test runner) on a busy machine can take longer than Fastify's 10 s default.
    pluginTimeout: 120_000,
    // One access-log line per request, successful ones sampled (src/http/access-log.ts).
    logController: new AccessLogController(config),
    // A client's X-Request-Id is kept (to follow one request across systems) only when it is short and
    // plain; anything else — long, spaces, control or non-ASCII characters — is replaced by a fresh id,
    // since the id goes into every log line and audit entry.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: BODY_LIMIT,
    // Behind a reverse proxy, which X-Forwarded-For hops to believe for req.ip (rate limits, logs): TRUST_PROXY.
    trustProxy: config.trustProxy,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
    schemaController: { compilersFactory: deps.schemaCompilers ?? createSchemaCompilers() },
    // A request line Node's parser refuses (raw UTF-8 bytes in the target, a broken header) never reaches
    // the router: answered here, on the socket, as problem+json like every other 400 (src/http/problem.ts).
    clientErrorHandler: clientErrorAsProblem,
    // Errors the router raises before any route runs (a malformed URL, an over-long path parameter)
    // still answer problem+json.
    frameworkErrors: (err, req, reply) =>
      err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? sendProblem(reply, req, 'URI_TOO_LONG', '路径参数过长')
        : sendProblem(reply, req, 'VALIDATION', '请求地址无效', { errors: [{ field: 'url', message: '格式不正确' }] }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('services', {
    config,
    database: deps.database,
    db: deps.database.db,
    clock: deps.clock,
    calendar: new CalendarService(deps.database.db),
    keyring: deps.keyring,
    codeChecks: new CodeCheckCache(deps.database),
    principals: new PrincipalDirectory(deps.database),
    inspectionHooks: jointInspectionHooks(config.joint),
    auditWitness: deps.auditWitness ?? new CheckpointWitness(),
    webhooks: new WebhookDispatcher(deps.database.db, deps.clock, config.exchange),
    auditMac: deps.auditMac ?? auditMacKeysFor(config),
    metrics: new Metrics(deps.database, deps.clock),
  });
  await app.services.codeChecks.start();
  await app.services.principals.start();
  app.addHook('onClose', async () => {
    // Requests to receivers in flight are aborted, so closing never waits on a slow receiver.
    await app.services.webhooks.close();
    await app.services.codeChecks.close();
    await app.services.principals.close();
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(problemPlugin);
  await app.register(metricsRoutes);
  await app.register(finiteNumbersPlugin);
  await app.register(controlCharactersPlugin);
  await app.register(unknownQueryPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '武汉市涉企行政检查合规引擎 API (Wuhan Order No. 327 inspection compliance engine)',
        description:
          '依据《武汉市规范涉企行政检查办法》（武汉市人民政府令第327号）：检查事项、检查计划、检查码、综合查一次、移送与监督。\n\n' +
          'Implements Wuhan Municipal Government Order No. 327: inspection matters, plans, inspection codes, joint inspections, referrals and supervision. ' +
          'Errors are application/problem+json with a stable `code` and, for rule refusals, the `article` of the regulation; each operation lists the statuses it can answer. ' +
          'A method a path does not have answers 405 with an `Allow` header; a query parameter an operation does not list answers 400 naming it.',
        version: '0.1.0',
      },
      // PUBLIC_BASE_URL: where clients reach this instance (the QR codes point there too).
      servers: [{ url: config.publicBaseUrl, description: '本实例（PUBLIC_BASE_URL）/ this instance' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'system', description: '系统状态 / Health and readiness' },
        { name: 'registry', description: '基础数据：行政区、行政执法主体、企业、检查事项 / Reference registry' },
        { name: 'calendar', description: '工作日历 / Working-day calendar' },
        { name: 'plans', description: '年度日常检查计划与专项检查计划 / Annual routine plans and special plans (Art. 13–14)' },
        { name: 'frequency', description: '检查频次 / Frequency caps and the 无事不扰 list (Art. 15)' },
        { name: 'inspections', description: '行政检查 / Inspections (Art. 9, 16–25)' },
        { name: 'codes', description: '检查码 / Inspection codes (Art. 17–18)' },
        { name: 'joint', description: '综合查一次：事项清单与联合检查任务 / Joint inspections: matter lists and joint tasks (Art. 26–31)' },
        { name: 'referrals', description: '移送 / Referrals within 10 working days (Art. 23)' },
        { name: 'devices', description: '电子技术监控设备与非现场检查 / Monitoring devices and off-site inspections (Art. 32–37)' },
        { name: 'supervision', description: '监督：违规标记、企业反映、评价、统计与导出 / Supervision: flags, reports, ratings, statistics, exports (Art. 6, 38–40)' },
        { name: 'audit', description: '审计日志（防篡改哈希链）/ Tamper-evident audit log' },
        { name: 'exchange', description: '与上级平台的数据交换：事件拉取、推送、批量报送 / Data exchange with upper-level platforms (Art. 8, 24, 29)' },
        { name: 'regulation', description: '办法原文与错误码 / Regulation text and error registry' },
      ],
    },
    // problem+json, media types and operationIds for every route, in one place.
    ...openapiTransforms,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Security headers on every response; the CSP allows only this origin, plus inline styles for the pages.
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: { 'default-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'style-src': ["'self'", "'unsafe-inline'"], 'script-src': ["'self'"] },
    },
  });
  const { redisUrl, redisTimeoutMs, redisRetryMs } = config.rateLimit;
  const store = deps.rateStore ?? (redisUrl ? await RedisRateStore.connect(redisUrl, { commandTimeoutMs: redisTimeoutMs }) : new MemoryRateStore());
  // A stalled or absent store is bypassed after one bounded wait (src/http/rate-limit.ts); /ready shows it.
  const rateStore = new RateStoreBreaker(store, { retryMs: redisRetryMs, log: app.log });
  app.decorate('rateLimitStore', rateStore);
  app.addHook('onClose', async () => rateStore.close());
  const limits = rateLimitHooks({
    publicLimit: config.publicRateLimit,
    authenticatedLimit: config.rateLimit.authenticated,
    expensiveCost: config.rateLimit.expensiveCost,
    store: rateStore,
  });
  // Around the auth plugin: addresses are checked before a token is verified, callers after.
  await app.register(limits.before);
  // The local development identity provider (src/oidc), when configured; the API trusts its tokens from its issuer only.
  const devOidc: { issuer?: string } = {};
  const devProvider = config.oidc.devProvider && deps.devKey ? deps.devKey : undefined;
  await app.register(authPlugin, { auth: config.auth, devKey: deps.devKey, platformKey: (token) => principalForKey(deps.database.db, token), devOidcIssuer: devProvider ? () => devOidc.issuer : undefined });
  if (devProvider) {
    const { devOidcPlugin } = await import('./oidc/dev-provider.js');
    await app.register(devOidcPlugin, { db: deps.database.db, devKey: devProvider, holder: devOidc });
  }
  const { devIssuerFor } = await import('./oidc/dev-provider.js');
  await app.register(oidcLoginRoutes, { oidc: config.oidc, publicBaseUrl: config.publicBaseUrl, devIssuerFor: devProvider ? devIssuerFor : undefined });
  await app.register(limits.after);
  await app.register(apiRoutes);
  return app;
}

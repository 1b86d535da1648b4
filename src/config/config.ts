import type { RelabellingSettings } from '../declarations/settings.js';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { JointSettings } from './joint-settings.js';
import type { PlanSettings } from '../plans/plan-settings.js';
import type { SpecialPlanSettings } from '../plans/special-plan-settings.js';
import { urlUser } from '../db/hosts.js';
import type { ExchangeSettings } from '../exchange/settings.js';
import type { ReportSettings } from '../supervision/report-settings.js';

/**
 * Every setting the process reads, validated once at boot. A bad or missing setting stops the process
 * with a message naming it (ConfigError), never a half-configured server.
 */
const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  /** postgres://… selects a PostgreSQL server through `pg`; unset means embedded PGlite in DATA_DIR. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /**
   * The role that owns the schema and runs the migrations (postgres://owner@…). Set, the application itself
   * runs as DATABASE_URL's role, which the migration grants only what it needs: it can append to the audit
   * log and nothing more there (docs/AUDIT.md). Unset, DATABASE_URL's role migrates too (the old behaviour).
   */
  DATABASE_OWNER_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** The runtime role the migration grants to; defaults to the user named in DATABASE_URL. */
  DATABASE_APP_ROLE: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  DATA_DIR: Type.String({ default: '.data', minLength: 1 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /** Accept tokens signed with the local development key (`npm run token`). Refused in production. */
  AUTH_DEV_TOKENS: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  /** The external identity provider's public key (PEM), or a JWKS URL. */
  JWT_PUBLIC_KEY: Type.Optional(Type.String({ minLength: 1 })),
  JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  JWT_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  JWT_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  /** The OpenID Connect provider the apps sign in through (the government's 统一身份认证); its discovery document is read at sign-in. */
  OIDC_ISSUER: Type.Optional(Type.String({ pattern: '^https?://' })),
  OIDC_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  /** Only for a confidential client; the apps' sign-in uses PKCE either way. */
  OIDC_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  /** The scopes asked for; the provider must put role, agency / creditCode and name in the access token. */
  OIDC_SCOPE: Type.String({ default: 'openid profile wh327', minLength: 1 }),
  /** Signs the sign-in transaction cookie; set the same value on every instance behind one address. */
  OIDC_COOKIE_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** Mount the local development identity provider at /oidc (default outside production; refused in production). */
  OIDC_DEV_PROVIDER: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  /**
   * The longest a token may live: its `exp` no further than this from now, its `iat` (when present) no older.
   * 12 hours is one working day; an identity provider issuing longer tokens for another application cannot
   * lend them here.
   */
  JWT_MAX_AGE_SECONDS: Type.Integer({ default: 43_200, minimum: 60, maximum: 7 * 86_400 }),
  /** Clock difference tolerated between the identity provider and this server on `exp`, `nbf` and `iat`. */
  JWT_CLOCK_SKEW_SECONDS: Type.Integer({ default: 30, minimum: 0, maximum: 600 }),
  /** How long the provider's JWKS is kept before it is fetched again. */
  JWKS_CACHE_SECONDS: Type.Integer({ default: 600, minimum: 10, maximum: 86_400 }),
  /** The least time between two JWKS fetches, however many tokens name an unknown `kid`. */
  JWKS_MIN_REFETCH_SECONDS: Type.Integer({ default: 30, minimum: 1, maximum: 3600 }),
  /** Start the injected clock at this instant (demos, acceptance tests). Refused in production. */
  CLOCK_START: Type.Optional(Type.String({ format: 'date-time' })),
  /** Load the demo data set when the database is empty (default in development). */
  SEED_DEMO: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  /** How often the audit sealer chains committed entries; bounds the delay before an entry is chained. */
  AUDIT_SEAL_INTERVAL_MS: Type.Integer({ default: 250, minimum: 10, maximum: 60_000 }),
  /**
   * How often the sealer signs a checkpoint of the chain's head (when it moved). A truncated tail or a
   * rehashed stretch is provable against the last checkpoint others copied, so this bounds what can be
   * cut off unseen; a minute costs one signature and one row a minute.
   */
  AUDIT_CHECKPOINT_INTERVAL_MS: Type.Integer({ default: 60_000, minimum: 1000, maximum: 86_400_000 }),
  /** The audit chain's hash for newly sealed entries: SHA-256, or SM3 (GB/T 32905) for the national algorithms. */
  AUDIT_CHAIN_HASH: Type.Union([Type.Literal('SHA-256'), Type.Literal('SM3')], { default: 'SHA-256' }),
  /**
   * An entry still unchained this long after it occurred is reported by verification (seal_overdue). The
   * sealer runs every AUDIT_SEAL_INTERVAL_MS; a minute leaves room for long transactions and a restart.
   */
  AUDIT_SEAL_OVERDUE_MS: Type.Integer({ default: 60_000, minimum: 1000, maximum: 86_400_000 }),
  /**
   * File of the audit append-MAC keys (lines "<kid> <base64url secret>", active first); required in
   * production, shared by every instance, never stored in the database. Development generates one in DATA_DIR.
   */
  AUDIT_MAC_KEY_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Where the server keeps the last audit checkpoint it signed (见证文件), out of the database owner's reach:
   * the sealer never signs behind it and a rollback of the database is reported at start. Default
   * DATA_DIR/audit-witness.json; put it on storage the database's administrators do not control.
   */
  AUDIT_WITNESS_FILE: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * How often the due-date sweeper runs (filing deadlines, unpublished plans). Its deadlines are days, so
   * a minute is prompt; each pass is a few indexed queries, so it costs nothing when nothing is due.
   */
  SWEEP_INTERVAL_MS: Type.Integer({ default: 60_000, minimum: 1000, maximum: 86_400_000 }),
  /** A filed plan unpublished this many days is flagged PLAN_NOT_PUBLISHED: a reminder, Art. 14 says 依法公布 without a number. */
  PLAN_PUBLISH_DAYS: Type.Integer({ default: 20, minimum: 1, maximum: 366 }),
  /**
   * Working days after the findings within which the enterprise is told the result (Art. 18(5) names no
   * number; 5 matches the usual 告知 terms of inspection rules). Past it, the sweeper flags RESULT_NOT_NOTIFIED.
   */
  RESULT_NOTIFY_WORKING_DAYS: Type.Integer({ default: 5, minimum: 1, maximum: 60 }),
  /**
   * Working days after a referral was sent within which the competent agency accepts it or takes a dispute
   * over competence to the common superior (Art. 23: 应当接收 names no number; 5 is a choice, the same term
   * as the result notice). Past it, the sweeper flags REFERRAL_NOT_RECEIVED.
   */
  REFERRAL_ACCEPT_WORKING_DAYS: Type.Integer({ default: 5, minimum: 1, maximum: 60 }),
  /**
   * Calendar days after the result was notified within which the documents and evidence are archived
   * (Art. 25 defers to the archive rules and names no term; 30 days matches the usual 结案后30日内立卷归档 of
   * administrative-enforcement file rules). Past it, the sweeper flags NOT_ARCHIVED.
   */
  ARCHIVE_WITHIN_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 366 }),
  /**
   * How close (days between the dates) a pending planned task must be for an on-site case inspection to be
   * "能够合并实施" (Art. 13 ¶3 gives no measure). A task scheduled months away has its own scheme, team and
   * code prepared for its date, so 30 days; supervisors who read "能够" more widely raise it.
   */
  CASE_MERGE_WINDOW_DAYS: Type.Integer({ default: 30, minimum: 0, maximum: 366 }),
  /**
   * Calendar days after the enterprise's own stop / rectification due date within which the agency records
   * its follow-up inspection (Art. 20 ¶2: 进行跟踪检查并予以记录, no term given). The follow-up can only
   * begin once the enterprise's term has run, so judging it on the due date itself flags every order; 15
   * days gives the agency two working weeks (10 working days, as Art. 23 gives a referral) outside the
   * longest holidays, and calendar days keep the cut-off one date comparison per order.
   */
  FOLLOW_UP_DAYS: Type.Integer({ default: 15, minimum: 0, maximum: 180 }),
  /** Folder of Ed25519 / SM2 code-signing keys (<kid>.pem, retired <kid>.pub.pem, and a file `active`); required in production. */
  CODE_KEYS_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * The algorithm that signs NEW inspection codes (and whatever signs through Keyring#signBytes): Ed25519 (RFC 8032) or SM2-SM3
   * (GB/T 32918.2 with SM3, the national standard some agencies must use). Earlier codes keep verifying
   * under their own key whatever this says; the published key set lists both kinds (docs/CODE-FORMAT.md).
   * Ed25519 by default: shorter signatures, and the phone checks it with the browser's WebCrypto; the check page
   * verifies SM2-SM3 offline with its own code (web/portal/sm2-verify.js), more slowly.
   */
  CODE_SIGNING_ALG: Type.Union([Type.Literal('Ed25519'), Type.Literal('SM2-SM3')], { default: 'Ed25519' }),
  /**
   * Requests per minute per client IP on routes that need no token (the public code check, the check page,
   * published keys). Generous for a crowd behind one NAT, tight enough to stop enumeration of codes.
   */
  PUBLIC_RATE_LIMIT: Type.Integer({ default: 600, minimum: 1, maximum: 1_000_000 }),
  /**
   * Access log: one line per request when it completes (method, path with query values redacted, status,
   * time). Successful requests are logged one in ACCESS_LOG_EVERY (1: all); the public code check and the
   * check page — anonymous, and the one route a city's morning burst hits thousands of times a minute — one
   * in PUBLIC_CHECK_LOG_EVERY (default 100: at 3,000 checks a second that is 30 lines, not 6,000). Refusals
   * and errors (status 400 and above) are always logged, whatever the setting.
   */
  ACCESS_LOG_EVERY: Type.Integer({ default: 1, minimum: 1, maximum: 1_000_000 }),
  PUBLIC_CHECK_LOG_EVERY: Type.Integer({ default: 100, minimum: 1, maximum: 1_000_000 }),
  /**
   * Requests per minute per caller (the token's subject) on routes that need a token. An officer's console
   * makes a few requests a screen; 600 is ten a second, far above a person and well below a script.
   */
  AUTH_RATE_LIMIT: Type.Integer({ default: 600, minimum: 1, maximum: 1_000_000 }),
  /**
   * The budget an expensive request takes from its caller's limit (notice PDFs, audit verification,
   * CSV exports): a PDF costs ~100 ms of CPU, so 20 makes six at once as costly as 120 cheap reads.
   */
  RATE_LIMIT_EXPENSIVE_COST: Type.Integer({ default: 20, minimum: 1, maximum: 1000 }),
  /**
   * redis://… makes every instance count against one shared budget (several instances behind a load
   * balancer); unset keeps the counters in this process (one instance).
   */
  RATE_LIMIT_REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** A Redis command unanswered this long fails; the request goes through uncounted and the breaker opens. */
  RATE_LIMIT_REDIS_TIMEOUT_MS: Type.Integer({ default: 200, minimum: 10, maximum: 10_000 }),
  /** While the breaker is open, Redis is probed again after this long; requests are not counted meanwhile. */
  RATE_LIMIT_REDIS_RETRY_MS: Type.Integer({ default: 5000, minimum: 10, maximum: 600_000 }),
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): unset trusts none (the server
   * faces clients directly); behind a reverse proxy set the proxy's addresses or CIDRs (e.g. 10.0.0.0/8,
   * or `loopback` for one on this host). Trusting every peer (true) lets any client choose its own address
   * and so its rate-limit bucket; a hop count is not offered because Fastify cannot check the peer with it.
   */
  TRUST_PROXY: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  /**
   * Art. 31 (严格控制单次开展检查的执法人员数量) gives no number. Six is three units sending two certified
   * officers each (Art. 18(1)'s minimum), the common case of a combined visit; more needs a setting change
   * by the city, not an officer's choice.
   */
  JOINT_TEAM_MAX: Type.Integer({ default: 6, minimum: 2, maximum: 50 }),
  /**
   * Art. 26 (同一时间) gives no number either: visits of two agencies this many days apart or closer should have
   * been one joint visit. Seven: visits a week apart could as well have been one, and a shorter window misses
   * visits planned in the same week.
   */
  JOINT_COORDINATION_DAYS: Type.Integer({ default: 7, minimum: 0, maximum: 90 }),
  /**
   * Art. 14 ¶1: after the bureau returns a plan, the agency 重新调整…并报送备案 but no period is named.
   * Resubmitted within these days of the return, it keeps its first submission's standing for the 31 March
   * duty (the bureau's return must not make an agency that submitted in time late); later, it counts from its
   * own date. Fifteen: half a month, long enough to adjust a plan and have the head approve it, short enough
   * that a return is not a way to postpone the duty.
   */
  PLAN_RESUBMIT_DAYS: Type.Integer({ default: 15, minimum: 1, maximum: 90 }),
  /**
   * Art. 14 ¶2: 应当在检查计划调整后报送备案 — promptly, no number. An amended plan not submitted again within
   * these days is flagged PLAN_AMENDED_NOT_REFILED. Fifteen, as a resubmission after a return: both are the
   * same work of adjusting and approving.
   */
  PLAN_REFILE_DAYS: Type.Integer({ default: 15, minimum: 1, maximum: 90 }),
  /**
   * Art. 13 ¶2: 经同级人民政府或者实行垂直管理的上级主管部门批准 — a vertically managed agency's special plan is
   * approved by its upper authority, since the local government does not lead it. Where vertical management
   * stops below the province (省以下垂直管理) and the local government also approves such plans, `true` accepts
   * the same-level government's approval for it as well (never an upper authority's for other agencies).
   */
  SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  /**
   * 检查结果互认 (Art. 24, 40(7)): how far back other agencies' and platforms' results count as recent, shown at
   * drafting and read by REPEATED_TESTING. The Order names no period; a year is the plan's and the caps' year.
   */
  RESULTS_RECOGNISED_DAYS: Type.Integer({ default: 365, minimum: 1, maximum: 3660 }),
  /**
   * The relabelling detectors' thresholds (issue 22). The Order names none: they say when supervisors look.
   * 90 days: a quarter, long enough for a rise to be more than one busy week. Twice the previous quarter and
   * at least 5 cases: fewer is noise. A lead serving 3 enterprises: two may be a complaint naming a supplier and
   * its customer; three is a list. Three times the level's median and at least 5: the same reasoning, with the
   * level's agencies as the peers.
   */
  CASE_RELABEL_WINDOW_DAYS: Type.Integer({ default: 90, minimum: 7, maximum: 366 }),
  CASE_RELABEL_RISE_TIMES: Type.Integer({ default: 2, minimum: 1, maximum: 100 }),
  CASE_RELABEL_MIN_CASES: Type.Integer({ default: 5, minimum: 1, maximum: 100000 }),
  LEAD_SHARED_MIN_ENTERPRISES: Type.Integer({ default: 3, minimum: 2, maximum: 1000 }),
  LEAD_SHARED_WINDOW_DAYS: Type.Integer({ default: 365, minimum: 1, maximum: 3660 }),
  DECLARATION_PEER_TIMES: Type.Integer({ default: 3, minimum: 1, maximum: 100 }),
  DECLARATION_PEER_MIN: Type.Integer({ default: 5, minimum: 1, maximum: 100000 }),
  DECLARATION_PEER_WINDOW_DAYS: Type.Integer({ default: 90, minimum: 7, maximum: 366 }),
  /** Data exchange (Art. 8, 24, 29): the CloudEvents `source` of every outbound event (an event id is unique within it). */
  EVENT_SOURCE: Type.String({ default: '/wuhan-327', minLength: 1, maxLength: 200 }),
  /** How often pending webhooks are delivered; a receiver sees an event within about this long. */
  WEBHOOK_INTERVAL_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 3_600_000 }),
  /** A webhook request that takes longer counts as failed and is retried. */
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000 }),
  /**
   * First retry after this long; doubles per failure up to WEBHOOK_BACKOFF_MAX_MS: a receiver down for a day is
   * tried about once an hour, not hammered, and catches up in order when it returns.
   */
  WEBHOOK_BACKOFF_BASE_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 3_600_000 }),
  WEBHOOK_BACKOFF_MAX_MS: Type.Integer({ default: 3_600_000, minimum: 1000, maximum: 86_400_000 }),
  /** Attempts at one event before it is dead-lettered and the subscriber moves on (src/exchange/webhooks.ts). */
  WEBHOOK_MAX_ATTEMPTS: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  /** `true` allows webhook URLs on loopback, private and link-local addresses (a receiver on the same network). */
  WEBHOOK_ALLOW_PRIVATE: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  /**
   * A streaming replica the public code check reads from (src/db/replica.ts); the answer then says how fresh
   * it is. DATABASE_URL may list several hosts with target_session_attrs=read-write (src/db/hosts.ts).
   */
  DATABASE_REPLICA_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** A replica further behind than this is not read: the check asks the primary (docs/DEPLOYMENT.md). */
  REPLICA_MAX_LAG_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 600_000 }),
  /**
   * Bearer token for GET /metrics (Prometheus). Unset, /metrics answers only connections from this host
   * (loopback), so an exporter sidecar or a local agent scrapes it and the internet does not.
   */
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
  /**
   * Abuse limits on 企业报告 (Art. 40 reports; issue 23). Not the Order's: chosen so that a flood from one account
   * cannot bury the supervisors while a genuine report always goes through. One report is one visit; a report
   * ticking every box raised 8 flags: the first REPORT_MAX_FLAGS are raised (the missing code first), the rest
   * named in the last one's detail. Per enterprise and Beijing day, ten photos (20 MB) is more than any real
   * enterprise sends; one photo at most 2 MB, the request schema's own ceiling.
   */
  REPORT_MAX_FLAGS: Type.Integer({ default: 6, minimum: 1, maximum: 20 }),
  REPORT_PHOTOS_PER_DAY: Type.Integer({ default: 10, minimum: 1, maximum: 1000 }),
  REPORT_PHOTO_BYTES_PER_DAY: Type.Integer({ default: 20 * 1024 * 1024, minimum: 1024, maximum: 1024 * 1024 * 1024 }),
  REPORT_PHOTO_MAX_BYTES: Type.Integer({ default: 2 * 1024 * 1024, minimum: 1024, maximum: 2 * 1024 * 1024 }),
  /**
   * 现场取证: the largest photo or short video an officer may attach, in bytes. Not the Order's (Art. 19 asks for
   * a record, not a size): a phone photo is 2–6 MB, a 15-second 720p clip about 15 MB; larger files are better
   * attached from the office system.
   */
  EVIDENCE_MAX_BYTES: Type.Integer({ default: 20 * 1024 * 1024, minimum: 64 * 1024, maximum: 200 * 1024 * 1024 }),
  /**
   * 亮码即定位: a scan this many metres or more from the enterprise's registered premises is marked for
   * supervisors. A phone's location indoors is often 50–300 m off; 500 m stays clear of that noise while still
   * catching a scan made from another street.
   */
  SCAN_FAR_METRES: Type.Integer({ default: 500, minimum: 50, maximum: 100_000 }),
  /** Public origin used in QR codes and links (what an enterprise's phone opens). */
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
});
type Env = Static<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  databaseUrl?: string;
  /** Migrations run as this role when set (DATABASE_OWNER_URL); the application as databaseAppRole. */
  databaseOwnerUrl?: string;
  databaseAppRole?: string;
  /** DATABASE_REPLICA_URL and REPLICA_MAX_LAG_MS: the public check's read replica. */
  databaseReplicaUrl?: string;
  replicaMaxLagMs: number;
  /** METRICS_TOKEN: bearer token of /metrics; unset means loopback only. */
  metricsToken?: string;
  dataDir: string;
  logLevel: string;
  auth: {
    devTokens: boolean;
    publicKeyPem?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    maxAgeSeconds: number;
    clockSkewSeconds: number;
    jwksCacheSeconds: number;
    jwksMinRefetchSeconds: number;
  };
  /** Sign-in of the apps through OpenID Connect (src/auth/oidc-login.ts). */
  oidc: { issuer?: string; clientId?: string; clientSecret?: string; scope: string; cookieSecret?: string; devProvider: boolean };
  clockStart?: string;
  codeKeysDir?: string;
  /** CODE_SIGNING_ALG. */
  codeSigningAlg: 'Ed25519' | 'SM2-SM3';
  seedDemo: boolean;
  auditSealIntervalMs: number;
  auditCheckpointIntervalMs: number;
  /** AUDIT_CHAIN_HASH: the hash new chain rows use (format 2 SHA-256, format 3 SM3). */
  auditChainHash: 'SHA-256' | 'SM3';
  auditSealOverdueMs: number;
  auditMacKeyFile?: string;
  /** AUDIT_WITNESS_FILE; the server defaults it to DATA_DIR/audit-witness.json (tests keep the witness in memory). */
  auditWitnessFile?: string;
  publicRateLimit: number;
  accessLogEvery: number;
  publicCheckLogEvery: number;
  /** Per-caller limits on routes that need a token; `expensiveCost` is what one expensive request counts. */
  rateLimit: { authenticated: number; expensiveCost: number; redisUrl?: string; redisTimeoutMs: number; redisRetryMs: number };
  /** Fastify's trustProxy: false, true, or the proxies' addresses/CIDRs (TRUST_PROXY). */
  trustProxy: boolean | string[];
  sweepIntervalMs: number;
  /** Art. 14: days a filed plan may wait for publication (PLAN_PUBLISH_DAYS). */
  planPublishDays: number;
  resultNotifyWorkingDays: number;
  /** Art. 23: working days for the competent agency to accept or escalate a sent referral (REFERRAL_ACCEPT_WORKING_DAYS). */
  referralAcceptWorkingDays: number;
  archiveWithinDays: number;
  caseMergeWindowDays: number;
  /** Art. 20 ¶2: days after the enterprise's due date for the agency's follow-up (FOLLOW_UP_DAYS). */
  followUpDays: number;
  publicBaseUrl: string;
  /** 综合查一次 (Art. 26, 31): the joint-visit team cap and the coordination window. */
  joint: JointSettings;
  /** Art. 13–14: the resubmission and refiling periods of annual plans. */
  plans: PlanSettings;
  /** Art. 13 ¶2: who may approve a vertically managed agency's special plan. */
  specialPlans: SpecialPlanSettings;
  /** Art. 8, 24, 29: the outbound feed and webhooks. */
  exchange: ExchangeSettings;
  /** Art. 24, 40(7): days within which other agencies' and platforms' results are recognised (RESULTS_RECOGNISED_DAYS). */
  resultsRecognisedDays: number;
  /** Abuse limits on enterprise reports (REPORT_*). */
  reports: ReportSettings;
  /** 现场取证 and 亮码即定位 (EVIDENCE_MAX_BYTES, SCAN_FAR_METRES). */
  evidence: { maxBytes: number; scanFarMetres: number };
  /** Issue 22: the relabelling detectors' thresholds. */
  relabelling: RelabellingSettings;
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

const INTEGER_SETTINGS = new Set(['JWT_MAX_AGE_SECONDS', 'JWT_CLOCK_SKEW_SECONDS', 'JWKS_CACHE_SECONDS', 'JWKS_MIN_REFETCH_SECONDS', 'AUTH_RATE_LIMIT', 'RATE_LIMIT_EXPENSIVE_COST', 'PORT', 'AUDIT_SEAL_INTERVAL_MS', 'SWEEP_INTERVAL_MS', 'PUBLIC_RATE_LIMIT', 'JOINT_TEAM_MAX', 'JOINT_COORDINATION_DAYS']);
// One line per feature's integer settings, so separate features add theirs without touching each other's.
INTEGER_SETTINGS.add('RESULT_NOTIFY_WORKING_DAYS');
INTEGER_SETTINGS.add('ARCHIVE_WITHIN_DAYS').add('CASE_MERGE_WINDOW_DAYS');
INTEGER_SETTINGS.add('FOLLOW_UP_DAYS');
INTEGER_SETTINGS.add('ACCESS_LOG_EVERY').add('PUBLIC_CHECK_LOG_EVERY');
INTEGER_SETTINGS.add('PLAN_RESUBMIT_DAYS').add('PLAN_REFILE_DAYS');
INTEGER_SETTINGS.add('REFERRAL_ACCEPT_WORKING_DAYS');
INTEGER_SETTINGS.add('AUDIT_CHECKPOINT_INTERVAL_MS').add('AUDIT_SEAL_OVERDUE_MS');
INTEGER_SETTINGS.add('RESULTS_RECOGNISED_DAYS');
INTEGER_SETTINGS.add('RATE_LIMIT_REDIS_TIMEOUT_MS').add('RATE_LIMIT_REDIS_RETRY_MS');
INTEGER_SETTINGS.add('REPLICA_MAX_LAG_MS');
INTEGER_SETTINGS.add('REPORT_MAX_FLAGS').add('REPORT_PHOTOS_PER_DAY').add('REPORT_PHOTO_BYTES_PER_DAY').add('REPORT_PHOTO_MAX_BYTES');
INTEGER_SETTINGS.add('EVIDENCE_MAX_BYTES').add('SCAN_FAR_METRES');
INTEGER_SETTINGS.add('CASE_RELABEL_WINDOW_DAYS').add('CASE_RELABEL_RISE_TIMES').add('CASE_RELABEL_MIN_CASES').add('LEAD_SHARED_MIN_ENTERPRISES').add('LEAD_SHARED_WINDOW_DAYS').add('DECLARATION_PEER_TIMES').add('DECLARATION_PEER_MIN').add('DECLARATION_PEER_WINDOW_DAYS');
INTEGER_SETTINGS.add('WEBHOOK_INTERVAL_MS').add('WEBHOOK_TIMEOUT_MS').add('WEBHOOK_BACKOFF_BASE_MS').add('WEBHOOK_BACKOFF_MAX_MS');
INTEGER_SETTINGS.add('WEBHOOK_MAX_ATTEMPTS');
INTEGER_SETTINGS.add('PLAN_PUBLISH_DAYS');

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = source[key];
    if (value === undefined || value === '') continue;
    raw[key] = INTEGER_SETTINGS.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  const withDefaults = Value.Default(EnvSchema, raw);
  const firstError = Value.Errors(EnvSchema, withDefaults)[0];
  if (firstError) {
    const setting = firstError.instancePath.replace(/^\//, '') || 'environment';
    throw new ConfigError(setting, `invalid value (${firstError.message})`);
  }
  const env = withDefaults as Env;
  const production = env.NODE_ENV === 'production';
  const devTokens = env.AUTH_DEV_TOKENS ? env.AUTH_DEV_TOKENS === 'true' : !production;
  if (production && devTokens) {
    throw new ConfigError('AUTH_DEV_TOKENS', 'development tokens cannot be accepted in production');
  }
  const devProvider = env.OIDC_DEV_PROVIDER ? env.OIDC_DEV_PROVIDER === 'true' : !production;
  if (production && devProvider) throw new ConfigError('OIDC_DEV_PROVIDER', 'the development identity provider cannot run in production');
  if (env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) throw new ConfigError('OIDC_CLIENT_ID', 'name this service’s client at the identity provider (OIDC_ISSUER is set)');
  // Without OIDC_ISSUER production still serves the API (machine clients, tokens from elsewhere); the apps then say sign-in is not configured.
  if (production && env.OIDC_ISSUER && !env.OIDC_COOKIE_SECRET) throw new ConfigError('OIDC_COOKIE_SECRET', 'production needs the sign-in cookie secret, shared by every instance');
  if (production && env.CLOCK_START) {
    throw new ConfigError('CLOCK_START', 'the clock cannot be moved in production');
  }
  if (production && !env.JWT_PUBLIC_KEY && !env.JWKS_URL) {
    throw new ConfigError('JWT_PUBLIC_KEY', 'production needs JWT_PUBLIC_KEY or JWKS_URL to verify tokens');
  }
  // A provider shared with other applications signs their tokens with the same key: only the issuer and
  // audience tell ours apart, so production does not start without both.
  if (production && !env.JWT_ISSUER) throw new ConfigError('JWT_ISSUER', 'production needs the identity provider’s issuer (iss) to accept');
  if (production && !env.JWT_AUDIENCE) throw new ConfigError('JWT_AUDIENCE', 'production needs this service’s audience (aud) to accept');
  // QR codes printed in production must open the public origin, never this server's own address.
  if (production && !env.PUBLIC_BASE_URL) throw new ConfigError('PUBLIC_BASE_URL', 'production needs the public origin printed in QR codes and links');
  if (production && !env.CODE_KEYS_DIR) {
    throw new ConfigError('CODE_KEYS_DIR', 'production needs the folder of inspection-code signing keys');
  }
  if (production && !env.AUDIT_MAC_KEY_FILE) {
    throw new ConfigError('AUDIT_MAC_KEY_FILE', 'production needs the audit append-MAC key file, shared by every instance');
  }
  if (env.DATABASE_OWNER_URL && !env.DATABASE_URL) {
    throw new ConfigError('DATABASE_OWNER_URL', 'set DATABASE_URL too: the owner migrates, DATABASE_URL is the role the application runs as');
  }
  const appRole = env.DATABASE_APP_ROLE ?? (env.DATABASE_URL ? urlUser(env.DATABASE_URL) : undefined);
  if (env.DATABASE_OWNER_URL && !appRole) {
    throw new ConfigError('DATABASE_APP_ROLE', 'name the runtime role (or put it in DATABASE_URL) so the migration can grant to it');
  }
  if (env.JWT_PUBLIC_KEY && !env.JWT_PUBLIC_KEY.includes('BEGIN PUBLIC KEY')) {
    throw new ConfigError('JWT_PUBLIC_KEY', 'expected a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    databaseOwnerUrl: env.DATABASE_OWNER_URL,
    databaseAppRole: appRole,
    databaseReplicaUrl: env.DATABASE_REPLICA_URL,
    replicaMaxLagMs: env.REPLICA_MAX_LAG_MS,
    metricsToken: env.METRICS_TOKEN,
    dataDir: env.DATA_DIR,
    logLevel: env.LOG_LEVEL,
    auth: {
      devTokens,
      publicKeyPem: env.JWT_PUBLIC_KEY,
      jwksUrl: env.JWKS_URL,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      maxAgeSeconds: env.JWT_MAX_AGE_SECONDS,
      clockSkewSeconds: env.JWT_CLOCK_SKEW_SECONDS,
      jwksCacheSeconds: env.JWKS_CACHE_SECONDS,
      jwksMinRefetchSeconds: env.JWKS_MIN_REFETCH_SECONDS,
    },
    oidc: { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET, scope: env.OIDC_SCOPE, cookieSecret: env.OIDC_COOKIE_SECRET, devProvider },
    clockStart: env.CLOCK_START,
    codeKeysDir: env.CODE_KEYS_DIR,
    codeSigningAlg: env.CODE_SIGNING_ALG,
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO === 'true' : !production,
    auditSealIntervalMs: env.AUDIT_SEAL_INTERVAL_MS,
    auditCheckpointIntervalMs: env.AUDIT_CHECKPOINT_INTERVAL_MS,
    auditChainHash: env.AUDIT_CHAIN_HASH,
    auditSealOverdueMs: env.AUDIT_SEAL_OVERDUE_MS,
    auditMacKeyFile: env.AUDIT_MAC_KEY_FILE,
    auditWitnessFile: env.AUDIT_WITNESS_FILE,
    publicRateLimit: env.PUBLIC_RATE_LIMIT,
    accessLogEvery: env.ACCESS_LOG_EVERY,
    publicCheckLogEvery: env.PUBLIC_CHECK_LOG_EVERY,
    rateLimit: {
      authenticated: env.AUTH_RATE_LIMIT,
      expensiveCost: env.RATE_LIMIT_EXPENSIVE_COST,
      redisUrl: env.RATE_LIMIT_REDIS_URL,
      redisTimeoutMs: env.RATE_LIMIT_REDIS_TIMEOUT_MS,
      redisRetryMs: env.RATE_LIMIT_REDIS_RETRY_MS,
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    sweepIntervalMs: env.SWEEP_INTERVAL_MS,
    planPublishDays: env.PLAN_PUBLISH_DAYS,
    resultNotifyWorkingDays: env.RESULT_NOTIFY_WORKING_DAYS,
    referralAcceptWorkingDays: env.REFERRAL_ACCEPT_WORKING_DAYS,
    archiveWithinDays: env.ARCHIVE_WITHIN_DAYS,
    caseMergeWindowDays: env.CASE_MERGE_WINDOW_DAYS,
    followUpDays: env.FOLLOW_UP_DAYS,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`,
    joint: { teamMax: env.JOINT_TEAM_MAX, coordinationDays: env.JOINT_COORDINATION_DAYS },
    plans: { resubmitDays: env.PLAN_RESUBMIT_DAYS, refileDays: env.PLAN_REFILE_DAYS },
    specialPlans: { verticalGovernmentApproval: env.SPECIAL_PLAN_VERTICAL_GOVERNMENT_APPROVAL === 'true' },
    resultsRecognisedDays: env.RESULTS_RECOGNISED_DAYS,
    reports: {
      maxFlagsPerReport: env.REPORT_MAX_FLAGS,
      photosPerDay: env.REPORT_PHOTOS_PER_DAY,
      photoBytesPerDay: env.REPORT_PHOTO_BYTES_PER_DAY,
      photoMaxBytes: env.REPORT_PHOTO_MAX_BYTES,
    },
    evidence: { maxBytes: env.EVIDENCE_MAX_BYTES, scanFarMetres: env.SCAN_FAR_METRES },
    relabelling: {
      caseWindowDays: env.CASE_RELABEL_WINDOW_DAYS,
      caseRiseTimes: env.CASE_RELABEL_RISE_TIMES,
      caseMinCases: env.CASE_RELABEL_MIN_CASES,
      leadSharedMinEnterprises: env.LEAD_SHARED_MIN_ENTERPRISES,
      leadSharedWindowDays: env.LEAD_SHARED_WINDOW_DAYS,
      declarationPeerTimes: env.DECLARATION_PEER_TIMES,
      declarationPeerMin: env.DECLARATION_PEER_MIN,
      declarationPeerWindowDays: env.DECLARATION_PEER_WINDOW_DAYS,
    },
    exchange: {
      // Events one webhook pass sends to one subscriber at most, each its own request, in order.
      webhookBatch: 100,
      eventSource: env.EVENT_SOURCE,
      webhookIntervalMs: env.WEBHOOK_INTERVAL_MS,
      webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
      backoffBaseMs: env.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: env.WEBHOOK_BACKOFF_MAX_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    },
  };
}

/** Every setting at its default, as if the environment set none: for tools and tests outside a running app. */
export function defaultSettings(): Config {
  return loadConfig({});
}

/** TRUST_PROXY: unset/false → trust none; true → every peer; otherwise comma-separated addresses or CIDRs. */
function parseTrustProxy(value: string | undefined): boolean | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  const list = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (list.some((v) => !/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$/.test(v) && !['loopback', 'linklocal', 'uniquelocal'].includes(v))) {
    throw new ConfigError('TRUST_PROXY', 'expected true, false, or proxy addresses/CIDRs separated by commas');
  }
  return list;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis, RedisOptions } from 'ioredis';
import { DomainError } from '../errors/domain-error.js';
import { problemBody } from './problem.js';

/**
 * Request budgets (issue 15 item 3). Every request is charged to one bucket per minute: the caller's
 * (role and token subject) once a token is verified, else the client's address (`req.ip`, which follows
 * TRUST_PROXY behind a reverse proxy; IPv6 addresses by their /64, which one subscriber usually holds).
 * Expensive routes charge RATE_LIMIT_EXPENSIVE_COST from the same bucket instead of 1, so a handful of
 * PDFs cannot starve the public check. Tokens that fail verification are counted per address in a bucket
 * of their own: an address past PUBLIC_RATE_LIMIT failures gets 429 for its next failed tokens, but a token
 * that verifies always passes (one NAT may carry every officer of an agency and one script sending junk).
 * /health, /ready and /.well-known/* are not charged at all: probes and key fetches must not exhaust the
 * budget of the address a crowd scans codes from, nor be refused by it.
 */

/** Paths never charged: liveness and readiness probes, published keys and checkpoints. */
export function exemptFromBudget(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return path === '/health' || path === '/ready' || path.startsWith('/.well-known/') || path.startsWith('/docs');
}

/** Routes whose one request costs what many cheap ones do (PDF rendering, hashing the whole audit chain, CSV of a period). */
export const EXPENSIVE_ROUTES: readonly string[] = [
  'GET /api/v1/inspections/:id/notice.pdf',
  'GET /api/v1/joint-tasks/:id/notice.pdf',
  'GET /api/v1/joint-tasks/:id/checklist.pdf',
  'GET /api/v1/audit/verify',
  'GET /api/v1/flags/export.csv',
  'GET /api/v1/inspections/export.csv',
];

const WINDOW_MS = 60_000;

export interface Hit {
  /** What the bucket holds after this charge. */
  count: number;
  /** Milliseconds until the bucket empties. */
  resetMs: number;
}

/** Where buckets live: this process (one instance) or Redis (every instance shares the budget). */
export interface RateStore {
  charge(key: string, cost: number, windowMs: number): Promise<Hit>;
  peek(key: string): Promise<Hit>;
  /** Answers when the store does; the breaker's probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRateStore implements RateStore {
  private readonly buckets = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly maxKeys = 100_000) {}

  private live(key: string, now: number) {
    const b = this.buckets.get(key);
    if (b && b.resetAt > now) return b;
    if (b) this.buckets.delete(key);
    return undefined;
  }

  async charge(key: string, cost: number, windowMs: number): Promise<Hit> {
    const now = Date.now();
    let b = this.live(key, now);
    if (!b) {
      // Bounded memory: past maxKeys the oldest bucket goes (Map keeps insertion order).
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      b = { count: 0, resetAt: now + windowMs };
      this.buckets.set(key, b);
    }
    b.count += cost;
    return { count: b.count, resetMs: b.resetAt - now };
  }

  async peek(key: string): Promise<Hit> {
    const now = Date.now();
    const b = this.live(key, now);
    return b ? { count: b.count, resetMs: b.resetAt - now } : { count: 0, resetMs: 0 };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

// INCRBY and the window's expiry in one step, so two instances never both start a window.
const CHARGE = `
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  t = tonumber(ARGV[2])
end
return {c, t}
`;

export class RedisRateStore implements RateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'wh327:rate:',
  ) {}

  /**
   * ioredis is loaded only here, so an instance without RATE_LIMIT_REDIS_URL never loads it. No offline
   * queue: while Redis is away a charge fails at once rather than waiting. `commandTimeout` bounds a
   * command on a connection that is open but silent (a stalled server, a partition): without it a reply
   * that never comes holds the request forever, as TCP sees nothing wrong.
   */
  static async connect(url: string, opts: { commandTimeoutMs: number; prefix?: string }): Promise<RedisRateStore> {
    const { Redis } = await import('ioredis');
    const options: RedisOptions = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
      commandTimeout: opts.commandTimeoutMs,
      connectTimeout: Math.max(1000, opts.commandTimeoutMs),
    };
    const redis = new Redis(url, options);
    // Connection errors are the breaker's business; without a listener ioredis prints each one.
    redis.on('error', () => {});
    return new RedisRateStore(redis, opts.prefix);
  }

  async charge(key: string, cost: number, windowMs: number): Promise<Hit> {
    const [count, ttl] = (await this.redis.eval(CHARGE, 1, this.prefix + key, cost, windowMs)) as [number, number];
    return { count, resetMs: ttl };
  }

  async peek(key: string): Promise<Hit> {
    const [count, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
    return count === null ? { count: 0, resetMs: 0 } : { count: Number(count), resetMs: Math.max(ttl, 0) };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Thrown instead of asking a store the breaker has set aside; the request goes through uncounted. */
export class StoreBypassed extends Error {
  constructor() {
    super('rate-limit store bypassed');
    this.name = 'StoreBypassed';
  }
}

export type StoreState = 'counting' | 'bypassed';

interface BreakerLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * A circuit breaker in front of the store. The first command that fails or times out costs its request
 * one bounded wait (RATE_LIMIT_REDIS_TIMEOUT_MS) and opens the breaker: from then on requests go through
 * uncounted without asking the store, as the README promises. After RATE_LIMIT_REDIS_RETRY_MS a request
 * starts one probe (PING) in the background — half-open — and still goes through at once; the probe's
 * answer closes the breaker and counting resumes. Opening and closing are logged once each, not per request.
 */
export class RateStoreBreaker implements RateStore {
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly inner: RateStore,
    private readonly opts: { retryMs: number; log?: BreakerLog },
    private readonly now: () => number = Date.now,
  ) {}

  get state(): StoreState {
    return this.openUntil ? 'bypassed' : 'counting';
  }

  private trip(err: unknown): void {
    if (!this.openUntil) this.opts.log?.warn({ err: { message: (err as Error).message } }, 'rate-limit store unavailable; requests go through uncounted until it answers');
    this.openUntil = this.now() + this.opts.retryMs;
  }

  private probe(): void {
    this.probing = true;
    this.inner
      .ping()
      .then(
        () => {
          this.openUntil = 0;
          this.opts.log?.info({}, 'rate-limit store answers again; requests are counted');
        },
        () => {
          this.openUntil = this.now() + this.opts.retryMs;
        },
      )
      .finally(() => {
        this.probing = false;
      });
  }

  private async guard<T>(f: () => Promise<T>): Promise<T> {
    if (this.openUntil) {
      if (this.now() >= this.openUntil && !this.probing) this.probe();
      throw new StoreBypassed();
    }
    try {
      return await f();
    } catch (err) {
      this.trip(err);
      throw new StoreBypassed();
    }
  }

  charge(key: string, cost: number, windowMs: number): Promise<Hit> {
    return this.guard(() => this.inner.charge(key, cost, windowMs));
  }

  peek(key: string): Promise<Hit> {
    return this.guard(() => this.inner.peek(key));
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** An IPv4 address as is; an IPv6 address by its first four groups (/64). */
export function addressBucket(ip: string): string {
  if (!ip.includes(':') || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return ip.replace(/^::ffff:/i, '');
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface RateLimitOptions {
  /** Requests a minute per address, without a token. */
  publicLimit: number;
  /** Requests a minute per caller, with a token. */
  authenticatedLimit: number;
  expensiveCost: number;
  store: RateStore;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by the rate-limit plugin from EXPENSIVE_ROUTES. */
    rateCost?: number;
  }
}

function refuse(reply: FastifyReply, limit: number, hit: Hit): never {
  const seconds = Math.max(1, Math.ceil(hit.resetMs / 1000));
  reply.header('retry-after', String(seconds));
  reply.header('x-ratelimit-limit', String(limit));
  reply.header('x-ratelimit-remaining', '0');
  reply.header('x-ratelimit-reset', String(seconds));
  throw new DomainError('RATE_LIMITED', `请求过于频繁，请 ${seconds} 秒后再试`);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The address's failed-token bucket when it is over its budget: a token that fails now is answered 429. */
    badTokensOver?: Hit;
  }
}

const TOKEN_FAILURES = new Set(['UNAUTHENTICATED', 'TOKEN_EXPIRED']);

/**
 * Registered twice around the auth plugin: `before` charges token-less requests to their address and notes
 * an address over its failed-token budget; `after` charges the verified caller.
 */
export function rateLimitHooks(opts: RateLimitOptions) {
  const skip = (req: FastifyRequest) => exemptFromBudget(req.url);
  const costOf = (req: FastifyRequest) => req.routeOptions.config?.rateCost ?? 1;
  // A store that cannot answer must not take the API down: the request goes through. The breaker logs
  // once when it opens; a store without one (a test's) is logged per request.
  const safely = async <T>(req: FastifyRequest, f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (err) {
      if (!(err instanceof StoreBypassed)) req.log.warn({ err: { message: (err as Error).message } }, 'rate-limit store unavailable; request not counted');
      return undefined;
    }
  };

  const before = fp(
    async (app: FastifyInstance) => {
      app.addHook('onRoute', (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        if (methods.some((m) => EXPENSIVE_ROUTES.includes(`${m} ${route.url}`))) {
          route.config = { ...(route.config ?? {}), rateCost: opts.expensiveCost } as typeof route.config;
        }
      });
      app.addHook('onRequest', async (req, reply) => {
        if (skip(req)) return;
        const key = `ip:${addressBucket(req.ip)}`;
        if (!req.headers.authorization) {
          const hit = await safely(req, () => opts.store.charge(key, costOf(req), WINDOW_MS));
          if (hit && hit.count > opts.publicLimit) refuse(reply, opts.publicLimit, hit);
          if (hit) reply.header('x-ratelimit-remaining', String(Math.max(0, opts.publicLimit - hit.count)));
          return;
        }
        // Callers with a token are held back neither by their address's token-less traffic (one NAT may
        // carry a crowd scanning codes) nor by its failed tokens: the token is verified, and only if it
        // fails does the address's failure budget turn the 401 into a 429 (onSend below).
        const seen = await safely(req, () => opts.store.peek(`badtoken:${addressBucket(req.ip)}`));
        if (seen && seen.count >= opts.publicLimit) req.badTokensOver = seen;
      });
      // A token that fails verification is charged to the address that sent it.
      app.addHook('onError', async (req, _reply, err) => {
        const code = (err as { code?: string }).code;
        if (req.headers.authorization && code && TOKEN_FAILURES.has(code)) {
          await safely(req, () => opts.store.charge(`badtoken:${addressBucket(req.ip)}`, 1, WINDOW_MS));
        }
      });
      app.addHook('onSend', async (req, reply, payload) => {
        const over = req.badTokensOver;
        if (!over || reply.statusCode !== 401) return payload;
        const seconds = Math.max(1, Math.ceil(over.resetMs / 1000));
        reply.code(429);
        reply.header('retry-after', String(seconds));
        reply.header('x-ratelimit-limit', String(opts.publicLimit));
        reply.header('x-ratelimit-remaining', '0');
        reply.header('x-ratelimit-reset', String(seconds));
        reply.header('content-type', 'application/problem+json; charset=utf-8');
        return JSON.stringify(problemBody(req, 'RATE_LIMITED', `该地址发送的无效令牌过多，请 ${seconds} 秒后再试`));
      });
    },
    { name: 'rate-limit-before-auth' },
  );

  const after = fp(
    async (app: FastifyInstance) => {
      app.addHook('onRequest', async (req, reply) => {
        if (skip(req) || !req.principal) return;
        const limit = opts.authenticatedLimit;
        const hit = await safely(req, () => opts.store.charge(`sub:${req.principal!.role}:${req.principal!.sub}`, costOf(req), WINDOW_MS));
        if (hit && hit.count > limit) refuse(reply, limit, hit);
        if (hit) reply.header('x-ratelimit-remaining', String(Math.max(0, limit - hit.count)));
      });
    },
    { name: 'rate-limit-after-auth', dependencies: ['auth'] },
  );
  return { before, after };
}

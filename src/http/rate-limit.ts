import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { DomainError } from '../errors/domain-error.js';

/**
 * Request budgets (issue 15 item 3). Every request is charged to one bucket per minute: the caller's
 * (role and token subject) once a token is verified, else the client's address (`req.ip`, which follows
 * TRUST_PROXY behind a reverse proxy; IPv6 addresses by their /64, which one subscriber usually holds).
 * Expensive routes charge RATE_LIMIT_EXPENSIVE_COST from the same bucket instead of 1, so a handful of
 * PDFs cannot starve the public check. Tokens that fail verification are counted per address in a bucket
 * of their own, and an address past PUBLIC_RATE_LIMIT failures is refused before its tokens are verified.
 */

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

  static connect(url: string): RedisRateStore {
    // No offline queue: while Redis is away a charge fails at once (and the request goes through) rather
    // than waiting; commands retry once.
    return new RedisRateStore(new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }));
  }

  async charge(key: string, cost: number, windowMs: number): Promise<Hit> {
    const [count, ttl] = (await this.redis.eval(CHARGE, 1, this.prefix + key, cost, windowMs)) as [number, number];
    return { count, resetMs: ttl };
  }

  async peek(key: string): Promise<Hit> {
    const [count, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
    return count === null ? { count: 0, resetMs: 0 } : { count: Number(count), resetMs: Math.max(ttl, 0) };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
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

/**
 * Registered twice around the auth plugin: `before` refuses an address already over its budget and charges
 * token-less requests; `after` charges the verified caller.
 */
export function rateLimitHooks(opts: RateLimitOptions) {
  const skip = (req: FastifyRequest) => req.url.startsWith('/docs');
  const costOf = (req: FastifyRequest) => req.routeOptions.config?.rateCost ?? 1;
  // A store that cannot answer must not take the API down: the request goes through, and the log says so.
  const safely = async <T>(req: FastifyRequest, f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (err) {
      req.log.warn({ err: { message: (err as Error).message } }, 'rate-limit store unavailable; request not counted');
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
        // Callers with a token are not held back by their address's token-less traffic (one NAT may carry a
        // crowd scanning codes), only by their address's failed tokens.
        const seen = await safely(req, () => opts.store.peek(`badtoken:${addressBucket(req.ip)}`));
        if (seen && seen.count >= opts.publicLimit) refuse(reply, opts.publicLimit, seen);
      });
      // A token that fails verification is charged to the address that sent it.
      app.addHook('onError', async (req, _reply, err) => {
        const code = (err as { code?: string }).code;
        if (req.headers.authorization && (code === 'UNAUTHENTICATED' || code === 'TOKEN_EXPIRED')) {
          await safely(req, () => opts.store.charge(`badtoken:${addressBucket(req.ip)}`, 1, WINDOW_MS));
        }
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

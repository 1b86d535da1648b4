import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { DEV_ISSUER, DEV_KEY_ID, type DevKey } from './dev-key.js';
import { JwksKeys } from './jwks.js';
import { DEV_OIDC_AUDIENCE, DEV_OIDC_KID } from '../oidc/constants.js';
import { principalFromClaims, ROLE_NAMES_ZH, type Principal, type Role } from './principal.js';

/** Every route declares who may call it: 'public', or the roles allowed. */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** A public route that reads the Authorization header itself (GET /metrics and METRICS_TOKEN), not as a user's token. */
    ownBearer?: boolean;
    /** The route runs its command through runIdempotent: the OpenAPI document declares Idempotency-Key on it. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The verified caller; undefined on a public route called without a token. */
    principal?: Principal;
  }
}

export interface AuthOptions {
  auth: Config['auth'];
  devKey?: DevKey;
  /**
   * Resolves a platform key (`p327.<client id>.<secret>`, src/exchange/clients.repository.ts) to its
   * principal: machine clients of upper-level platforms hold a key of their own, not a person's token.
   */
  platformKey?: (token: string) => Promise<Principal | null>;
  /**
   * The local development identity provider's issuer (src/oidc/dev-provider.ts), when it is mounted: its
   * access tokens, signed with the development key under DEV_OIDC_KID, are accepted from that issuer only.
   */
  devOidcIssuer?: () => string | undefined;
}

const PLATFORM_KEY_PREFIX = 'p327.';

interface JwtHeader {
  kid?: string;
  alg?: string;
}

function keyResolver(opts: AuthOptions) {
  const jwks = opts.auth.jwksUrl
    ? new JwksKeys({ url: opts.auth.jwksUrl, cacheMs: opts.auth.jwksCacheSeconds * 1000, minRefetchMs: opts.auth.jwksMinRefetchSeconds * 1000 })
    : undefined;
  return async (_req: FastifyRequest, token: unknown): Promise<string> => {
    const header = ((token as { header?: JwtHeader }).header ?? token) as JwtHeader;
    if (header.kid === DEV_KEY_ID) {
      if (opts.auth.devTokens && opts.devKey) return opts.devKey.publicPem;
      throw new DomainError('UNAUTHENTICATED', '本服务不接受开发环境令牌');
    }
    if (header.kid === DEV_OIDC_KID) {
      if (opts.devOidcIssuer && opts.devKey) return opts.devKey.publicPem;
      throw new DomainError('UNAUTHENTICATED', '本服务不接受开发环境身份认证服务签发的令牌');
    }
    if (opts.auth.publicKeyPem) return opts.auth.publicKeyPem;
    if (jwks) return jwks.keyFor(header.kid);
    throw new DomainError('UNAUTHENTICATED', '无法验证令牌：未配置身份提供方公钥');
  };
}

/**
 * Every token states when it expires, and none lives longer than JWT_MAX_AGE_SECONDS: a token the shared
 * identity provider issued without `exp`, or for a month, is not accepted here (issue 15). `exp` and `nbf`
 * themselves are checked by the verifier with the same clock tolerance.
 */
function checkLifetime(claims: Record<string, unknown>, auth: Config['auth']): void {
  const now = Math.floor(Date.now() / 1000);
  const slack = auth.maxAgeSeconds + auth.clockSkewSeconds;
  if (typeof claims.exp !== 'number') throw new DomainError('UNAUTHENTICATED', '令牌未载明有效期，不予接受');
  if (claims.exp - now > slack) throw new DomainError('UNAUTHENTICATED', `令牌有效期超过本服务允许的最长时限（${auth.maxAgeSeconds} 秒）`);
  if (typeof claims.iat === 'number' && now - claims.iat > slack) {
    throw new DomainError('UNAUTHENTICATED', `令牌签发已超过本服务允许的最长时限（${auth.maxAgeSeconds} 秒），请重新登录`);
  }
  // A token issued in the future (beyond the clock tolerance) comes from a wrong clock or was minted ahead
  // to outlive JWT_MAX_AGE_SECONDS: the skew is allowed in both directions, no further.
  if (typeof claims.iat === 'number' && claims.iat - now > auth.clockSkewSeconds) {
    throw new DomainError('UNAUTHENTICATED', `令牌签发时间晚于当前时间超过允许的时钟误差（${auth.clockSkewSeconds} 秒），不予接受`);
  }
  if (claims.iat !== undefined && typeof claims.iat !== 'number') throw new DomainError('UNAUTHENTICATED', '令牌签发时间格式不正确');
}

async function authenticate(req: FastifyRequest, opts: AuthOptions): Promise<Principal> {
  const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  if (bearer.startsWith(PLATFORM_KEY_PREFIX)) {
    const platform = opts.platformKey ? await opts.platformKey(bearer) : null;
    if (!platform) throw new DomainError('UNAUTHENTICATED', '对接平台密钥无效或该平台已停用');
    return platform;
  }
  let claims: Record<string, unknown>;
  try {
    claims = await req.jwtVerify<Record<string, unknown>>();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw new DomainError('TOKEN_EXPIRED', '令牌已过期，请重新登录');
    if (code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER') throw new DomainError('UNAUTHENTICATED', '缺少 Authorization: Bearer 令牌');
    throw new DomainError('UNAUTHENTICATED', '令牌无效或签名无法验证');
  }
  const decoded = req.server.jwt.decode<{ header: JwtHeader }>(
    (req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''),
    { complete: true },
  );
  const isDev = decoded?.header.kid === DEV_KEY_ID;
  const isDevOidc = decoded?.header.kid === DEV_OIDC_KID;
  // The development provider's tokens: from its issuer (known once it served a request), for this API.
  const expectedIss = isDev ? DEV_ISSUER : isDevOidc ? (opts.devOidcIssuer?.() ?? '') : opts.auth.issuer;
  if ((expectedIss || isDevOidc) && claims.iss !== expectedIss) throw new DomainError('UNAUTHENTICATED', '令牌签发方不受信任');
  const audience = isDevOidc ? DEV_OIDC_AUDIENCE : isDev ? undefined : opts.auth.audience;
  if (audience) {
    const aud = claims.aud;
    const ok = Array.isArray(aud) ? aud.includes(audience) : aud === audience;
    if (!ok) throw new DomainError('UNAUTHENTICATED', '令牌受众不匹配');
  }
  checkLifetime(claims, opts.auth);
  const principal = principalFromClaims(claims);
  if (typeof principal === 'string') throw new DomainError('UNAUTHENTICATED', `令牌声明不完整：${principal}`);
  // The registry, not the token's optional claims, decides the caller's unit and reach.
  return req.server.services.principals.resolve(principal);
}

export const authPlugin = fp<AuthOptions>(
  async (app: FastifyInstance, opts) => {
    await app.register(fastifyJwt, {
      secret: { public: keyResolver(opts) },
      decode: { complete: true },
      verify: { algorithms: ['EdDSA', 'RS256', 'ES256'], clockTolerance: opts.auth.clockSkewSeconds * 1000 },
    });
    app.decorateRequest('principal', undefined);

    // A route that forgets to say who may call it must not exist (the access matrix relies on it).
    app.addHook('onRoute', (route) => {
      if (route.config?.access !== undefined) return;
      if (route.url.startsWith('/docs')) {
        route.config = { ...(route.config ?? {}), access: 'public' };
        return;
      }
      throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    });

    app.addHook('onRequest', async (req) => {
      const access = req.routeOptions.config.access;
      if (access === undefined) return; // 404 handler
      const hasToken = Boolean(req.headers.authorization);
      if (access === 'public') {
        if (hasToken && !req.routeOptions.config.ownBearer) req.principal = await authenticate(req, opts);
        return;
      }
      req.principal = await authenticate(req, opts);
      if (!access.includes(req.principal.role)) {
        throw new DomainError('FORBIDDEN_ROLE', `${ROLE_NAMES_ZH[req.principal.role]}不能执行此操作（可以办理的是：${access.map((r) => ROLE_NAMES_ZH[r]).join('、')}）`, {
          allowedRoles: access,
        });
      }
    });
  },
  { name: 'auth' },
);

/** The caller of a route that declared roles (never undefined there). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', '需要登录');
  return req.principal;
}

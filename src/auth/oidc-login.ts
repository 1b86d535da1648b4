import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Config } from '../config/config.js';
import { DEV_OIDC_CLIENT_ID } from '../oidc/constants.js';
import { requestOrigin } from '../oidc/dev-provider.js';

/**
 * Sign-in of the three apps through an OpenID Connect provider (authorization code with PKCE, as the relying
 * party `openid-client`): GET /auth/login?app=officer sends the browser to the provider; GET /auth/callback
 * exchanges the code (with the PKCE verifier kept in an HttpOnly cookie) for the access token, and hands it
 * to the app in a one-minute cookie readable only under the app's path, which the app moves into its
 * storage at once (web/shared/shell.js). The token is the bearer token every API call carries; the API
 * verifies it as it verifies any other (src/auth/plugin.ts).
 *
 * In production the provider is the government's (OIDC_ISSUER, OIDC_CLIENT_ID, …); in development, unless
 * OIDC_ISSUER is set, the local provider at /oidc (src/oidc/dev-provider.ts).
 */
export const APPS = ['officer', 'console', 'portal'] as const;
type App = (typeof APPS)[number];
const TX_COOKIE = 'wh327_oidc_tx';
export const signInCookie = (app: string) => `wh327_signin_${app}`;

interface LoginTx {
  verifier: string;
  state: string;
  nonce: string;
  app: App;
  redirectUri: string;
}

export interface OidcLoginOptions {
  oidc: Config['oidc'];
  publicBaseUrl: string;
  /** The development provider's issuer for a request's origin (when it is mounted). */
  devIssuerFor?: (origin: string) => string;
}

export async function oidcLoginRoutes(app: FastifyInstance, opts: OidcLoginOptions): Promise<void> {
  // Signs the transaction cookie, so a forged one is refused before the code is exchanged.
  await app.register(fastifyCookie, { secret: opts.oidc.cookieSecret ?? randomBytes(32).toString('base64url') });
  const configs = new Map<string, Promise<oidc.Configuration>>();

  /** Where the provider is for this request, and how the app calls back. */
  const target = (req: FastifyRequest) => {
    const dev = !opts.oidc.issuer && opts.devIssuerFor;
    const origin = dev ? requestOrigin(req) : opts.publicBaseUrl;
    const issuer = opts.oidc.issuer ?? (opts.devIssuerFor ? opts.devIssuerFor(origin) : undefined);
    return { dev: Boolean(dev), issuer, redirectUri: `${origin}/auth/callback` };
  };
  const configFor = (issuer: string, dev: boolean): Promise<oidc.Configuration> => {
    let cfg = configs.get(issuer);
    if (!cfg) {
      const clientId = dev ? DEV_OIDC_CLIENT_ID : opts.oidc.clientId!;
      const metadata: Partial<oidc.ClientMetadata> = dev ? { id_token_signed_response_alg: 'EdDSA' } : opts.oidc.clientSecret ? { client_secret: opts.oidc.clientSecret } : {};
      const auth = dev || !opts.oidc.clientSecret ? oidc.None() : undefined;
      // The development provider is this server over plain HTTP; the government's is HTTPS.
      cfg = oidc.discovery(new URL(issuer), clientId, metadata, auth, dev || issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined);
      cfg.catch(() => configs.delete(issuer));
      configs.set(issuer, cfg);
    }
    return cfg;
  };
  const failed = (reply: FastifyReply, appName: string, why: string) => reply.redirect(`/${appName}/#/?signin_error=${encodeURIComponent(why)}`);
  const cookieBase = { httpOnly: true, sameSite: 'lax' as const, path: '/auth', signed: true };

  app.get(
    '/auth/login',
    {
      config: { access: 'public' },
      // A browser page (a redirect), not an API operation: left out of the OpenAPI document.
      schema: { hide: true, querystring: { type: 'object', properties: { app: { type: 'string', enum: [...APPS] } }, required: ['app'] } },
    },
    async (req, reply) => {
      const { app: appName } = req.query as { app: App };
      const { dev, issuer, redirectUri } = target(req);
      if (!issuer) return failed(reply, appName, '未配置统一身份认证服务，请联系系统管理员');
      let config: oidc.Configuration;
      try {
        config = await configFor(issuer, dev);
      } catch {
        return failed(reply, appName, '统一身份认证服务暂时无法访问，请稍后再试');
      }
      const tx: LoginTx = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce(), app: appName, redirectUri };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: opts.oidc.scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(tx.verifier),
        code_challenge_method: 'S256',
        state: tx.state,
        nonce: tx.nonce,
        // The demo provider asks whom to sign in as every time, so 退出 then 登录 can pick another person.
        ...(dev ? { prompt: 'login' } : {}),
      });
      reply.setCookie(TX_COOKIE, Buffer.from(JSON.stringify(tx)).toString('base64url'), { ...cookieBase, maxAge: 600 });
      return reply.redirect(url.href);
    },
  );

  app.get(
    '/auth/callback',
    { config: { access: 'public', unknownQuery: 'ignore' }, schema: { hide: true } },
    async (req, reply) => {
      const raw = req.cookies[TX_COOKIE];
      const unsigned = raw ? req.unsignCookie(raw) : undefined;
      let tx: LoginTx | undefined;
      try {
        tx = unsigned?.valid && unsigned.value ? (JSON.parse(Buffer.from(unsigned.value, 'base64url').toString()) as LoginTx) : undefined;
      } catch {
        tx = undefined;
      }
      reply.clearCookie(TX_COOKIE, { path: '/auth' });
      if (!tx || !(APPS as readonly string[]).includes(tx.app)) return failed(reply, 'officer', '登录已超时，请重新登录');
      const { dev, issuer } = target(req);
      try {
        const config = await configFor(issuer!, dev);
        const current = new URL(req.url, tx.redirectUri);
        const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: tx.verifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true });
        reply.setCookie(signInCookie(tx.app), tokens.access_token, { path: `/${tx.app}/`, sameSite: 'lax', maxAge: 60, httpOnly: false });
        return reply.redirect(`/${tx.app}/`);
      } catch (err) {
        req.log.warn({ err }, 'oidc sign-in failed');
        return failed(reply, tx.app, '身份认证未完成，请重新登录');
      }
    },
  );
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { default as Provider, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { DevKey } from '../auth/dev-key.js';
import type { Db } from '../db/client.js';
import { DEV_OIDC_AUDIENCE, DEV_OIDC_CLIENT_ID, DEV_OIDC_KID } from './constants.js';
import { loadDemoPeople, type DemoPerson } from './demo-people.js';

/**
 * The local identity provider of development (OpenID Connect, built on `oidc-provider`), mounted at /oidc
 * when OIDC_DEV_PROVIDER is on (the default outside production, refused in production). It stands in for
 * the government's unified identity provider (统一身份认证) so that the three apps sign in the way they will
 * in production — authorization code with PKCE — and a newcomer picks a demo person instead of pasting a
 * token. Its access tokens are JWTs carrying the claims the API requires (role, agency, creditCode, name),
 * signed with the development key under DEV_OIDC_KID, which the API trusts in development only.
 *
 * The issuer is this server's own origin + /oidc, learnt from the first request (the port is chosen at
 * listen time in tests), so the provider is built lazily.
 */
const API_SCOPE = 'wh327';
const MOUNT = '/oidc';

/** The development provider's issuer for an origin. */
export const devIssuerFor = (origin: string) => `${origin}${MOUNT}`;

/** The origin a request was made to, as the browser sees it. */
export function requestOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

function claimsOf(p: DemoPerson): Record<string, string> {
  const out: Record<string, string> = { role: p.role, name: p.name };
  if (p.agency) out.agency = p.agency;
  if (p.creditCode) out.creditCode = p.creditCode;
  if (p.certificateNo) out.certificateNo = p.certificateNo;
  return out;
}

function configuration(origin: string, devKey: DevKey, people: () => Promise<DemoPerson[]>): Configuration {
  const jwk = { ...devKey.privateKey.export({ format: 'jwk' }), kid: DEV_OIDC_KID, use: 'sig', alg: 'EdDSA' };
  const find = async (id: string) => (await people()).find((p) => p.id === id);
  return {
    clients: [
      {
        client_id: DEV_OIDC_CLIENT_ID,
        // A public client: the apps' sign-in is protected by PKCE, not by a secret.
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${origin}/auth/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'EdDSA',
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'role', 'agency', 'creditCode', 'certificateNo'] },
    scopes: ['openid', 'profile'],
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEV_OIDC_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: API_SCOPE,
          audience: DEV_OIDC_AUDIENCE,
          // A working day at most: the API refuses tokens that live longer than JWT_MAX_AGE_SECONDS.
          accessTokenTTL: 8 * 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'EdDSA', kid: DEV_OIDC_KID } },
        }),
      },
    },
    async extraTokenClaims(_ctx, token) {
      const person = 'accountId' in token && token.accountId ? await find(String(token.accountId)) : undefined;
      return person ? claimsOf(person) : undefined;
    },
    async findAccount(_ctx, sub) {
      const person = await find(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claimsOf(person) }) };
    },
    // First-party apps: the person consents by picking themselves, so the grant is made without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(DEV_OIDC_AUDIENCE, API_SCOPE);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `${MOUNT}/interaction/${interaction.uid}` },
    ttl: { AccessToken: 8 * 3600, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600, AuthorizationCode: 60 },
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The picker: every demo person as a button, grouped by role; no script, plain forms (the CSP allows no inline script). */
function pickerPage(uid: string, people: DemoPerson[]): string {
  const groups: [string, DemoPerson[]][] = [
    ['执法人员', people.filter((p) => p.role === 'officer')],
    ['单位负责人', people.filter((p) => p.role === 'agency_head')],
    ['监督人员', people.filter((p) => p.role === 'supervisor')],
    ['企业法定代表人', people.filter((p) => p.role === 'enterprise')],
  ];
  const button = (p: DemoPerson) =>
    `<li><form method="post" action="${MOUNT}/interaction/${esc(uid)}/login/${encodeURIComponent(p.id)}"><button type="submit" data-person="${esc(p.id)}"><strong>${esc(p.name)}</strong><span>${esc(p.roleZh)} · ${esc(p.unitName)}${p.certificateNo ? ` · 执法证号 ${esc(p.certificateNo)}` : ''}</span></button></form></li>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>统一身份认证（开发环境）</title><link rel="stylesheet" href="/assets/base.css"><link rel="stylesheet" href="/assets/signin.css"></head>
<body><main class="picker"><h1>统一身份认证（开发环境）</h1>
<p>这是本地开发用的身份认证服务，代替政务统一身份认证平台。请选择一位演示人员登录。</p>
${groups
  .filter(([, list]) => list.length)
  .map(([title, list]) => `<section><h2>${title}</h2><ul>${list.map(button).join('')}</ul></section>`)
  .join('')}
</main></body></html>`;
}

/**
 * Mounts the development provider at /oidc and its person picker at /oidc/interaction/:uid. Koa reads the
 * request bodies itself, so within this plugin form bodies are left unparsed for it.
 */
export async function devOidcPlugin(app: FastifyInstance, opts: { db: Db; devKey: DevKey; holder: { provider?: Provider; issuer?: string } }): Promise<void> {
  let peopleLoad: Promise<DemoPerson[]> | undefined;
  const people = () => (peopleLoad ??= loadDemoPeople(opts.db).catch((err) => {
    peopleLoad = undefined;
    throw err;
  }));
  // oidc-provider (with Koa and its other dependencies) takes seconds to import and warns on Node 20 as it
  // loads, so it is imported on the first request to /oidc, not with the app: an app that is never signed in
  // to through it (every test file but one) never loads it.
  let building: Promise<Provider> | undefined;
  const providerFor = (req: FastifyRequest): Promise<Provider> =>
    (building ??= (async () => {
      const origin = requestOrigin(req);
      const issuer = devIssuerFor(origin);
      opts.holder.issuer = issuer;
      const { default: OidcProvider } = await import('oidc-provider');
      const provider = new OidcProvider(issuer, configuration(origin, opts.devKey, people));
      opts.holder.provider = provider;
      return provider;
    })().catch((err: unknown) => {
      building = undefined;
      throw err;
    }));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

  const hidden = { hide: true };
  app.get(`${MOUNT}/interaction/:uid`, { config: { access: 'public' }, schema: hidden }, async (req, reply) => {
    const provider = await providerFor(req);
    reply.hijack();
    try {
      const details = await provider.interactionDetails(req.raw, reply.raw);
      const html = pickerPage(details.uid, await people());
      reply.raw.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      reply.raw.end(html);
    } catch {
      reply.raw.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      reply.raw.end('登录会话已失效，请回到应用重新登录。');
    }
  });
  app.post(`${MOUNT}/interaction/:uid/login/:account`, { config: { access: 'public' }, schema: hidden }, async (req: FastifyRequest, reply: FastifyReply) => {
    const provider = await providerFor(req);
    const { account } = req.params as { account: string };
    reply.hijack();
    try {
      if (!(await people()).some((p) => p.id === account)) throw new Error('unknown person');
      await provider.interactionFinished(req.raw, reply.raw, { login: { accountId: account } }, { mergeWithLastSubmission: false });
    } catch {
      reply.raw.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      reply.raw.end('登录会话已失效，请回到应用重新登录。');
    }
  });
  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const provider = await providerFor(req);
    reply.hijack();
    const raw = req.raw as typeof req.raw & { originalUrl?: string };
    // As a Koa app mounted at /oidc: the provider routes on the path below the mount, and builds its URLs from originalUrl.
    raw.originalUrl = raw.url;
    raw.url = (raw.url ?? '').slice(MOUNT.length) || '/';
    provider.callback()(raw, reply.raw);
  };
  app.all(`${MOUNT}/*`, { config: { access: 'public', unknownQuery: 'ignore' }, schema: hidden }, handle);
}

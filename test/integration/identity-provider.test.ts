import { createSigner } from 'fast-jwt';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signDevToken } from '../../src/auth/dev-key.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { as, newAgency } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const ISSUER = 'https://idp.wuhan.test';
const PROVIDER_KID = 'idp-2026';

/** Production verifies tokens of an external identity provider: a JWKS endpoint or a configured PEM key. */
describeDb('tokens from an external identity provider, in production mode', () => {
  const idp = generateKeyPairSync('ed25519');
  const privatePem = idp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pem = idp.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jwk = { ...idp.publicKey.export({ format: 'jwk' }), kid: PROVIDER_KID, alg: 'EdDSA', use: 'sig' };
  /** A provider token; `lifetimeMs: null` leaves `exp` out. */
  const sign = (claims: object, o: { iss?: string; aud?: string; kid?: string; lifetimeMs?: number | null } = {}) =>
    createSigner({
      key: privatePem,
      algorithm: 'EdDSA',
      kid: o.kid ?? PROVIDER_KID,
      iss: o.iss ?? ISSUER,
      aud: o.aud ?? 'wh327',
      ...(o.lifetimeMs === null ? {} : { expiresIn: o.lifetimeMs ?? 600_000 }),
    })(claims);
  let server: Server;
  let jwksFetches = 0;
  let viaJwks: TestApp;
  let viaPem: TestApp;
  let agency: string;

  /** The configuration production reads from its environment (loadConfig refuses it without issuer and audience). */
  const production = (env: Record<string, string>): Partial<Config> => {
    const c = loadConfig({ NODE_ENV: 'production', CODE_KEYS_DIR: '/unused', AUDIT_MAC_KEY_FILE: '/unused', JWT_ISSUER: ISSUER, JWT_AUDIENCE: 'wh327', PUBLIC_BASE_URL: 'https://jc.wuhan.test', LOG_LEVEL: 'silent', ...env });
    return { ...c, publicRateLimit: 1_000_000, rateLimit: { ...c.rateLimit, authenticated: 1_000_000 } };
  };

  beforeAll(async () => {
    // The provider's JWKS endpoint, on loopback; it counts how often the server asks.
    server = createServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') jwksFetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/.well-known/jwks.json' ? { keys: [jwk] } : {}));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    viaJwks = await createTestApp({ config: production({ JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWKS_MIN_REFETCH_SECONDS: '3600' }) });
    viaPem = await createTestApp({ config: production({ JWT_PUBLIC_KEY: pem }), testDb: viaJwks.testDb });
    agency = (await newAgency(viaJwks.db)).code;
  });
  afterAll(async () => {
    await viaPem.close();
    await viaJwks.close();
    server.close();
  });

  const me = (t: TestApp, token: string) => t.call({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  it('accepts the provider’s tokens through its JWKS and through a configured PEM key', async () => {
    const token = sign({ sub: 'u1', role: 'officer', agency });
    for (const t of [viaJwks, viaPem]) {
      const res = await me(t, token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ sub: 'u1', role: 'officer', agency });
    }
  });

  it('refuses development tokens, another issuer and another audience', async () => {
    const dev = signDevToken(viaPem.devKey, as.admin());
    expect((await me(viaPem, dev)).json().code).toBe('UNAUTHENTICATED');
    expect((await me(viaJwks, sign({ sub: 'u1', role: 'admin' }, { iss: 'https://evil.test' }))).statusCode).toBe(401);
    expect((await me(viaPem, sign({ sub: 'u1', role: 'admin' }, { aud: 'other' }))).statusCode).toBe(401);
  });

  it('refuses a token without exp, one that lives longer than the maximum age, and one issued too long ago', async () => {
    const forever = await me(viaPem, sign({ sub: 'u1', role: 'admin' }, { lifetimeMs: null }));
    expect(forever.statusCode).toBe(401);
    expect(forever.json().detail).toContain('未载明有效期');
    const month = await me(viaPem, sign({ sub: 'u1', role: 'admin' }, { lifetimeMs: 30 * 86_400_000 }));
    expect(month.statusCode).toBe(401);
    expect(month.json().detail).toContain('最长时限');
    const old = await me(viaPem, sign({ sub: 'u1', role: 'admin', iat: Math.floor(Date.now() / 1000) - 13 * 3600 }));
    expect(old.statusCode).toBe(401);
    // Within the configured clock skew a token just past its exp still passes; beyond it, it is expired.
    const skewed = (secondsAgo: number) => sign({ sub: 'u1', role: 'admin', exp: Math.floor(Date.now() / 1000) - secondsAgo }, { lifetimeMs: null });
    expect((await me(viaPem, skewed(5))).statusCode).toBe(200);
    expect((await me(viaPem, skewed(120))).json().code).toBe('TOKEN_EXPIRED');
  });

  it('tells the pages not to show the development token hints', async () => {
    expect((await viaPem.call({ method: 'GET', url: '/web-env.json' })).json()).toMatchObject({ production: true, devTokens: false });
  });

  it('fetches the JWKS at most once per refetch interval, however many tokens name unknown kids', async () => {
    await me(viaJwks, sign({ sub: 'u1', role: 'admin' }));
    const before = jwksFetches;
    const answers = [];
    for (let k = 0; k < 52; k++) answers.push((await me(viaJwks, sign({ sub: 'u1', role: 'admin' }, { kid: `unknown-${k}` }))).statusCode);
    expect(answers.every((s) => s === 401)).toBe(true);
    expect(jwksFetches - before).toBe(0);
    // The known key keeps working from the cache.
    expect((await me(viaJwks, sign({ sub: 'u1', role: 'admin' }))).statusCode).toBe(200);
    expect(jwksFetches - before).toBe(0);
  });
});

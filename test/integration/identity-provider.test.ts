import { createSigner } from 'fast-jwt';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signDevToken } from '../../src/auth/dev-key.js';
import { as } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/** Production verifies tokens of an external identity provider: a JWKS endpoint or a configured PEM key. */
describeDb('tokens from an external identity provider', () => {
  const idp = generateKeyPairSync('ed25519');
  const pem = idp.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jwk = { ...idp.publicKey.export({ format: 'jwk' }), kid: 'idp-2026', alg: 'EdDSA', use: 'sig' };
  const sign = (claims: object, iss = 'https://idp.wuhan.test') =>
    createSigner({ key: idp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'EdDSA', kid: 'idp-2026', iss, aud: 'wh327', expiresIn: 600_000 })(claims);
  let server: Server;
  let viaJwks: TestApp;
  let viaPem: TestApp;

  beforeAll(async () => {
    // The provider's JWKS endpoint, on loopback.
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/.well-known/jwks.json' ? { keys: [jwk] } : {}));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const auth = { devTokens: false, issuer: 'https://idp.wuhan.test', audience: 'wh327' };
    viaJwks = await createTestApp({ config: { auth: { ...auth, jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` } } });
    viaPem = await createTestApp({ config: { auth: { ...auth, publicKeyPem: pem } } });
  });
  afterAll(async () => {
    await viaJwks.close();
    await viaPem.close();
    server.close();
  });

  it('accepts the provider’s tokens through its JWKS and through a configured PEM key', async () => {
    const token = sign({ sub: 'u1', role: 'officer', agency: 'WH-SCJG' });
    for (const t of [viaJwks, viaPem]) {
      const res = await t.call({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ sub: 'u1', role: 'officer', agency: 'WH-SCJG' });
    }
  });

  it('refuses development tokens, another issuer and another audience', async () => {
    const dev = signDevToken(viaPem.devKey, as.admin());
    expect((await viaPem.call({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${dev}` } })).json().code).toBe('UNAUTHENTICATED');
    const otherIss = sign({ sub: 'u1', role: 'admin' }, 'https://evil.test');
    expect((await viaJwks.call({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${otherIss}` } })).statusCode).toBe(401);
    const otherAud = createSigner({ key: idp.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'EdDSA', kid: 'idp-2026', iss: 'https://idp.wuhan.test', aud: 'other' })({ sub: 'u1', role: 'admin' });
    expect((await viaPem.call({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${otherAud}` } })).statusCode).toBe(401);
  });
});

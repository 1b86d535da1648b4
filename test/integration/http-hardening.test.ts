import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('rate limits on token-less routes and security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ config: { publicRateLimit: 5 } });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json once a client exceeds the public limit', async () => {
    const statuses: number[] = [];
    for (let k = 0; k < 6; k++) statuses.push((await t.call({ method: 'GET', url: '/api/v1/codes/JC-2026-AAAA-AAAA-A' })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await t.call({ method: 'GET', url: '/api/v1/codes/JC-2026-AAAA-AAAA-A' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('does not limit authenticated routes by the public budget', async () => {
    for (let k = 0; k < 8; k++) expect((await t.call({ method: 'GET', url: '/api/v1/me', as: as.admin() })).statusCode).toBe(200);
  });

  it('sends security headers', async () => {
    const res = await t.call({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describeDb('NUL bytes and lone surrogates in input are a 400 naming the field, never a 500', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a NUL byte in a query parameter of a public route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/matters/public?state=%00' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'querystring.state' }] });
  });

  it('refuses a NUL byte and a lone surrogate inside a JSON body, naming the field', async () => {
    const nul = await t.call({ method: 'POST', url: '/api/v1/enterprises', as: as.admin(), payload: { name: 'a\u0000b' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().errors[0].field).toBe('body.name');
    const lone = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enterprises',
      headers: { authorization: `Bearer ${t.token(as.admin())}`, 'content-type': 'application/json' },
      payload: '{"name":"\\ud800x"}',
    });
    expect(lone.statusCode).toBe(400);
    expect(lone.json().errors[0].field).toBe('body.name');
  });
});

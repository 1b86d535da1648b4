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

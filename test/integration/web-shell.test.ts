import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * What the three front ends load besides the API: the officers' app and the shared shell, the favicon,
 * and /web-env.json — whether the server runs in production (development sign-in hints are shown only
 * outside it) and the server's today, which the day's work follows.
 */
describeDb('the web shell: the officers’ app, the favicon and the server’s environment', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the officers’ app and the shared shell to anyone (the data needs a token)', async () => {
    const page = await t.call({ method: 'GET', url: '/officer/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('掌上执法');
    expect((await t.call({ method: 'GET', url: '/shared/shell.js' })).statusCode).toBe(200);
  });

  it('serves a favicon instead of a 404 on every page', async () => {
    const res = await t.call({ method: 'GET', url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/');
  });

  it('tells the apps they run outside production, and the server’s today in Asia/Shanghai', async () => {
    t.clock.set('2026-04-08T23:30:00+08:00');
    const env = (await t.call({ method: 'GET', url: '/web-env.json' })).json();
    expect(env).toMatchObject({ production: false, today: '2026-04-08' });
  });
});

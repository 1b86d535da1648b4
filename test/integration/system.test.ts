import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('health, readiness, API docs and the regulation text', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the process up and the database migrated', async () => {
    expect((await t.call({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.call({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
  });

  it('serves OpenAPI with Chinese and English descriptions, and every operation documents its errors', async () => {
    const res = await t.call({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.info.title).toContain('武汉市');
    expect(doc.info.title).toContain('inspection compliance');
    const ops = Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)
      .filter(([path]) => path.startsWith('/api/v1'))
      .flatMap(([, p]) => Object.values(p));
    expect(ops.length).toBeGreaterThan(15);
    // Errors are documented by their specific statuses as problem+json, never as a 4XX range (issue 15).
    for (const op of ops) {
      expect(Object.keys(op.responses)).toContain('400');
      expect(Object.keys(op.responses)).not.toContain('4XX');
      expect(Object.keys((op.responses['400'] as { content: object }).content)).toEqual(['application/problem+json']);
    }
  });

  it('quotes any article of the regulation, publicly', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/regulation/articles/23' });
    expect(res.json()).toMatchObject({ number: 23, label: '第二十三条' });
    expect(res.json().text).toContain('10 个工作日内');
  });

  it('lists the rule catalogue with articles and their original text', async () => {
    const rules = (await t.call({ method: 'GET', url: '/api/v1/rules' })).json();
    const cap = rules.find((r: { id: string }) => r.id === 'FREQUENCY_CAP');
    expect(cap).toMatchObject({ article: '第十五条、第四十条第（十）项', kind: 'guard+detector', fired: 0 });
    expect(cap.articleText.map((a: { number: number }) => a.number)).toEqual([15, 40]);
  });

  it('echoes a request id on every response', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/me', as: as.admin(), headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

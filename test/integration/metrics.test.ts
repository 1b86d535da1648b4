import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPending } from '../../src/audit/sealer.js';
import { runSweep } from '../../src/sweeper/run.js';
import { SWEEP_JOBS } from '../../src/sweeper/registry.js';
import { registerPlatform } from '../support/exchange-factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb, testDriver } from '../support/test-database.js';

/**
 * The operators' view: GET /metrics is read by an independent parser of the Prometheus text format (not
 * prom-client's own), so what a Prometheus server would ingest is what is asserted.
 *
 * That parser folds every series of a labelled histogram into one (its flattenMetrics keeps no labels), so a
 * histogram series is read by giving it the family's HELP and TYPE lines and that series' lines only.
 */
function histogramSeries(text: string, name: string, labels: Record<string, string>) {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const lines = text.split('\n').filter((l) => l.startsWith(`# HELP ${name} `) || l.startsWith(`# TYPE ${name} `) || (/^\w+\{/.test(l) && l.startsWith(name) && pairs.every((p) => l.includes(p))));
  const [family] = parsePrometheusTextFormat(lines.join('\n') + '\n');
  return family?.metrics[0];
}

describeDb('GET /metrics (Prometheus text format)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
  });
  afterAll(() => t.close());

  let lastText = '';
  async function scrape(): Promise<Map<string, PromFamily>> {
    const res = await t.call({ method: 'GET', url: '/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    lastText = res.body;
    return new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f]));
  }
  const family = (m: Map<string, PromFamily>, name: string) => {
    const f = m.get(name);
    if (!f) throw new Error(`metric family ${name} missing; have ${[...m.keys()].join(', ')}`);
    return f;
  };
  const requestsOf = (route: string, status: string, method = 'GET') => histogramSeries(lastText, 'wh327_http_request_duration_seconds', { method, route, status });

  describe('requests by route pattern', () => {
    it('counts the public check under its route pattern, never the code in the URL, with its latency buckets', async () => {
      const id = await approvedInspection(t, w);
      const issued = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer, headers: { 'idempotency-key': `metrics-${id}` } });
      expect(issued.statusCode, issued.body).toBe(201);
      const code = issued.json().code as string;

      await scrape();
      const seen = Number(requestsOf('/api/v1/codes/:code', '200')?.buckets?.['+Inf'] ?? 0);
      for (let k = 0; k < 3; k++) expect((await t.call({ method: 'GET', url: `/api/v1/codes/${code}` })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url: '/api/v1/no-such-route' })).statusCode).toBe(404);

      const after = await scrape();
      const hist = family(after, 'wh327_http_request_duration_seconds');
      expect(hist.type).toBe('HISTOGRAM');
      const checks = requestsOf('/api/v1/codes/:code', '200')!;
      // The +Inf bucket is the series' count (the parser keeps _count and _sum of unlabelled histograms only).
      expect(Number(checks.buckets!['+Inf']) - seen).toBe(3);
      expect(Number(checks.buckets!['0.002'])).toBeLessThanOrEqual(Number(checks.buckets!['+Inf']));
      // The issuance is counted under its pattern and method, and the 404 outside every route under one label.
      expect(Number(requestsOf('/api/v1/inspections/:id/code', '201', 'POST')?.buckets?.['+Inf'])).toBeGreaterThanOrEqual(1);
      expect(Number(requestsOf('(unmatched)', '404')?.buckets?.['+Inf'])).toBeGreaterThanOrEqual(1);
      expect(lastText).not.toContain(code);
    });
  });

  describe('sweeper, audit sealing and webhooks', () => {
    it('records a sweeper pass and the flags of every rule, the sealing lag, and each subscriber’s lag', async () => {
      const platform = await registerPlatform(t, { webhookUrl: 'http://127.0.0.1:9/unreachable', eventTypes: ['inspection.'] });
      await approvedInspection(t, w);
      t.clock.advance(30_000);

      const m = await scrape();
      // Nothing sealed yet: the oldest unchained entry is the clock's 30 s (at least) old.
      expect(Number(family(m, 'wh327_audit_unsealed_entries').metrics[0]!.value)).toBeGreaterThan(0);
      expect(Number(family(m, 'wh327_audit_sealing_lag_seconds').metrics[0]!.value)).toBeGreaterThanOrEqual(30);
      const lag = family(m, 'wh327_webhook_lag_events').metrics.find((s) => s.labels?.subscriber === platform.id);
      expect(lag, 'the subscriber has a lag series').toBeDefined();

      // The sweep first: the flags it raises are audited, and the sealer chains them too.
      await t.app.services.metrics.sweep(() => runSweep(t.db, t.clock));
      await sealPending(t.db, t.clock);
      const sealed = await scrape();
      expect(Number(family(sealed, 'wh327_audit_unsealed_entries').metrics[0]!.value)).toBe(0);
      expect(Number(family(sealed, 'wh327_audit_sealing_lag_seconds').metrics[0]!.value)).toBe(0);
      // Chained now, not delivered: the subscriber is behind by the new feed positions, and for their age.
      const behind = family(sealed, 'wh327_webhook_lag_events').metrics.find((s) => s.labels?.subscriber === platform.id)!;
      expect(Number(behind.value)).toBeGreaterThan(0);
      expect(Number(family(sealed, 'wh327_webhook_lag_seconds').metrics.find((s) => s.labels?.subscriber === platform.id)!.value)).toBeGreaterThan(0);
      const pass = family(sealed, 'wh327_sweeper_pass_seconds');
      expect(pass.type).toBe('HISTOGRAM');
      expect(Number(pass.metrics[0]!.count)).toBe(1);
      const flags = family(sealed, 'wh327_sweeper_flags_raised_total');
      expect(flags.type).toBe('COUNTER');
      expect(new Set(flags.metrics.map((s) => s.labels?.rule))).toEqual(new Set(SWEEP_JOBS.map((j) => j.rule)));
    });

    it('reports the pool on PostgreSQL (PGlite has none) and the driver', async () => {
      const m = await scrape();
      expect(family(m, 'wh327_db_info').metrics[0]!.labels).toMatchObject({ driver: testDriver, replica: 'no' });
      if (testDriver === 'pg') {
        const states = family(m, 'wh327_db_pool_connections').metrics.map((s) => s.labels?.state);
        expect(states.sort()).toEqual(['idle', 'max', 'total', 'waiting']);
      } else {
        expect(m.has('wh327_db_pool_connections')).toBe(false);
      }
    });
  });

  describe('who may scrape', () => {
    it('answers only this host without METRICS_TOKEN, and only the token’s holder with it', async () => {
      const far = await t.call({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
      expect(far.statusCode).toBe(403);
      expect(far.json()).toMatchObject({ code: 'METRICS_FORBIDDEN' });

      const token = 'metrics-token-0123456789abcdef';
      const guarded = await createTestApp({ testDb: t.testDb, devKey: t.devKey, keyring: t.keyring, config: { metricsToken: token } });
      try {
        expect((await guarded.call({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
        const wrong = await guarded.call({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789abcdeX' } });
        expect(wrong.statusCode).toBe(401);
        const ok = await guarded.call({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: `Bearer ${token}` } });
        expect(ok.statusCode).toBe(200);
        expect(parsePrometheusTextFormat(ok.body).some((f) => f.name === 'wh327_http_request_duration_seconds')).toBe(true);
      } finally {
        await guarded.close();
      }
    });
  });
});

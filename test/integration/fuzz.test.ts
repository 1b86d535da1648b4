import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { as } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Property-based tests over every route the OpenAPI document lists: random and malformed input never
 * yields a 5xx, always problem+json, names the field for bad input, and a refused request writes nothing.
 */
interface Operation {
  method: string;
  path: string;
}

const NASTY = [
  '',
  ' ',
  "'; DROP TABLE inspections; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '2026-02-30',
  '9999-99-99',
  'NaN',
  '-1',
  '1e309',
  '\u0000',
  '🀄'.repeat(50),
  'x'.repeat(5000),
  '91350100M000100Y44',
  '00000000-0000-0000-0000-000000000000',
];

const valueArb = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const bodyArb = fc.oneof(
  fc.dictionary(
    fc.constantFrom('agencyCode', 'enterpriseCode', 'creditCode', 'kind', 'mode', 'matterCodes', 'windowStart', 'windowEnd', 'inspectors', 'name', 'reason', 'items', 'outcome', 'year', 'effectiveFrom', 'code', 'districtCode', 'entityType', 'note', 'lateReason'),
    valueArb,
    { maxKeys: 6 },
  ),
  valueArb,
);

async function rowCounts(t: TestApp): Promise<string> {
  const tables = await t.db.execute<{ tablename: string }>(sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const names = (tables as unknown as { rows: { tablename: string }[] }).rows.map((r) => r.tablename);
  const parts = await Promise.all(
    names.map(async (n) => {
      const r = await t.db.execute(sql.raw(`SELECT count(*)::int AS n FROM "${n}"`));
      return `${n}=${(r as unknown as { rows: { n: number }[] }).rows[0]!.n}`;
    }),
  );
  return parts.join(',');
}

describeDb('bad input never breaks the API (fast-check)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let ops: Operation[];
  let callers: (Principal | undefined)[];

  beforeAll(async () => {
    t = await createTestApp({ config: { publicRateLimit: 1_000_000 } });
    w = await newInspectionWorld(t);
    const doc = (await t.call({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })));
    callers = [undefined, as.admin(), w.officer, w.head, w.supervisor, as.enterprise(w.enterprise.creditCode)];
  });
  afterAll(() => t.close());

  it('answers every route with < 500 and problem+json for random params, queries and bodies', async () => {
    expect(ops.length).toBeGreaterThan(40);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.constantFrom(...NASTY, 'JC-2026-AAAA-AAAA-A', '2026', 'abc'), { minLength: 3, maxLength: 3 }),
        bodyArb,
        fc.dictionary(fc.constantFrom('limit', 'offset', 'from', 'to', 'date', 'year', 'agency', 'state', 'k', 's'), fc.constantFrom(...NASTY, '5', '-3', 'true'), { maxKeys: 3 }),
        async (opIndex, callerIndex, params, body, query) => {
          const op = ops[opIndex % ops.length]!;
          let k = 0;
          const url = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[k++ % 3]!)) + '?' + new URLSearchParams(query);
          const payload = op.method === 'GET' || op.method === 'DELETE' ? undefined : body;
          const res = await t.call({ method: op.method as 'POST', url, as: callers[callerIndex], payload: payload as object });
          if (res.statusCode >= 500) throw new Error(`${op.method} ${url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type'], `${op.method} ${url.slice(0, 200)}`).toContain('application/problem+json');
            const p = res.json();
            expect(typeof p.code).toBe('string');
            if (p.code === 'VALIDATION') expect(p.errors?.[0]?.field ?? p.detail).toBeTruthy();
          }
        },
      ),
      { numRuns: 1000, seed: 327 },
    );
  });

  it('writes nothing when it refuses input as invalid (400)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/inspections', '/api/v1/enterprises', '/api/v1/agencies', '/api/v1/matters', '/api/v1/plans'), bodyArb, async (url, body) => {
        const before = await rowCounts(t);
        const res = await t.call({ method: 'POST', url, as: url === '/api/v1/inspections' || url === '/api/v1/plans' ? w.officer : as.admin(), payload: body as object });
        if (res.statusCode === 400) expect(await rowCounts(t)).toBe(before);
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60, seed: 40 },
    );
  });

  it('refuses impossible dates, reversed windows, unknown enums and bad credit codes, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ windowStart: '2026-02-30T09:00:00+08:00' }, 'body.windowStart'],
      [{ windowStart: '2026-04-08T17:00:00+08:00', windowEnd: '2026-04-08T09:00:00+08:00' }, 'body.windowEnd'],
      [{ kind: 'surprise' }, 'body.kind'],
      [{ enterpriseCode: '91350100M000100Y44' }, 'body.enterpriseCode'],
    ];
    for (const [over, field] of cases) {
      const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, over) });
      expect(res.statusCode, JSON.stringify(over)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(JSON.stringify(res.json().errors ?? res.json().detail)).toContain(field.split('.').pop());
    }
  });

  it('refuses non-finite numbers in query strings (ajv coerces 1e309 to Infinity)', async () => {
    for (const q of ['1e309', 'Infinity', '-1e400']) {
      const res = await t.call({ method: 'GET', url: `/api/v1/inspections?limit=${q}`, as: w.officer });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().errors[0].field).toBe('querystring.limit');
    }
  });

  it('renders SQL and HTML in text fields escaped on the public check page', async () => {
    const evil = '<img src=x onerror=1>\'";--';
    const id = await approvedInspection(t, w, { inspectors: [{ name: evil, certificateNo: '42010620230001' }, { name: '陈丽华', certificateNo: '42010620230002' }] });
    const code = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json().code;
    const page = await t.call({ method: 'GET', url: `/v/${code}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;');
  });
});

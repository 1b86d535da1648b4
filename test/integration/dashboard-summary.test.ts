import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { codeScans, inspections } from '../../src/db/schema/index.js';
import { CARRIED_OUT } from '../../src/supervision/dashboard.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { compliantFindings, issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The dashboard's inspection cards read the counts the writes keep (dashboard_counts). They are compliance
 * figures: after a mixed year of drafts, codes, scans, cancellations, closures and rows moved or taken out of the
 * Order, each must equal the figure counted from the rows themselves.
 */
describeDb('the dashboard’s counts equal the rows (第十七条 亮码率, 第二十六条 综合查一次)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let citySup: Principal;

  // node-postgres answers { rows }, PGlite the same; either way, the rows.
  const list = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => {
    const r = (await t.db.execute(q)) as unknown as T[] | { rows: T[] };
    return Array.isArray(r) ? r : r.rows;
  };
  const carriedOut = sql`i.state IN (${sql.join(CARRIED_OUT.map((s) => sql`${s}`), sql`, `)}) AND i.excluded_relation IS NULL AND i.entity_scope <> 'out_of_scope'`;

  /** Every card's inspection figure, counted from the rows (the queries the dashboard ran before the counts). */
  async function fromRows(district: string | undefined, now: Date) {
    const scope = district ? sql`AND i.agency_code IN (SELECT code FROM agencies WHERE district_code = ${district})` : sql``;
    const base = sql`FROM inspections i WHERE ${carriedOut} AND i.counted_date BETWEEN '2026-01-01' AND '2026-12-31' ${scope}`;
    const byKind = await list<{ kind: string; n: string }>(sql`SELECT i.kind, count(*) AS n ${base} GROUP BY 1 ORDER BY 1`);
    const byAgency = await list<{ agency_code: string; n: string }>(sql`SELECT i.agency_code, count(*) AS n ${base} GROUP BY 1 ORDER BY 2 DESC, 1`);
    const [scan] = await list<{ with_code: string; scanned: string }>(sql`
      SELECT count(*) AS with_code, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM code_scans s WHERE s.code = c.code AND s.accepted)) AS scanned
      FROM inspections i JOIN inspection_codes c ON c.inspection_id = i.id
      WHERE ${carriedOut} AND i.counted_date BETWEEN '2026-01-01' AND '2026-12-31' ${scope}
        AND i.mode = 'onsite' AND i.kind IN ('routine', 'special') AND i.window_start <= ${now.toISOString()}::timestamptz`);
    const [single] = await list<{ n: string }>(sql`SELECT count(*) AS n ${base} AND i.mode = 'onsite'
      AND NOT EXISTS (SELECT 1 FROM joint_task_parts p WHERE p.inspection_id = i.id)
      AND NOT (i.source_system IS NOT NULL AND strpos(i.source_id, '#') > 0)
      AND NOT EXISTS (SELECT 1 FROM inspections part WHERE part.source_system = i.source_system AND starts_with(part.source_id, i.source_id || '#'))`);
    return {
      byKind: byKind.map((r) => ({ kind: r.kind, count: Number(r.n) })),
      byAgency: byAgency.map((r) => ({ agencyCode: r.agency_code, count: Number(r.n) })),
      scanRate: { withCode: Number(scan!.with_code), scanned: Number(scan!.scanned) },
      singleOnsite: Number(single!.n),
    };
  }

  async function cards(p: Principal) {
    const res = await t.call({ method: 'GET', url: '/api/v1/stats/dashboard?year=2026', as: p });
    expect(res.statusCode).toBe(200);
    const d = res.json();
    return {
      byKind: [...d.inspections.byKind].sort((a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind)).map((r: { kind: string; count: number }) => ({ kind: r.kind, count: r.count })),
      byAgency: d.inspections.byAgency.map((r: { agencyCode: string; count: number }) => ({ agencyCode: r.agencyCode, count: r.count })),
      scanRate: { withCode: d.scanRate.withCode, scanned: d.scanRate.scanned },
      singleOnsite: d.jointRate.onsiteVisits - d.jointRate.jointVisits,
    };
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 20 });
    citySup = as.supervisor((await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code);
    const day = (d: string) => ({ windowStart: `2026-04-${d}T09:00:00+08:00`, windowEnd: `2026-04-${d}T17:00:00+08:00` });

    // A draft and an approved scheme without a code: not counted.
    await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { ...day('20'), failedChecksReason: '测试：草稿' }) });
    await approvedInspection(t, w, day('21'));
    // Coded, scanned, findings recorded, closed.
    const closed = await issuedCode(t, w, day('08'));
    // Coded and cancelled: leaves the counts with its code.
    const cancelled = await issuedCode(t, w, day('08'));
    // Coded today (the clock below) and not scanned; coded for a later day (window not yet open).
    const today = await issuedCode(t, w, day('09'));
    const later = await issuedCode(t, w, day('28'));
    // Coded, scanned, then moved to another day and taken out of the Order by direct writes (any code path).
    const moved = await issuedCode(t, w, day('07'));
    const excluded = await issuedCode(t, w, day('07'));
    // A case inspection started without a code.
    const caseId = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: 'TS-2026-009', ...day('09') });

    t.clock.set('2026-04-07T10:00:00+08:00');
    for (const c of [moved, excluded]) {
      expect((await t.call({ method: 'POST', url: `/api/v1/codes/${c.code}/scan`, as: w.officer, payload: {} })).statusCode).toBe(201);
    }
    // A scan outside its window is refused: it does not count the code as scanned.
    expect((await t.call({ method: 'POST', url: `/api/v1/codes/${today.code}/scan`, as: w.officer, payload: {} })).statusCode).toBe(422);
    t.clock.set('2026-04-08T10:00:00+08:00');
    expect((await t.call({ method: 'POST', url: `/api/v1/codes/${closed.code}/scan`, as: w.officer, payload: {} })).statusCode).toBe(201);
    // A second accepted scan of one code counts it once.
    expect((await t.call({ method: 'POST', url: `/api/v1/codes/${closed.code}/scan`, as: w.officer, payload: {} })).statusCode).toBe(201);
    await compliantFindings(t, w, closed.id);
    await t.call({ method: 'POST', url: `/api/v1/inspections/${closed.id}/notify-result`, as: w.officer, payload: { method: 'on_site' } });
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${closed.id}/close`, as: w.officer, payload: {} })).statusCode).toBe(200);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${cancelled.id}/cancel`, as: w.head, payload: { reason: '测试：取消' } })).statusCode).toBe(200);
    t.clock.set('2026-04-09T15:00:00+08:00');
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${caseId}/start`, as: w.officer, payload: {} })).statusCode).toBe(200);
    void later;
    await t.db.execute(sql`UPDATE ${inspections} SET counted_date = '2026-04-06', window_start = '2026-04-06T01:00:00Z' WHERE id = ${moved.id}`);
    await t.db.execute(sql`UPDATE ${inspections} SET entity_scope = 'out_of_scope' WHERE id = ${excluded.id}`);
    // The moved visit's only scan is withdrawn: its code no longer counts as scanned.
    await t.db.execute(sql`DELETE FROM ${codeScans} WHERE code = ${moved.code}`);
  });

  it('keeps one row per agency, day, kind, mode and window start equal to the rows', async () => {
    const kept = await list<Record<string, unknown>>(sql`SELECT agency_code, counted_date::text, kind, mode, window_start, inspections, coded, scanned FROM dashboard_counts
      WHERE inspections <> 0 OR coded <> 0 OR scanned <> 0 ORDER BY 1, 2, 3, 4, 5`);
    const counted = await list<Record<string, unknown>>(sql`SELECT i.agency_code, i.counted_date::text, i.kind, i.mode, i.window_start,
        count(*)::int AS inspections, count(c.code)::int AS coded,
        (count(c.code) FILTER (WHERE EXISTS (SELECT 1 FROM code_scans s WHERE s.code = c.code AND s.accepted)))::int AS scanned
      FROM inspections i LEFT JOIN inspection_codes c ON c.inspection_id = i.id WHERE ${carriedOut} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`);
    expect(kept.map((r) => ({ ...r, inspections: Number(r.inspections), coded: Number(r.coded), scanned: Number(r.scanned) }))).toEqual(counted);
    expect(counted.length).toBeGreaterThan(0);
  });

  describe('each card equals its figure counted from the rows', () => {
    it('for the district’s supervisor', async () => {
      const shown = await cards(w.supervisor);
      expect(shown).toEqual(await fromRows(w.districtCode, t.clock.now()));
      // The sequence above: closed, today's and the later one (routine), and the case; the moved one still counts.
      expect(shown.byKind).toEqual([
        { kind: 'case', count: 1 },
        { kind: 'routine', count: 4 },
      ]);
      // Opened windows with a code: closed (scanned), moved (scan withdrawn), today's; the 28 April one not yet.
      expect(shown.scanRate).toEqual({ withCode: 3, scanned: 1 });
    });

    it('for the city’s supervisor', async () => {
      expect(await cards(citySup)).toEqual(await fromRows(undefined, t.clock.now()));
    });
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveYear } from '../../bench/replay/drive.js';
import { makeFinisher, makeLoader } from '../../bench/replay/load.js';
import { drawSchedule, type Schedule } from '../../bench/replay/schedule.js';
import { buildWorld } from '../../bench/replay/world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The year replay's full-scale mode stands for the undriven days with rows it writes itself (bench/replay/load.ts):
 * its figures are only the year's if those rows are the schedule's own visits and the counts the rules read come
 * out as the engine's rebuild computes them. Nothing else would notice a drift: the benchmark prints numbers.
 */
describe('year replay, full-scale mode: the loaded rows are the schedule’s visits', () => {
  let t: TestApp;
  let schedule: Schedule;
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await t.db.execute(q)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-01T08:00:00+08:00' });
    // 100 enterprises (the replay's floor); no day driven: the plan season through the API, every scheme loaded.
    const world = await buildWorld(t.db, 327, 0.0001, t.clock.now());
    const year = drawSchedule(327, world.enterprises, world.agencyCodes);
    // Eight agencies' share of the year (the earliest drafting first, so some draft before their plan is published):
    // the plan season through the API is most of this file's time, and eight plans exercise it as well as 116.
    const agencies = new Set<string>();
    for (const v of [...year.visits].sort((a, b) => a.draftDay.localeCompare(b.draftDay))) if (agencies.size < 8) agencies.add(v.agencyCode);
    schedule = { workdays: year.workdays, filingDay: new Map([...year.filingDay].filter(([a]) => agencies.has(a))), visits: year.visits.filter((v) => agencies.has(v.agencyCode)) };
    await driveYear(t.app, t.db, t.clock, t.devKey, schedule, () => {}, { driven: new Set(), load: makeLoader(t.db, schedule.workdays), finish: makeFinisher(t.db, schedule.workdays) });
  }, 300_000);
  afterAll(() => t?.close());

  it('one inspection per scheduled visit: same agency, enterprise, matter, drafting and visiting day', async () => {
    const got = await rows<{ k: string }>(
      sql`SELECT agency_code || '|' || enterprise_code || '|' || array_to_string(matter_codes, ',') || '|' || to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || '|' || counted_date::text AS k FROM inspections`,
    );
    const want = schedule.visits.map((v) => `${v.agencyCode}|${v.enterprise.creditCode}|${v.matterCode}|${v.draftDay}|${v.visitDay}`);
    expect(schedule.visits.length).toBeGreaterThan(10);
    expect(got.map((r) => r.k).sort()).toEqual(want.sort());
  });

  it('drafts are exactly the schemes drafted before their agency’s plan was published; every other one is coded and scanned once', async () => {
    const r = await rows<{ wrong_drafts: number; wrong_coded: number; codes: number; scans: number; coded: number }>(
      sql`SELECT count(*) FILTER (WHERE i.state = 'draft' AND p.published_at IS NOT NULL AND (p.published_at AT TIME ZONE 'Asia/Shanghai')::date <= (i.created_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS wrong_drafts,
                 count(*) FILTER (WHERE i.state <> 'draft' AND (p.published_at IS NULL OR (p.published_at AT TIME ZONE 'Asia/Shanghai')::date > (i.created_at AT TIME ZONE 'Asia/Shanghai')::date))::int AS wrong_coded,
                 count(*) FILTER (WHERE i.state <> 'draft')::int AS coded,
                 (SELECT count(*) FROM inspection_codes)::int AS codes, (SELECT count(*) FROM code_scans WHERE accepted)::int AS scans
            FROM inspections i LEFT JOIN plans p ON p.agency_code = i.agency_code AND p.year = 2026`,
    );
    expect(r[0]).toMatchObject({ wrong_drafts: 0, wrong_coded: 0 });
    expect(r[0]!.codes).toBe(r[0]!.coded);
    expect(r[0]!.scans).toBe(r[0]!.coded);
  });

  it('the sampling and dashboard counts kept by the row triggers over the loaded rows equal their rebuild', async () => {
    const snapshot = async () => ({
      sampling: await rows(sql`SELECT agency_code, matter_code, mode, year, enterprise_code, visits FROM sampling_counts WHERE visits > 0 ORDER BY 1, 2, 3, 4, 5`),
      totals: await rows(sql`SELECT agency_code, matter_code, mode, year, enterprises FROM sampling_totals WHERE enterprises > 0 ORDER BY 1, 2, 3, 4`),
      dashboard: await rows(sql`SELECT * FROM dashboard_counts WHERE inspections <> 0 OR coded <> 0 OR scanned <> 0 ORDER BY 1, 2, 3, 4, 5`),
    });
    const kept = await snapshot();
    expect(kept.sampling.length).toBeGreaterThan(0);
    await t.db.execute(sql`SELECT sampling_counts_rebuild()`);
    await t.db.execute(sql`SELECT dashboard_counts_rebuild()`);
    expect(kept).toEqual(await snapshot());
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COUNTED_STATES } from '../../src/frequency/facts.js';
import { as, newAgency, newEnterprise, newMatter } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { fullItem, newFiledPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第十三条 检查比例: a class plan item reaches at most its sampling ratio of the enterprises in the agency's
 * territory. The count of enterprises already visited and the territory's population are kept by triggers
 * (sampling_counts, sampling_totals, sampling_populations) in the transaction of every write; these tests recompute it from the rows after issuances,
 * revocations, cancellations and direct changes, and show the rule firing at the limit from the kept count.
 */
describeDb('第十三条 检查比例：已检查企业数随每次签发、撤销、取消在同一事务中更新', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
  });
  afterAll(() => t.close());

  const rows = async <T>(q: ReturnType<typeof sql>) => (await t.db.execute(q) as unknown as { rows: T[] }).rows;
  const issue = (id: string, who = w.officer) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: who });

  /** The kept counts and the counts recomputed from inspections, as comparable sorted lists. */
  async function keptAndRecomputed() {
    const states = sql.join(COUNTED_STATES.map((s) => sql`${s}`), sql`, `);
    const kept = await rows<{ k: string; n: number }>(sql`
      SELECT concat_ws('|', agency_code, matter_code, mode, year, enterprise_code) AS k, visits AS n FROM sampling_counts WHERE visits > 0
      UNION ALL SELECT concat_ws('|', agency_code, matter_code, mode, year, '*'), enterprises FROM sampling_totals WHERE enterprises > 0
      UNION ALL SELECT concat_ws('|', 'population', district_code), in_scope FROM sampling_populations WHERE in_scope > 0 ORDER BY 1`);
    const recomputed = await rows<{ k: string; n: number }>(sql`
      WITH v AS (
        SELECT i.agency_code, m, i.mode, extract(year FROM i.counted_date)::int AS year, i.enterprise_code
          FROM inspections i CROSS JOIN LATERAL (SELECT DISTINCT unnest(i.matter_codes) AS m) u
         WHERE i.kind = 'routine' AND i.state IN (${states}))
      SELECT concat_ws('|', agency_code, m, mode, year, enterprise_code) AS k, count(*)::int AS n FROM v GROUP BY 1
      UNION ALL SELECT concat_ws('|', agency_code, m, mode, year, '*'), count(DISTINCT enterprise_code)::int FROM v GROUP BY 1
      UNION ALL SELECT concat_ws('|', 'population', district_code), count(*)::int FROM enterprises WHERE scope <> 'out_of_scope' GROUP BY 1 ORDER BY 1`);
    const norm = (r: { k: string; n: number }[]) => r.map((x) => `${x.k}=${Number(x.n)}`);
    return { kept: norm(kept), recomputed: norm(recomputed) };
  }

  it('the kept counts equal the recomputed ones after issuing, revoking, cancelling, changing and deleting', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const e1 = await newEnterprise(t.db, { districtCode: w.districtCode });
    const codes: { id: string; code: string }[] = [];
    for (const enterpriseCode of [w.enterprise.creditCode, e1.creditCode, e1.creditCode, w.enterprise.creditCode]) {
      const id = await approvedInspection(t, w, { enterpriseCode });
      const res = await issue(id);
      expect(res.statusCode, res.body).toBe(201);
      codes.push({ id, code: res.json().code });
    }
    expect((await keptAndRecomputed()).kept).toContain(`${w.agency.code}|${w.matter}|onsite|2026|*=2`);

    const revoked = await t.call({ method: 'POST', url: `/api/v1/codes/${codes[1]!.code}/revoke`, as: w.head, payload: { reason: '检查人员变更，重新申请', category: 'team_changed' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const cancelled = await t.call({ method: 'POST', url: `/api/v1/inspections/${codes[2]!.id}/cancel`, as: w.officer, payload: { reason: '企业已注销' } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    let c = await keptAndRecomputed();
    expect(c.kept).toEqual(c.recomputed);
    // e1's two visits are both gone: the district's class has one enterprise visited again.
    expect(c.kept).toContain(`${w.agency.code}|${w.matter}|onsite|2026|*=1`);

    // Writes no command makes today still keep the counts: a matter added, a date moved into another year, a row deleted.
    await t.db.execute(sql`UPDATE inspections SET matter_codes = ARRAY[${w.matter}, ${w.offsiteMatter}] WHERE id = ${codes[0]!.id}`);
    await t.db.execute(sql`UPDATE inspections SET counted_date = '2025-12-30' WHERE id = ${codes[3]!.id}`);
    c = await keptAndRecomputed();
    expect(c.kept).toEqual(c.recomputed);
    // The population: an enterprise leaving the Order's scope, another moving district.
    await t.db.execute(sql`UPDATE enterprises SET scope = 'out_of_scope' WHERE credit_code = ${e1.creditCode}`);
    await t.db.execute(sql`UPDATE enterprises SET district_code = ${w.districtCode} WHERE credit_code = ${w.outsider.creditCode}`);
    c = await keptAndRecomputed();
    expect(c.kept).toEqual(c.recomputed);
    await t.db.execute(sql`DELETE FROM inspection_codes WHERE inspection_id = ${codes[3]!.id}`);
    await t.db.execute(sql`DELETE FROM inspections WHERE id = ${codes[3]!.id}`);
    c = await keptAndRecomputed();
    expect(c.kept).toEqual(c.recomputed);
  });

  it('ROUTINE_WITHOUT_PLAN refuses the code at the sampling limit, and a revocation frees the place', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const district = w.districtCode;
    const sampler = await newAgency(t.db, { name: '武汉市武昌区抽查局', districtCode: district, domains: ['food', 'market'] });
    const matter = (await newMatter(t.db, sampler.code)).matterCode;
    await newFiledPlan(t.db, sampler.code, 2026, [matter], {}, [fullItem(matter, { samplingRatio: 0.01, frequency: 5 })]);
    const population = Number((await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM enterprises WHERE district_code = ${district} AND scope <> 'out_of_scope'`))[0]!.n);
    const cap = Math.max(1, Math.ceil(0.01 * population));
    const officer = as.officer(sampler.code);
    const firms = [];
    for (let k = 0; k <= cap; k++) firms.push(await newEnterprise(t.db, { districtCode: district }));
    const sw = { ...w, agency: sampler, matter, officer, head: as.head(sampler.code) };
    const issued: string[] = [];
    for (const f of firms.slice(0, cap)) {
      const res = await issue(await approvedInspection(t, sw, { agencyCode: sampler.code, enterpriseCode: f.creditCode, matterCodes: [matter] }, officer), officer);
      expect(res.statusCode, res.body).toBe(201);
      issued.push(res.json().code);
    }
    const last = await approvedInspection(t, sw, { agencyCode: sampler.code, enterpriseCode: firms[cap]!.creditCode, matterCodes: [matter] }, officer);
    const refused = await issue(last, officer);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ rule: 'ROUTINE_WITHOUT_PLAN', article: '第十三条' });
    expect(refused.json().detail).toContain('检查比例');
    expect(refused.json().detail).toContain(`本年度已检查 ${cap} 户`);

    const revoked = await t.call({ method: 'POST', url: `/api/v1/codes/${issued[0]}/revoke`, as: as.head(sampler.code), payload: { reason: '检查人员变更，重新申请', category: 'team_changed' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const again = await issue(last, officer);
    expect(again.statusCode, again.body).toBe(201);
    const c = await keptAndRecomputed();
    expect(c.kept).toEqual(c.recomputed);
  });

  it('the trigger counts the states COUNTED_STATES names, no more and no fewer', async () => {
    const [def] = await rows<{ src: string }>(sql`SELECT pg_get_functiondef('sampling_counts_counted'::regproc) AS src`);
    const listed = [...def!.src.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).filter((s) => s !== 'routine');
    expect(new Set(listed)).toEqual(new Set(COUNTED_STATES));
  });
});

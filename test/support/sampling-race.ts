import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { sampleSize } from '../../src/plans/item-coverage.js';
import { as, newAgency, newEnterprise, newMatter } from './factories.js';
import { approvedInspection, type InspectionWorld } from './inspection-world.js';
import { fullItem, newFiledPlan, newInspection } from './plan-factories.js';
import { offsiteBody } from './referral-factories.js';
import type { TestApp } from './test-app.js';

/**
 * 第十三条 检查比例, one place left: a fresh agency in the world's district with one matter whose filed 2026 plan
 * has a class item sampling the district at a ratio that reaches exactly two enterprises, one of them already
 * inspected this year, and two more enterprises of the district ready to take the last place. Fresh each time,
 * so rounds and tests never share a sampling key.
 */
export interface LastPlace {
  sampler: Agency;
  matter: string;
  officer: Principal;
  world: InspectionWorld;
  cap: number;
  racers: [string, string];
}

export async function lastSamplingPlace(t: TestApp, w: InspectionWorld, mode: 'onsite' | 'offsite' = 'onsite'): Promise<LastPlace> {
  const sampler = await newAgency(t.db, { name: '武汉市武昌区抽查局', districtCode: w.districtCode, domains: ['food', 'market'] });
  const matter = (await newMatter(t.db, sampler.code, mode === 'offsite' ? { name: '企业公示信息抽查', domain: 'market', offsiteCapable: true, foodDrug: false } : {})).matterCode;
  const firms = [];
  for (let k = 0; k < 3; k++) firms.push((await newEnterprise(t.db, { districtCode: w.districtCode })).creditCode);
  const population = await districtPopulation(t, w.districtCode);
  // 1.5 of the population, to the column's four decimals: the item reaches ceil(1.5) = 2 enterprises.
  const ratio = Math.round((1.5 / population) * 10_000) / 10_000;
  const cap = sampleSize(ratio, population);
  expect(cap).toBe(2);
  await newFiledPlan(t.db, sampler.code, 2026, [matter], {}, [fullItem(matter, { method: mode, samplingRatio: ratio, frequency: 5 })]);
  await newInspection(t.db, { agencyCode: sampler.code, enterpriseCode: firms[0]!, matterCodes: [matter], mode, countedDate: '2026-03-02', state: 'closed' });
  const officer = as.officer(sampler.code);
  const world = { ...w, agency: sampler, matter, offsiteMatter: matter, officer, head: as.head(sampler.code) };
  return { sampler, matter, officer, world, cap, racers: [firms[1]!, firms[2]!] };
}

async function districtPopulation(t: TestApp, districtCode: string): Promise<number> {
  const res = (await t.db.execute(sql`SELECT count(*)::int AS n FROM enterprises WHERE district_code = ${districtCode} AND scope <> 'out_of_scope'`)) as unknown as { rows: { n: number }[] };
  return Number(res.rows[0]!.n);
}

/** An approved on-site scheme of the sampler's matter at `enterpriseCode`, ready for its code. */
export const racingScheme = (t: TestApp, p: LastPlace, enterpriseCode: string) =>
  approvedInspection(t, p.world, { agencyCode: p.sampler.code, enterpriseCode, matterCodes: [p.matter] }, p.officer);

export const issueCode = (t: TestApp, p: LastPlace, id: string) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: p.officer });

export const recordOffsite = (t: TestApp, p: LastPlace, enterpriseCode: string) =>
  t.call({ method: 'POST', url: '/api/v1/offsite-inspections', as: p.officer, payload: offsiteBody(p.world, { enterpriseCode, matterCodes: [p.matter] }) });

/** The enterprises the kept count holds for the sampler's key (sampling_totals). */
export async function keptEnterprises(t: TestApp, p: LastPlace, mode: 'onsite' | 'offsite' = 'onsite'): Promise<number> {
  const res = (await t.db.execute(
    sql`SELECT coalesce(sum(enterprises), 0)::int AS n FROM sampling_totals WHERE agency_code = ${p.sampler.code} AND matter_code = ${p.matter} AND mode = ${mode} AND year = 2026`,
  )) as unknown as { rows: { n: number }[] };
  return Number(res.rows[0]!.n);
}

/** The refusal of the racer that came second: ROUTINE_WITHOUT_PLAN naming its article and the ratio. */
export function expectRatioRefusal(body: Record<string, unknown>, cap: number) {
  expect(body).toMatchObject({ code: 'ROUTINE_WITHOUT_PLAN', rule: 'ROUTINE_WITHOUT_PLAN', article: '第十三条' });
  expect(String(body.detail)).toContain('检查比例');
  expect(String(body.detail)).toContain(`本年度已检查 ${cap} 户`);
}

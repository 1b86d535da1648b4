import type { Principal } from '../../src/auth/principal.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau, newMatter } from './factories.js';
import { fullItem, newFiledPlan, newFrequencyRule } from './plan-factories.js';
import type { TestApp } from './test-app.js';

/**
 * A district market-regulation bureau with its city parent, a published food matter and an off-site
 * capable one, a filed 2026 plan covering both, a cap of 2 routine inspections a year, and enterprises
 * inside and outside the district: everything an inspection needs to get a code, so each test breaks
 * exactly one fact.
 */
export interface InspectionWorld {
  districtCode: string;
  otherDistrictCode: string;
  city: Agency;
  agency: Agency;
  enterprise: Enterprise;
  outsider: Enterprise;
  matter: string;
  offsiteMatter: string;
  officer: Principal;
  head: Principal;
  supervisor: Principal;
}

export async function newInspectionWorld(t: TestApp, opts: { cap?: number } = {}): Promise<InspectionWorld> {
  const db = t.db;
  const district = await newDistrict(db, { name: '武昌区' });
  const other = await newDistrict(db, { name: '汉阳区' });
  const city = await newAgency(db, { name: '武汉市市场监督管理局', domains: ['food', 'market'] });
  const agency = await newAgency(db, { name: '武汉市武昌区市场监督管理局', districtCode: district.code, parentCode: city.code, domains: ['food', 'market'] });
  const bureau = await newJusticeBureau(db, { districtCode: district.code });
  const matter = (await newMatter(db, agency.code)).matterCode;
  const offsiteMatter = (await newMatter(db, agency.code, { name: '企业公示信息抽查', domain: 'market', offsiteCapable: true, foodDrug: false })).matterCode;
  await newMatter(db, city.code, { matterCode: matter });
  const enterprise = await newEnterprise(db, { districtCode: district.code, name: '武汉长江食品有限公司' });
  const outsider = await newEnterprise(db, { districtCode: other.code, name: '武汉汉阳机械有限公司' });
  // The district agency's plan: its district's class of enterprises for both matters, and the outsider in
  // another district by name (a class item reaches only the agency's own district, Art. 13, 16).
  const broad = (m: string, method: 'onsite' | 'offsite') => fullItem(m, { method, samplingRatio: 1, frequency: 366 });
  await newFiledPlan(db, agency.code, 2026, [matter, offsiteMatter], {}, [
    ...[matter, offsiteMatter].flatMap((m) => [broad(m, 'onsite'), broad(m, 'offsite')]),
    fullItem(matter, { targetKind: 'named', targetClass: null, targetEnterprises: [outsider.creditCode], samplingRatio: null, frequency: 366 }),
  ]);
  await newFiledPlan(db, city.code, 2026, [matter]);
  await newFrequencyRule(db, { maxCount: opts.cap ?? 2, period: 'year', scopeKind: 'agency' });
  return {
    districtCode: district.code,
    otherDistrictCode: other.code,
    city,
    agency,
    enterprise,
    outsider,
    matter,
    offsiteMatter,
    officer: as.officer(agency.code),
    head: as.head(agency.code),
    supervisor: as.supervisor(bureau.code, district.code),
  };
}

export const WINDOW = { windowStart: '2026-04-08T09:00:00+08:00', windowEnd: '2026-04-08T17:00:00+08:00' };
export const TEAM = [
  { name: '王晓明', certificateNo: '42010620230001' },
  { name: '陈丽华', certificateNo: '42010620230002' },
];

export function draftBody(w: InspectionWorld, over: Record<string, unknown> = {}) {
  return {
    agencyCode: w.agency.code,
    enterpriseCode: w.enterprise.creditCode,
    kind: 'routine',
    mode: 'onsite',
    matterCodes: [w.matter],
    ...WINDOW,
    inspectors: TEAM,
    checklist: ['食品生产许可证', '进货查验记录', '从业人员健康证明'],
    ...over,
  };
}

/**
 * The reason a factory scheme carries: tests approve schemes that fail a rule on purpose, to show the later
 * guard refusing, and the head approves a failing scheme only on the officer's stated reason (issue 24).
 */
export const KNOWING_REASON = '测试：明知规则检查未通过，仍提交以验证后续环节的拒绝';

/**
 * Draft, approve and return the inspection id (asserting each step worked). The draft states a
 * failedChecksReason unless `over` gives one, so a scheme failing a rule on purpose still reaches approval.
 */
export async function approvedInspection(t: TestApp, w: InspectionWorld, over: Record<string, unknown> = {}, by: Principal = w.officer): Promise<string> {
  const drafted = await t.call({ method: 'POST', url: '/api/v1/inspections', as: by, payload: draftBody(w, { failedChecksReason: KNOWING_REASON, ...over }) });
  if (drafted.statusCode !== 201) throw new Error(`draft failed: ${drafted.body}`);
  const id = drafted.json().inspection.id as string;
  const head = by.role === 'agency_head' ? by : as.head(by.agency!);
  const approved = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: head, payload: {} });
  if (approved.statusCode !== 200) throw new Error(`approve failed: ${approved.body}`);
  return id;
}

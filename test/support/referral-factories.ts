import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal.js';
import type { Db } from '../../src/db/client.js';
import { monitoringDevices, referrals } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { as, newAgency } from './factories.js';
import { approvedInspection, type InspectionWorld } from './inspection-world.js';
import type { TestApp } from './test-app.js';

/**
 * Factories for referrals, monitoring devices and off-site inspections (the referral / off-site issue's
 * tests). API helpers go through the routes and assert each step; `new*` helpers write rows directly for
 * tests that need many rows in a given state.
 */
const epoch = new Date('2025-12-01T00:00:00Z');

/** A district environment bureau: competent for what a market-regulation visit finds about pollution. */
export function newCompetentAgency(db: Db, w: InspectionWorld, over: Partial<Agency> = {}): Promise<Agency> {
  return newAgency(db, { name: '武汉市武昌区生态环境局', districtCode: w.districtCode, domains: ['environment'], ...over });
}

async function ok(res: { statusCode: number; body: string; json(): unknown }, step: string, status = 200) {
  if (res.statusCode !== status) throw new Error(`${step} failed (${res.statusCode}): ${res.body}`);
  return res.json() as Record<string, unknown>;
}

/**
 * An on-site case inspection (no code needed) visited and recorded at `at`, whose findings name
 * violations outside the agency's jurisdiction; returns the inspection id and the referrals opened.
 */
export async function findingsWithReferrals(
  t: TestApp,
  w: InspectionWorld,
  at: string,
  outOfJurisdiction: { description: string; competentAgencyCode: string }[],
  findings: Record<string, unknown> = {},
) {
  t.clock.set(at);
  const day = at.slice(0, 10);
  const id = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: `TS-${randomUUID().slice(0, 8)}`, windowStart: `${day}T08:00:00+08:00`, windowEnd: `${day}T18:00:00+08:00` });
  await ok(await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} }), 'start');
  await ok(
    await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: { methods: ['site_survey'], items: [{ item: '食品经营许可', result: 'compliant' }], outcome: { kind: 'no_violation' }, outOfJurisdiction, ...findings },
    }),
    'findings',
  );
  const listed = await t.call({ method: 'GET', url: '/api/v1/referrals?direction=outgoing&limit=500', as: w.officer });
  const mine = (listed.json() as { inspectionId: string }[]).filter((r) => r.inspectionId === id);
  return { inspectionId: id, referrals: mine as unknown as { id: string; dueDate: string; foundOn: string; state: string }[] };
}

/** A referral body for POST /referrals. */
export function referralBody(w: InspectionWorld, competentAgencyCode: string, over: Record<string, unknown> = {}) {
  return {
    competentAgencyCode,
    enterpriseCode: w.enterprise.creditCode,
    description: '企业在厂区东侧露天焚烧废弃包装物，涉嫌违反《中华人民共和国大气污染防治法》',
    evidence: [{ kind: 'photo', ref: 'IMG-2026-0001', description: '现场焚烧照片2张' }],
    ...over,
  };
}

/** A referral row as it would stand, straight into the table (sweeper tests that need many). */
export async function newReferral(db: Db, input: { agencyCode: string; competentAgencyCode: string; enterpriseCode: string; foundOn: string; dueDate: string } & Partial<typeof referrals.$inferInsert>) {
  const [row] = await db
    .insert(referrals)
    .values({
      id: randomUUID(),
      source: 'manual',
      description: '涉嫌无证排污（测试）',
      evidence: [{ kind: 'record', ref: 'TEST', description: '测试' }],
      state: 'opened',
      createdBy: `officer:${input.agencyCode}`,
      createdAt: epoch,
      updatedAt: epoch,
      ...input,
    })
    .returning();
  return row!;
}

/** The four points of each review, all satisfied (override one to fail it). */
export const LEGAL_OK = {
  reasonableAndLawful: { satisfied: true, note: '设置于主干道路口，符合规划，未违反禁止性规定' },
  siteAndSign: { satisfied: true, note: '场所合法，前方50米设有明显提示标志' },
  soleEvidenceBasis: { satisfied: false, note: '无法律、行政法规依据，数据须与其他证据相互印证' },
  otherLegalRequirements: { satisfied: true, note: '无其他要求' },
};
export const TECHNICAL_OK = {
  qualityCertificate: { satisfied: true, note: '具有检验合格证明' },
  reliableAndComplete: { satisfied: true, note: '连续运行30日无故障' },
  meetsStandards: { satisfied: true, note: '符合 HJ 212-2017' },
  otherTechnicalRequirements: { satisfied: true, note: '无其他要求' },
  qualityCertificateNo: 'ZJ-2026-0088',
};

export function deviceBody(w: InspectionWorld, over: Record<string, unknown> = {}) {
  return {
    name: '油烟在线监测仪',
    location: '武昌区中北路1号武汉长江食品有限公司排烟口',
    districtCode: w.districtCode,
    purpose: '餐饮油烟排放浓度在线监测',
    standard: 'HJ 212-2017',
    owner: { kind: 'agency' },
    internalNote: '供电由企业提供，维护联系人张工 13800000000',
    ...over,
  };
}

/** Register a device and take it through `steps` (legal-review, technical-review, publish, activate). */
export async function deviceThrough(t: TestApp, w: InspectionWorld, steps: ('legal-review' | 'technical-review' | 'publish' | 'activate')[], by: Principal = w.officer): Promise<string> {
  const created = await ok(await t.call({ method: 'POST', url: '/api/v1/devices', as: by, payload: deviceBody(w) }), 'register device', 201);
  const id = created.id as string;
  const bodies = { 'legal-review': LEGAL_OK, 'technical-review': TECHNICAL_OK, publish: { publicationRef: '武昌区市场监管局公告〔2026〕3号' }, activate: {} };
  // Reviews by someone other than the registrant (Art. 35, 36); the head puts the device into use.
  const other = by.role === 'agency_head' ? as.officer(by.agency!) : as.head(by.agency!);
  const actor = (s: string) => (s === 'activate' ? as.head(by.agency!) : s === 'publish' ? by : other);
  for (const s of steps) await ok(await t.call({ method: 'POST', url: `/api/v1/devices/${id}/${s}`, as: actor(s), payload: bodies[s] }), s);
  return id;
}

/** A device row in a given state with review and publication instants (tests of evidence timing). */
export async function newDevice(db: Db, agencyCode: string, over: Partial<typeof monitoringDevices.$inferInsert> = {}) {
  const [row] = await db
    .insert(monitoringDevices)
    .values({ id: randomUUID(), agencyCode, ownerKind: 'agency', ownerAgencyCode: agencyCode, name: '视频监控', location: '测试地点', purpose: '测试', standard: 'GB/T 28181', state: 'registered', createdBy: 'test', createdAt: epoch, updatedAt: epoch, ...over })
    .returning();
  return row!;
}

/** An off-site inspection body: a routine review of the off-site capable matter, optionally with a suspected violation. */
export function offsiteBody(w: InspectionWorld, over: Record<string, unknown> = {}) {
  return {
    enterpriseCode: w.enterprise.creditCode,
    kind: 'routine',
    matterCodes: [w.offsiteMatter],
    inspectors: [{ name: '王晓明', certificateNo: '42010620230001' }],
    source: 'data_sharing',
    sourceDetails: { system: '湖北省市场监管信息共享平台', dataset: '企业年度报告' },
    observedAt: '2026-04-02T08:30:00+08:00',
    summary: '核对企业2025年度报告公示信息',
    items: [{ item: '年度报告按期公示', result: 'compliant' }],
    evidence: [],
    ...over,
  };
}

export const SUSPECTED = {
  observed: '贵单位2025年度报告中公示的从业人数与社保缴费人数不一致',
  ruleBasis: '《企业信息公示暂行条例》第十条',
  howToCorrect: '请登录国家企业信用信息公示系统更正年度报告中的从业人数',
  correctBy: '2026-04-30',
  contact: { department: '武昌区市场监督管理局信用监管科', phone: '027-88880000', name: '李工' },
};

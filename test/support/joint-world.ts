import type { Principal } from '../../src/auth/principal.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau, newMatter } from './factories.js';
import { newFiledPlan, newFrequencyRule } from './plan-factories.js';
import type { TestApp } from './test-app.js';

/**
 * Three district agencies that would each inspect a restaurant — market regulation (食品, the lead unit),
 * fire rescue (消防) and health (公共场所卫生) — with a published matter each, a filed 2026 plan covering
 * it, a cap of 2 routine inspections per agency a year, the district's justice bureau and a restaurant:
 * everything a 综合查一次 needs, so each test breaks exactly one fact.
 */
export interface JointWorld {
  districtCode: string;
  bureau: Agency;
  market: Agency;
  fire: Agency;
  health: Agency;
  enterprise: Enterprise;
  /** A second restaurant in the district, for tasks visiting two enterprises. */
  other: Enterprise;
  matters: { market: string; fire: string; health: string };
  supervisor: Principal;
}

export async function newJointWorld(t: TestApp, opts: { cap?: number; plans?: boolean } = {}): Promise<JointWorld> {
  const db = t.db;
  const district = await newDistrict(db, { name: '武昌区（联合检查测试）' });
  const bureau = await newJusticeBureau(db, { name: '武昌区司法局（测试）', districtCode: district.code });
  const market = await newAgency(db, { name: '武昌区市场监督管理局（测试）', districtCode: district.code, domains: ['food', 'market'] });
  const fire = await newAgency(db, { name: '武昌区消防救援大队（测试）', districtCode: district.code, domains: ['fire'] });
  const health = await newAgency(db, { name: '武昌区卫生健康局（测试）', districtCode: district.code, domains: ['health'] });
  const matters = {
    market: (await newMatter(db, market.code, { name: '餐饮服务食品安全监督检查', domain: 'food' })).matterCode,
    fire: (await newMatter(db, fire.code, { name: '消防安全检查', domain: 'fire', legalBasis: '《中华人民共和国消防法》第五十三条', foodDrug: false })).matterCode,
    health: (await newMatter(db, health.code, { name: '公共场所卫生监督检查', domain: 'health', legalBasis: '《公共场所卫生管理条例》第十三条', foodDrug: false })).matterCode,
  };
  if (opts.plans !== false) {
    await newFiledPlan(db, market.code, 2026, [matters.market]);
    await newFiledPlan(db, fire.code, 2026, [matters.fire]);
    await newFiledPlan(db, health.code, 2026, [matters.health]);
  }
  await newFrequencyRule(db, { maxCount: opts.cap ?? 2, period: 'year', scopeKind: 'agency' });
  const enterprise = await newEnterprise(db, { districtCode: district.code, name: '武汉黄鹤楼餐饮管理有限公司' });
  const other = await newEnterprise(db, { districtCode: district.code, name: '武汉东湖酒楼有限公司' });
  return { districtCode: district.code, bureau, market, fire, health, enterprise, other, matters, supervisor: as.supervisor(bureau.code, district.code) };
}

/**
 * The entry's items, in order. The licence item reads the same with the same standard for market
 * regulation and health (one merged line); the health-certificate item has the same text but different
 * standards (two lines); so 8 items make 7 lines.
 */
export function restaurantEntry(w: JointWorld, code = 'CY-01') {
  const { market, fire, health } = w;
  return {
    code,
    name: '餐饮服务单位“综合查一次”',
    content: '食品安全、消防安全、公共场所卫生',
    basis: '《中华人民共和国食品安全法》《中华人民共和国消防法》《公共场所卫生管理条例》',
    units: [
      { agencyCode: market.code, role: 'lead', matterCodes: [w.matters.market] },
      { agencyCode: fire.code, role: 'cooperating', matterCodes: [w.matters.fire] },
      { agencyCode: health.code, role: 'cooperating', matterCodes: [w.matters.health] },
    ],
    items: [
      { text: '营业执照及许可证照公示', standard: '证照齐全有效，并在经营场所显著位置公示', agencyCode: market.code, matterCode: w.matters.market },
      { text: '食品贮存条件', standard: '食品分类、分架、隔墙离地存放，无过期变质食品', agencyCode: market.code, matterCode: w.matters.market },
      { text: '从业人员健康证明', standard: '从事接触直接入口食品工作的人员取得健康证明后方可上岗', agencyCode: market.code, matterCode: w.matters.market },
      { text: '安全出口和疏散通道', standard: '保持畅通，无占用、堵塞、封闭', agencyCode: fire.code, matterCode: w.matters.fire },
      { text: '消防设施器材', standard: '灭火器等消防设施器材配置齐全、完好有效', agencyCode: fire.code, matterCode: w.matters.fire },
      { text: '营业执照及许可证照公示', standard: '证照齐全有效，并在经营场所显著位置公示。', agencyCode: health.code, matterCode: w.matters.health },
      { text: '从业人员健康证明', standard: '直接为顾客服务的从业人员持有效健康合格证明', agencyCode: health.code, matterCode: w.matters.health },
      { text: '空气质量和集中空调', standard: '室内空气质量符合卫生标准，集中空调通风系统定期清洗', agencyCode: health.code, matterCode: w.matters.health },
    ],
  };
}

export const listBody = (w: JointWorld) => ({ title: '武昌区“综合查一次”事项清单（2026年）', entries: [restaurantEntry(w)] });

async function ok(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what} failed (${res.statusCode}): ${res.body}`);
}

/** Proposed by the lead unit's head, reviewed by the district bureau, approved, published: its id. */
export async function publishedJointList(t: TestApp, w: JointWorld, body: object = listBody(w)): Promise<string> {
  const head = as.head(w.market.code);
  const proposed = await t.call({ method: 'POST', url: '/api/v1/joint-lists', as: head, payload: body });
  await ok(proposed, 201, 'propose');
  const id = proposed.json().id as string;
  await ok(await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/review`, as: w.supervisor, payload: { decision: 'pass', opinion: '同意' } }), 200, 'review');
  await ok(await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/approve`, as: head, payload: { approverName: '武昌区人民政府', approvalDocNo: '武昌政〔2026〕8号' } }), 200, 'approve');
  await ok(await t.call({ method: 'POST', url: `/api/v1/joint-lists/${id}/publish`, as: head, payload: {} }), 200, 'publish');
  return id;
}

export const JOINT_WINDOW = { windowStart: '2026-04-15T09:00:00+08:00', windowEnd: '2026-04-15T12:00:00+08:00' };
export const officers = (prefix: string, n = 2) =>
  Array.from({ length: n }, (_, k) => ({ name: `${prefix}${['甲', '乙', '丙', '丁'][k]}`, certificateNo: `4201062026${prefix.length}${k}${Math.floor(Math.random() * 1e6)}` }));

export function launchBody(w: JointWorld, listId: string, over: Record<string, unknown> = {}) {
  return { listId, entryCode: 'CY-01', enterpriseCodes: [w.enterprise.creditCode], ...JOINT_WINDOW, inspectors: officers('市监'), ...over };
}

export async function launchedTask(t: TestApp, w: JointWorld, listId: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: as.head(w.market.code), payload: launchBody(w, listId, over) });
  await ok(res, 201, 'launch');
  return res.json().task.id as string;
}

/** Launched, both cooperating units assigned and accepted with two officers each, every head approved. */
export async function approvedTask(t: TestApp, w: JointWorld, listId: string, over: Record<string, unknown> = {}, team: Record<'fire' | 'health', object[]> = { fire: officers('消防'), health: officers('卫健') }): Promise<string> {
  const id = await launchedTask(t, w, listId, over);
  for (const unit of [w.fire, w.health]) {
    await ok(await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/assign`, as: as.officer(w.market.code), payload: { agencyCode: unit.code } }), 200, 'assign');
  }
  await ok(await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/accept`, as: as.officer(w.fire.code), payload: { inspectors: team.fire } }), 200, 'accept fire');
  await ok(await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/accept`, as: as.officer(w.health.code), payload: { inspectors: team.health } }), 200, 'accept health');
  for (const unit of [w.market, w.fire, w.health]) {
    await ok(await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/approve`, as: as.head(unit.code), payload: {} }), 200, `approve ${unit.code}`);
  }
  return id;
}

/** Every line compliant, except those listed as violations; each unit's outcome follows from its lines. */
export function findingsBody(w: JointWorld, lines: number, violations: Record<number, string> = {}, outcomes: Record<string, object> = {}) {
  return {
    methods: ['documents', 'site_survey'],
    items: Array.from({ length: lines }, (_, k) => ({ line: k + 1, result: violations[k + 1] ? 'violation' : 'compliant', ...(violations[k + 1] ? { note: violations[k + 1] } : {}) })),
    outcomes: [w.market, w.fire, w.health].map((a) => ({ agencyCode: a.code, kind: 'no_violation', ...(outcomes[a.code] ?? {}) })),
  };
}

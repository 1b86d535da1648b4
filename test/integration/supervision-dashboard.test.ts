import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { jointLists, jointTaskParts, jointTasks, jointVisits, referrals } from '../../src/db/schema/index.js';
import { CSV_BOM } from '../../src/supervision/csv.js';
import { as, newAgency, newJusticeBureau } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newFiledPlan } from '../support/plan-factories.js';
import { compliantFindings, issuedCode, newFlag } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const epoch = new Date('2026-01-05T00:00:00Z');

describeDb('the supervisors’ dashboard and CSV exports, within the jurisdiction (Art. 6, 8, 13, 17, 23, 26)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let citySup: Principal;
  let otherSup: Principal;
  let scanned: { id: string; code: string };
  let unscanned: { id: string; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
    citySup = as.supervisor((await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code);
    otherSup = as.supervisor((await newJusticeBureau(t.db, { districtCode: w.otherDistrictCode })).code, w.otherDistrictCode);
    // Three more agencies of the district: one submitted late (2 April), one submitted in time and still with the
    // bureau, one with nothing (Art. 13: the 31 March duty is the agency's submission).
    const late = await newAgency(t.db, { name: '武昌区应急管理局（测试）', districtCode: w.districtCode });
    const submitted = await newAgency(t.db, { name: '武昌区生态环境分局（测试）', districtCode: w.districtCode });
    await newAgency(t.db, { name: '武昌区城市管理执法局（测试）', districtCode: w.districtCode });
    await newFiledPlan(t.db, late.code, 2026, [w.matter], { submittedAt: new Date('2026-04-02T02:00:00Z'), submittedLate: true, filedLate: true, filedAt: new Date('2026-04-03T02:00:00Z') });
    await newFiledPlan(t.db, submitted.code, 2026, [w.matter], { state: 'submitted', filedAt: null, filedBy: null });

    scanned = await issuedCode(t, w);
    unscanned = await issuedCode(t, w, { windowStart: '2026-04-09T09:00:00+08:00', windowEnd: '2026-04-09T17:00:00+08:00' });
    const caseId = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: 'TS-2026-001' });
    await approvedInspection(t, w, { windowStart: '2026-04-28T09:00:00+08:00', windowEnd: '2026-04-28T17:00:00+08:00' }); // approved, no code: not counted
    t.clock.set('2026-04-08T10:00:00+08:00');
    await t.call({ method: 'POST', url: `/api/v1/codes/${scanned.code}/scan`, as: w.officer, payload: {} });
    await compliantFindings(t, w, scanned.id);
    t.clock.set('2026-04-09T15:00:00+08:00');
    await compliantFindings(t, w, unscanned.id); // CODE_NOT_SCANNED
    await t.call({ method: 'POST', url: `/api/v1/inspections/${caseId}/start`, as: w.officer, payload: {} });

    // The scanned visit was a joint one (综合查一次): its code hangs on the lead unit's row.
    const listId = randomUUID();
    const taskId = randomUUID();
    await t.db.insert(jointLists).values({ id: listId, seriesId: randomUUID(), listVersion: 1, title: '餐饮综合查一次（测试）', level: 'district', districtCode: w.districtCode, proposerAgencyCode: w.agency.code, state: 'published', entries: [], reviewBureauCode: 'X', createdBy: 'test', createdAt: epoch, updatedAt: epoch });
    await t.db.insert(jointTasks).values({
      id: taskId, listId, listVersion: 1, entryCode: 'CY-01', entry: { code: 'CY-01', name: '餐饮', content: '', basis: '', units: [], items: [] }, leadAgencyCode: w.agency.code,
      enterpriseCodes: [w.enterprise.creditCode], windowStart: new Date('2026-04-08T01:00:00Z'), windowEnd: new Date('2026-04-08T09:00:00Z'), countedDate: '2026-04-08',
      state: 'code_issued', launchedBy: 'test', createdAt: epoch, updatedAt: epoch,
    });
    await t.db.insert(jointTaskParts).values({ inspectionId: scanned.id, taskId, agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, role: 'lead' });
    await t.db.insert(jointVisits).values({ taskId, enterpriseCode: w.enterprise.creditCode, code: scanned.code });

    // Referrals found by the district's agency: one unsent past its due date, one sent on time.
    const referral = (over: Partial<typeof referrals.$inferInsert>) =>
      t.db.insert(referrals).values({
        id: randomUUID(), agencyCode: w.agency.code, competentAgencyCode: w.city.code, enterpriseCode: w.enterprise.creditCode, source: 'manual', description: '超范围经营（测试）',
        evidence: [], foundOn: '2026-03-02', dueDate: '2026-03-16', state: 'opened', createdBy: 'test', createdAt: epoch, updatedAt: epoch, ...over,
      });
    await referral({});
    await referral({ state: 'sent', sentOn: '2026-03-10', sentAt: new Date('2026-03-10T02:00:00Z') });

    await newFlag(t.db, '2026-04-09T03:00:00Z', { rule: 'COST_SHIFTED', agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, detail: '=HYPERLINK("http://evil","点我")' });
    await newFlag(t.db, '2026-04-09T04:00:00Z', { rule: 'QUOTA', agencyCode: w.agency.code, detail: '下达指标，"每月不少于20户",\n与考核挂钩' });
    await newFlag(t.db, '2025-12-20T04:00:00Z', { rule: 'QUOTA', agencyCode: w.agency.code, detail: '上一年度' });
  });
  afterAll(() => t.close());

  const board = (p: Principal, year = 2026) => t.call({ method: 'GET', url: `/api/v1/stats/dashboard?year=${year}`, as: p }).then((r) => r.json());

  it('counts the year’s inspections by kind and agency, once they have a code or were carried out', async () => {
    const d = await board(w.supervisor);
    expect(d.jurisdiction).toEqual({ district: w.districtCode, name: '武昌区' });
    expect(d.inspections.total).toBe(3);
    expect(d.inspections.byKind).toEqual(expect.arrayContaining([{ kind: 'routine', kindZh: '日常检查', count: 2 }, { kind: 'case', kindZh: '个案检查', count: 1 }]));
    expect(d.inspections.byAgency).toEqual([{ agencyCode: w.agency.code, agencyName: w.agency.name, count: 3 }]);
  });

  it('computes the scan rate over on-site routine and special inspections with a code (亮码率)', async () => {
    expect((await board(w.supervisor)).scanRate).toEqual({ scanned: 1, withCode: 2, rate: 0.5 });
  });

  it('counts flags of the year by rule and agency, and the open ones', async () => {
    const d = await board(w.supervisor);
    expect(d.flags.total).toBe(3);
    expect(d.flags.open).toBe(3);
    expect(d.flags.byRule).toEqual(
      expect.arrayContaining([
        { rule: 'CODE_NOT_SCANNED', titleZh: '进入现场未出示检查码并扫码', count: 1 },
        { rule: 'COST_SHIFTED', titleZh: '检验检测等费用转嫁给企业', count: 1 },
        { rule: 'QUOTA', titleZh: '下达检查指标或与考核挂钩', count: 1 },
      ]),
    );
    expect(d.flags.byAgency).toEqual([{ agencyCode: w.agency.code, agencyName: w.agency.name, count: 3 }]);
    expect((await board(w.supervisor, 2025)).flags.total).toBe(1);
  });

  it('第十三条 counts plans submitted on time, late and missing by the agency’s submission, and the bureau’s queue apart (justice bureaus excluded)', async () => {
    const { plans } = await board(w.supervisor);
    expect(plans).toMatchObject({ agencies: 4, onTime: 2, late: 1, missing: 1, awaitingFiling: 1 });
    expect(plans.missingAgencies.map((a: { agencyName: string }) => a.agencyName)).toEqual(['武昌区城市管理执法局（测试）']);
    expect(plans.bureau).toMatchObject({ pending: 1, filedAfterDeadline: 0, pendingPlans: [{ agencyName: '武昌区生态环境分局（测试）', submittedOn: '2026-03-01' }] });
  });

  it('counts a joint visit once among on-site visits, and overdue referrals', async () => {
    const d = await board(w.supervisor);
    expect(d.jointRate).toEqual({ jointVisits: 1, onsiteVisits: 3, rate: 0.333 });
    expect(d.overdueReferrals).toEqual({ overdue: 1, total: 2 });
  });

  it('scopes every figure: another district sees nothing of this one; the city sees it all', async () => {
    const other = await board(otherSup);
    expect(other).toMatchObject({ inspections: { total: 0 }, scanRate: { withCode: 0, rate: null }, flags: { total: 0 }, plans: { agencies: 0 }, jointRate: { jointVisits: 0, rate: null }, overdueReferrals: { overdue: 0 } });
    const city = await board(citySup);
    expect(city.jurisdiction).toEqual({ district: null, name: '武汉市（全市）' });
    expect(city.inspections.total).toBe(3);
    expect(city.plans.agencies).toBeGreaterThan(4);
    expect((await t.call({ method: 'GET', url: '/api/v1/stats/dashboard', as: w.officer })).json().code).toBe('FORBIDDEN_ROLE');
  });

  it('exports the period’s flags as CSV that Excel opens: BOM, quoting, formulas neutralised', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/flags/export.csv?from=2026-01-01&to=2026-12-31', as: w.supervisor });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="flags-2026-01-01-2026-12-31.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = res.body;
    expect(text.startsWith(`${CSV_BOM}标记编号,规则,规则名称,条款`)).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
    expect(text).toContain('"下达指标，""每月不少于20户"",\n与考核挂钩"');
    expect(text).not.toContain('上一年度');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4); // header + 3 flags of 2026
    const other = await t.call({ method: 'GET', url: '/api/v1/flags/export.csv?from=2026-01-01&to=2026-12-31', as: otherSup });
    expect(other.body.split('\r\n').filter(Boolean)).toHaveLength(1);
    const noPeriod = await t.call({ method: 'GET', url: '/api/v1/flags/export.csv', as: w.supervisor });
    expect(noPeriod.json()).toMatchObject({ status: 400, code: 'VALIDATION' });
  });

  it('exports the period’s inspections with code, scans and outcome', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/inspections/export.csv?from=2026-04-01&to=2026-04-30', as: citySup });
    expect(res.statusCode).toBe(200);
    const lines = res.body.replace(CSV_BOM, '').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('检查编号,行政执法主体代码,行政执法主体,统一社会信用代码,企业名称,检查类型,检查方式,状态,检查事项,登记开始时间,登记结束时间,计入日期,检查码,检查码状态,有效扫码次数,处理结果,结果告知时间,结束时间,来源系统,来源编号');
    expect(lines).toHaveLength(5);
    const row = lines.find((l) => l.startsWith(scanned.id))!;
    expect(row).toContain(`${scanned.code},active,1,未发现违法行为`);
    expect(row).toContain('2026-04-08 09:00:00,2026-04-08 17:00:00,2026-04-08');
    expect(lines.find((l) => l.startsWith(unscanned.id))).toContain(`${unscanned.code},active,0,`);
    const reversed = await t.call({ method: 'GET', url: '/api/v1/inspections/export.csv?from=2026-05-01&to=2026-04-01', as: citySup });
    expect(reversed.json()).toMatchObject({ status: 400, errors: [{ field: 'query.to' }] });
    expect((await t.call({ method: 'GET', url: '/api/v1/inspections/export.csv?from=2026-04-01&to=2026-04-30', as: otherSup })).body.split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});

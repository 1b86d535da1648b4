import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { flags } from '../../src/db/schema/index.js';
import { findUsableSpecialPlan } from '../../src/plans/usable-special-plan.js';
import { specialPlanAmendedNotRefiledJob, specialPlanNotPublishedJob } from '../../src/sweeper/jobs/plan-revisions.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as, newEnterprise } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection, newPlanWorld, newSpecialPlan, type PlanWorld } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const fields = (matterCode: string, over: Record<string, unknown> = {}) => ({
  title: '2026年校园周边食品安全专项检查',
  focus: '校园周边食品经营者超范围经营、无证经营等突出问题',
  matterCodes: [matterCode],
  startDate: '2026-04-01',
  endDate: '2026-06-30',
  ...over,
});
const government = { approverKind: 'same_level_government', approverName: '武汉市江岸区人民政府', approvalDocNo: '岸政〔2026〕3号' };
const upper = { approverKind: 'upper_authority', approverName: '武汉市市场监督管理局', approvalDocNo: '武市监〔2026〕21号' };

function caller(t: TestApp) {
  return (method: 'GET' | 'POST' | 'PATCH', url: string, who: Principal, payload?: object) =>
    t.call({ method, url: `/api/v1${url}`, as: who, ...(payload ? { payload } : {}) });
}

describeDb('第十三条第二款 专项检查计划经同级人民政府或者实行垂直管理的上级主管部门批准后，报同级司法行政部门和上级主管部门备案', () => {
  let t: TestApp;
  let w: PlanWorld;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-20T10:00:00+08:00' });
    w = await newPlanWorld(t.db);
    call = caller(t);
  });
  afterAll(() => t.close());

  it('accepts the upper authority’s approval only for a vertically managed agency, and that agency’s plan only from it', async () => {
    const officer = as.officer(w.districtAgency.code);
    const head = as.head(w.districtAgency.code);
    const id = (await call('POST', '/special-plans', officer, fields(w.matterCode))).json().id;

    const notVertical = await call('POST', `/special-plans/${id}/approve`, head, upper);
    expect(notVertical.statusCode).toBe(422);
    expect(notVertical.json()).toMatchObject({ code: 'SPECIAL_APPROVER_NOT_COMPETENT', article: '第十三条', observed: { approverKind: 'upper_authority', verticallyManaged: false } });
    expect(notVertical.json().detail).toContain('不实行垂直管理');
    expect((await call('GET', `/special-plans/${id}`, head)).json().state).toBe('draft');

    // The registry records the attribute; only an admin sets it.
    expect((await call('PATCH', `/agencies/${w.districtAgency.code}`, officer, { verticallyManaged: true })).statusCode).toBe(403);
    const patched = await call('PATCH', `/agencies/${w.districtAgency.code}`, as.admin(), { verticallyManaged: true });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().verticallyManaged).toBe(true);
    expect((await call('GET', `/agencies/${w.districtAgency.code}`, officer)).json().verticallyManaged).toBe(true);

    const approved = await call('POST', `/special-plans/${id}/approve`, head, upper);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', ...upper });

    // 第十三条第二款 经同级人民政府或者实行垂直管理的上级主管部门批准: 或者 — the same-level government's approval is
    // accepted for a vertically managed agency too.
    const second = (await call('POST', '/special-plans', officer, fields(w.matterCode))).json().id;
    const byGovernment = await call('POST', `/special-plans/${second}/approve`, head, government);
    expect(byGovernment.statusCode, byGovernment.body).toBe(200);
    expect(byGovernment.json()).toMatchObject({ state: 'approved', approverKind: 'same_level_government' });

    await call('PATCH', `/agencies/${w.districtAgency.code}`, as.admin(), { verticallyManaged: false });
    const registered = await call('POST', '/agencies', as.admin(), {
      code: 'WH-XFJY-T',
      name: '武汉市消防救援支队（测试）',
      kind: 'authorised',
      level: 'city',
      verticallyManaged: true,
      domains: ['fire_safety'],
    });
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json().verticallyManaged).toBe(true);
  });

  it('records the report to both the same-level justice bureau and the upper authority, and the filing names both', async () => {
    const head = as.head(w.districtAgency.code);
    const id = (await call('POST', '/special-plans', as.officer(w.districtAgency.code), fields(w.matterCode))).json().id;
    const approved = (await call('POST', `/special-plans/${id}/approve`, head, government)).json();
    expect(approved).toMatchObject({ state: 'approved', filingBureauCode: w.districtBureau.code, upperAuthorityCode: w.cityAgency.code });

    const filed = await call('POST', `/special-plans/${id}/file`, as.supervisor(w.districtBureau.code, w.districtAgency.districtCode!));
    expect(filed.json()).toMatchObject({ state: 'filed', filingBureauCode: w.districtBureau.code, upperAuthorityCode: w.cityAgency.code });
    const history = (await call('GET', `/special-plans/${id}`, head)).json().history as { action: string; payload: Record<string, unknown> }[];
    for (const action of ['special_plan.approved', 'special_plan.filed']) {
      expect(history.find((h) => h.action === action)?.payload).toMatchObject({ filingBureauCode: w.districtBureau.code, upperAuthorityCode: w.cityAgency.code });
    }
  });
});

describeDb('第十三条第二款、第十五条 执行上级部署的专项检查，不再重复批准和备案，不纳入年度检查频次', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let call: ReturnType<typeof caller>;
  const deployment = { deploymentAuthority: '湖北省市场监督管理局', deploymentDocNo: '鄂市监〔2026〕8号' };

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-20T10:00:00+08:00' });
    w = await newInspectionWorld(t, { cap: 1 });
    call = caller(t);
  });
  afterAll(() => t.close());

  it('records a deployment not held here by its issuing authority and document number, needing no approval or filing', async () => {
    const res = await call('POST', '/special-plans', w.officer, fields(w.matter, deployment));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ state: 'deployed', deployedFromId: null, ...deployment, approverKind: null });
    const id = res.json().id;
    expect((await call('POST', `/special-plans/${id}/file`, w.supervisor)).json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'deployed' });
    expect((await call('POST', `/special-plans/${id}/approve`, w.head, government)).json()).toMatchObject({ code: 'INVALID_TRANSITION' });
    const history = (await call('GET', `/special-plans/${id}`, as.enterprise(w.enterprise.creditCode))).json().history;
    // The document is not held here: the deployment is also a declared exemption for the supervisors (issue 22).
    expect(history.map((h: { action: string }) => h.action)).toEqual(['special_plan.deployed', 'declaration.recorded']);
    expect(history[0].payload).toMatchObject(deployment);

    const noDocNo = await call('POST', '/special-plans', w.officer, fields(w.matter, { deploymentAuthority: '湖北省市场监督管理局' }));
    expect(noDocNo.statusCode).toBe(400);
    expect(noDocNo.json().errors[0].field).toBe('body.deploymentDocNo');
    const unpublished = await call('POST', '/special-plans', w.officer, fields('NOT-PUBLISHED-7', deployment));
    expect(unpublished.json()).toMatchObject({ code: 'MATTER_UNPUBLISHED', observed: ['NOT-PUBLISHED-7'] });
  });

  it('covers the special inspection without a local approval or filing and keeps it out of the caps', async () => {
    // The enterprise has used its one counted inspection of the year (cap 1).
    await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-03-02' });
    const local = await newSpecialPlan(t.db, w.agency.code, [w.matter]);
    const localId = await approvedInspection(t, w, { kind: 'special', specialPlanId: local.id });
    const capped = await call('POST', `/inspections/${localId}/code`, w.officer);
    expect(capped.statusCode).toBe(422);
    expect(capped.json()).toMatchObject({ code: 'FREQUENCY_CAP', article: '第十五条、第四十条第（十）项' });

    const deployed = (await call('POST', '/special-plans', w.officer, fields(w.matter, { ...deployment, deploymentDocNo: '鄂市监〔2026〕9号' }))).json();
    const id = await approvedInspection(t, w, { kind: 'special', specialPlanId: deployed.id });
    const issued = await call('POST', `/inspections/${id}/code`, w.officer);
    expect(issued.statusCode, issued.body).toBe(201);
    expect((await call('GET', `/inspections/${id}`, w.officer)).json().inspection.countsTowardCap).toBe(false);
  });
});

describeDb('第十四条 专项检查计划不符合条件的退回重新调整并报送备案，检查计划调整后报送备案', () => {
  let t: TestApp;
  let w: PlanWorld;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-20T10:00:00+08:00' });
    w = await newPlanWorld(t.db);
    call = caller(t);
  });
  afterAll(() => t.close());

  const cityApproval = { approverKind: 'same_level_government', approverName: '武汉市人民政府', approvalDocNo: '武政〔2026〕12号' };

  it('is returned by the same-level bureau with reasons, adjusted, approved and reported again', async () => {
    const officer = as.officer(w.cityAgency.code);
    const head = as.head(w.cityAgency.code);
    const bureau = as.supervisor(w.cityBureau.code);
    const id = (await call('POST', '/special-plans', officer, fields(w.matterCode))).json().id;
    await call('POST', `/special-plans/${id}/approve`, head, cityApproval);

    expect((await call('POST', `/special-plans/${id}/return`, as.supervisor(w.districtBureau.code, w.districtAgency.districtCode!), { reason: '范围不明' })).statusCode).toBe(403);
    const blank = await call('POST', `/special-plans/${id}/return`, bureau, { reason: '' });
    expect(blank.statusCode).toBe(400);
    const returned = await call('POST', `/special-plans/${id}/return`, bureau, { reason: '未写明针对的突出问题所在区域' });
    expect(returned.json()).toMatchObject({ state: 'returned', returnedReason: '未写明针对的突出问题所在区域' });
    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-04-10')).toMatchObject({ refusal: { rule: 'SPECIAL_WITHOUT_APPROVAL' } });

    const edited = await call('PATCH', `/special-plans/${id}`, officer, { version: returned.json().version, ...fields(w.matterCode, { focus: '江岸区、武昌区校园周边食品经营者无证经营问题' }) });
    expect(edited.json()).toMatchObject({ state: 'returned', focus: '江岸区、武昌区校园周边食品经营者无证经营问题' });
    expect((await call('POST', `/special-plans/${id}/approve`, head, cityApproval)).json().state).toBe('approved');
    expect((await call('POST', `/special-plans/${id}/file`, bureau)).json().state).toBe('filed');
    const actions = (await call('GET', `/special-plans/${id}`, head)).json().history.map((h: { action: string }) => h.action);
    expect(actions).toEqual(['special_plan.drafted', 'special_plan.approved', 'special_plan.returned', 'special_plan.edited', 'special_plan.resubmitted', 'special_plan.filed']);
  });

  it('is adjusted as a new revision filed again, the filed version kept and in force for what the adjustment left in place', async () => {
    const officer = as.officer(w.cityAgency.code);
    // A registered enterprise (callers are resolved against the registry) reads what the public reads.
    const { creditCode } = await newEnterprise(t.db);
    const head = as.head(w.cityAgency.code);
    const bureau = as.supervisor(w.cityBureau.code);
    const id = (await call('POST', '/special-plans', officer, fields(w.matterCode))).json().id;
    await call('POST', `/special-plans/${id}/approve`, head, cityApproval);
    await call('POST', `/special-plans/${id}/file`, bureau);
    await call('POST', `/special-plans/${id}/publish`, head);

    expect((await call('POST', `/special-plans/${id}/amend`, officer, { reason: '延长实施期间' })).statusCode).toBe(403);
    const amended = await call('POST', `/special-plans/${id}/amend`, head, { reason: '暑期延长实施期间' });
    expect(amended.json()).toMatchObject({ state: 'draft', revision: 2, amendmentReason: '暑期延长实施期间' });
    const extended = await call('PATCH', `/special-plans/${id}`, officer, { version: amended.json().version, ...fields(w.matterCode, { endDate: '2026-08-31' }) });
    expect(extended.statusCode, extended.body).toBe(200);

    // Revision 1 stays in force for what both cover; the added months wait for the refiling.
    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-05-10')).toMatchObject({ plan: { id }, revision: 1, upperDeployed: false });
    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-08-10')).toMatchObject({
      refusal: { rule: 'PLAN_AMENDED_NOT_REFILED', article: '第十四条', passed: false },
    });
    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-09-10')).toMatchObject({ refusal: { rule: 'SPECIAL_WITHOUT_APPROVAL' } });

    // While adjusted, the draft is the agency's, but the published version stays public.
    const enterprise = as.enterprise(creditCode);
    expect((await call('GET', `/special-plans/${id}`, enterprise)).statusCode).toBe(403);
    expect((await call('GET', `/special-plans/${id}/versions`, enterprise)).json().map((v: { revision: number }) => v.revision)).toEqual([1]);

    await call('POST', `/special-plans/${id}/approve`, head, cityApproval);
    const refiled = await call('POST', `/special-plans/${id}/file`, bureau);
    expect(refiled.json()).toMatchObject({ state: 'filed', revision: 2, amendmentReason: null });
    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-08-10')).toMatchObject({ refusal: { rule: 'PLAN_AMENDED_NOT_REFILED' } });
    await call('POST', `/special-plans/${id}/publish`, head);
    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-08-10')).toMatchObject({ plan: { id }, revision: 2 });

    const versions = (await call('GET', `/special-plans/${id}/versions`, as.enterprise(creditCode))).json();
    expect(versions.map((v: { revision: number; endDate: string }) => [v.revision, v.endDate])).toEqual([
      [1, '2026-06-30'],
      [2, '2026-08-31'],
    ]);
    expect(versions.every((v: { publishedAt: string | null }) => v.publishedAt !== null)).toBe(true);
    const history = (await call('GET', `/special-plans/${id}`, head)).json().history.map((h: { action: string }) => h.action);
    expect(history).toContain('special_plan.amended');
    expect(history).toContain('special_plan.refiled');
  });
});

describeDb('第十四条 专项检查计划备案后未公布、调整后未重新报送备案的，由扫描任务提示监督', () => {
  let t: TestApp;
  let w: PlanWorld;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-05-01T10:00:00+08:00' });
    w = await newPlanWorld(t.db);
  });
  afterAll(() => t.close());

  const countOf = (reports: { job: string; count: number }[], job: string) => reports.find((r) => r.job === job)?.count;

  it('flags a filed special plan left unpublished, and an adjustment left unreported, once per revision', async () => {
    const unpublished = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { state: 'filed', filedAt: new Date('2026-04-01T02:00:00Z') });
    const recent = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { state: 'filed', filedAt: new Date('2026-04-28T02:00:00Z') });
    const adjusting = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { state: 'draft', revision: 2, amendedAt: new Date('2026-04-10T02:00:00Z') });
    await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { state: 'draft', revision: 2, amendedAt: new Date('2026-04-29T02:00:00Z') });
    await newSpecialPlan(t.db, w.districtAgency.code, [w.matterCode], { state: 'deployed', deploymentAuthority: '湖北省市场监督管理局', deploymentDocNo: '鄂市监〔2026〕8号' });

    const jobs = [specialPlanNotPublishedJob, specialPlanAmendedNotRefiledJob];
    const first = await runSweep(t.db, t.clock, {}, jobs);
    expect(countOf(first, 'special-plan-not-published')).toBe(1);
    expect(countOf(first, 'special-plan-amended-not-refiled')).toBe(1);
    expect((await runSweep(t.db, t.clock, {}, jobs)).map((r) => r.count)).toEqual([0, 0]);

    const [notPublished] = await t.db.select().from(flags).where(and(eq(flags.rule, 'PLAN_NOT_PUBLISHED'), eq(flags.subjectId, unpublished.id)));
    expect(notPublished).toMatchObject({ subjectType: 'special_plan', occurrence: 'r1', article: '第十四条', agencyCode: w.cityAgency.code });
    expect(notPublished!.detail).toContain(w.cityAgency.name);
    const [notRefiled] = await t.db.select().from(flags).where(and(eq(flags.rule, 'PLAN_AMENDED_NOT_REFILED'), eq(flags.subjectId, adjusting.id)));
    expect(notRefiled).toMatchObject({ subjectType: 'special_plan', occurrence: 'r2', article: '第十四条' });
    expect(await t.db.select().from(flags).where(eq(flags.subjectId, recent.id))).toHaveLength(0);
  });
});

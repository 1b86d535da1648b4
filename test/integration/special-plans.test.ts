import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { findUsableSpecialPlan } from '../../src/plans/usable-special-plan.js';
import { as, newAgency, newEnterprise, newMatter } from '../support/factories.js';
import { newPlanWorld, newSpecialPlan, type PlanWorld } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('special inspection plans (Art. 13–15)', () => {
  let t: TestApp;
  let w: PlanWorld;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-20T10:00:00+08:00' });
    w = await newPlanWorld(t.db);
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, who: Principal, payload?: object) =>
    t.call({ method, url: `/api/v1${url}`, as: who, ...(payload ? { payload } : {}) });
  const fields = (over: Record<string, unknown> = {}) => ({
    title: '2026年校园周边食品安全专项检查',
    focus: '校园周边食品经营者超范围经营、无证经营等突出问题',
    matterCodes: [w.matterCode],
    startDate: '2026-04-01',
    endDate: '2026-06-30',
    ...over,
  });
  const approval = { approverKind: 'same_level_government', approverName: '武汉市人民政府', approvalDocNo: '武政〔2026〕12号' };

  it('is approved by the recorded authority, filed by the same-level bureau, then published and usable', async () => {
    const officer = as.officer(w.cityAgency.code);
    const head = as.head(w.cityAgency.code);
    const created = await call('POST', '/special-plans', officer, fields());
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(created.json()).toMatchObject({ state: 'draft', deployedFromId: null });

    expect((await call('POST', `/special-plans/${id}/file`, as.supervisor(w.cityBureau.code))).json()).toMatchObject({
      code: 'INVALID_TRANSITION',
      currentState: 'draft',
    });
    expect((await call('POST', `/special-plans/${id}/approve`, officer, approval)).json().code).toBe('FORBIDDEN_ROLE');
    expect((await call('POST', `/special-plans/${id}/approve`, head, { ...approval, approvalDocNo: '' })).json().code).toBe('VALIDATION');
    const approved = await call('POST', `/special-plans/${id}/approve`, head, approval);
    expect(approved.json()).toMatchObject({ state: 'approved', ...approval, filingBureauCode: w.cityBureau.code });

    const wrong = await call('POST', `/special-plans/${id}/file`, as.supervisor(w.districtBureau.code, w.districtAgency.districtCode!));
    expect(wrong.statusCode).toBe(403);
    expect((await call('POST', `/special-plans/${id}/file`, as.supervisor(w.cityBureau.code))).json().state).toBe('filed');

    const notYet = await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-04-10');
    expect(notYet).toMatchObject({ refusal: { rule: 'SPECIAL_WITHOUT_APPROVAL', article: '第十三条', observed: { state: 'filed' } } });
    expect((await call('POST', `/special-plans/${id}/publish`, head)).json().state).toBe('published');

    expect(await findUsableSpecialPlan(t.db, id, w.cityAgency.code, w.matterCode, '2026-04-10')).toMatchObject({ plan: { id }, upperDeployed: false });
    for (const [agency, matter, day] of [
      [w.cityAgency.code, w.matterCode, '2026-07-01'],
      [w.cityAgency.code, 'OTHER', '2026-04-10'],
      [w.districtAgency.code, w.matterCode, '2026-04-10'],
    ] as const) {
      expect(await findUsableSpecialPlan(t.db, id, agency, matter, day)).toMatchObject({ refusal: { rule: 'SPECIAL_WITHOUT_APPROVAL', passed: false } });
    }

    const detail = (await call('GET', `/special-plans/${id}`, as.enterprise((await newEnterprise(t.db)).creditCode))).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
      'special_plan.drafted',
      'special_plan.approved',
      'special_plan.filed',
      'special_plan.published',
    ]);
  });

  it('refuses approval while a matter is not on the published list (Art. 7)', async () => {
    const created = (await call('POST', '/special-plans', as.officer(w.cityAgency.code), fields({ matterCodes: ['NOT-PUBLISHED-9'] }))).json();
    const res = await call('POST', `/special-plans/${created.id}/approve`, as.head(w.cityAgency.code), approval);
    expect(res.json()).toMatchObject({ code: 'MATTER_UNPUBLISHED', observed: ['NOT-PUBLISHED-9'] });
  });

  it('lets a lower agency execute its upper authority’s published plan without approval or filing, uncounted', async () => {
    const upper = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { startDate: '2026-04-01', endDate: '2026-09-30' });
    const res = await call('POST', '/special-plans', as.officer(w.districtAgency.code), fields({ deployedFromId: upper.id, startDate: '2026-05-01', endDate: '2026-08-31' }));
    expect(res.statusCode, res.body).toBe(201);
    const deployed = res.json();
    expect(deployed).toMatchObject({ state: 'deployed', deployedFromId: upper.id, approverKind: 'upper_authority', approverName: w.cityAgency.name });
    expect(await findUsableSpecialPlan(t.db, deployed.id, w.districtAgency.code, w.matterCode, '2026-05-20')).toMatchObject({
      plan: { id: deployed.id },
      upperDeployed: true,
    });
    expect((await call('POST', `/special-plans/${deployed.id}/file`, as.supervisor(w.districtBureau.code))).json()).toMatchObject({
      code: 'INVALID_TRANSITION',
      currentState: 'deployed',
      allowedEvents: [],
    });
  });

  it('refuses a deployment from an agency that is not the upper authority, an unpublished plan, or beyond its scope', async () => {
    const sibling = await newAgency(t.db, { districtCode: w.districtAgency.districtCode!, parentCode: w.cityAgency.code });
    await newMatter(t.db, sibling.code, { matterCode: w.matterCode });
    const notUpper = await newSpecialPlan(t.db, sibling.code, [w.matterCode]);
    const draftUpper = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { state: 'approved' });
    const upper = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode]);
    const cases: [string, Record<string, unknown>, string][] = [
      [notUpper.id, {}, '不是'],
      [draftUpper.id, {}, '尚未公布'],
      [upper.id, { matterCodes: [w.matterCode, 'SCJG-999'] }, 'SCJG-999'],
      [upper.id, { endDate: '2026-12-31' }, '超出'],
    ];
    for (const [deployedFromId, over, words] of cases) {
      const res = await call('POST', '/special-plans', as.officer(w.districtAgency.code), fields({ deployedFromId, ...over }));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'SPECIAL_WITHOUT_APPROVAL', article: '第十三条' });
      expect(res.json().detail).toContain(words);
    }
  });

  it('keeps drafts from other agencies and enterprises, lists published and deployed plans to all', async () => {
    const created = (await call('POST', '/special-plans', as.officer(w.cityAgency.code), fields({ title: '内部草稿' }))).json();
    expect((await call('GET', `/special-plans/${created.id}`, as.officer(w.districtAgency.code))).statusCode).toBe(403);
    const listed = (await call('GET', '/special-plans?year=2026', as.enterprise((await newEnterprise(t.db)).creditCode))).json();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((p: { state: string }) => p.state === 'published' || p.state === 'deployed')).toBe(true);
    expect((await call('POST', '/special-plans', as.officer(w.districtAgency.code), fields({ agencyCode: w.cityAgency.code }))).json().code).toBe('OUT_OF_SCOPE');
    expect((await call('POST', '/special-plans', as.officer(w.cityAgency.code), fields({ endDate: '2026-03-01' }))).json().errors[0].field).toBe('body.endDate');
  });
});

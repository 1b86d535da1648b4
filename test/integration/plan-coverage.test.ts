import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { planAndCapChecks } from '../../src/visits/plan-checks.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau, newMatter } from '../support/factories.js';
import { fullItem, newFiledPlan, newInspection } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第十三条、第十六条: a plan item states the matter, the method (现场 / 非现场), the targets (named
 * enterprises, or a class sampled at a ratio) and the frequency; an inspection is covered only by an item
 * all of them fit, and the inspection records which item covers it.
 */
describeDb('第十三条、第十六条 计划条目只涵盖其所列的检查事项、方式、对象和频次', () => {
  let t: TestApp;
  let agency: Agency;
  let matterCode: string;
  let districtCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    await newJusticeBureau(t.db);
    districtCode = (await newDistrict(t.db)).code;
    agency = await newAgency(t.db, { districtCode });
    matterCode = (await newMatter(t.db, agency.code)).matterCode;
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set('2026-05-10T10:00:00+08:00'));

  const ask = (enterpriseCode: string, mode: 'onsite' | 'offsite', id = crypto.randomUUID()) =>
    planAndCapChecks(t.db, { id, agencyCode: agency.code, enterpriseCode, kind: 'routine', mode, countedDate: '2026-05-20', matterCodes: [matterCode], specialPlanId: null });
  const planRule = (r: Awaited<ReturnType<typeof ask>>) => r.results.find((x) => x.rule === 'ROUTINE_WITHOUT_PLAN')!;

  it('an off-site item for named enterprise A, once a year, covers one off-site inspection of A and nothing else', async () => {
    const a = await newEnterprise(t.db, { districtCode });
    const b = await newEnterprise(t.db, { districtCode });
    const plan = await newFiledPlan(t.db, agency.code, 2026, [matterCode], {}, [
      fullItem(matterCode, { method: 'offsite', targetKind: 'named', targetEnterprises: [a.creditCode], targetClass: null, samplingRatio: 1, frequency: 1 }),
    ]);

    const onsiteB = planRule(await ask(b.creditCode, 'onsite'));
    expect(onsiteB).toMatchObject({ rule: 'ROUTINE_WITHOUT_PLAN', article: '第十三条', passed: false });
    expect(onsiteB.detail).toContain('不涵盖现场检查');
    expect(planRule(await ask(b.creditCode, 'offsite')).detail).toContain('不在计划所列检查对象名单内');

    const offsiteA = await ask(a.creditCode, 'offsite');
    expect(planRule(offsiteA)).toMatchObject({ passed: true });
    expect(offsiteA.coverage).toEqual([{ matterCode, planId: plan.id, revision: 1, itemId: expect.any(String), filed: true }]);

    await newInspection(t.db, { agencyCode: agency.code, enterpriseCode: a.creditCode, matterCodes: [matterCode], countedDate: '2026-03-02', mode: 'offsite', state: 'recorded' });
    const second = planRule(await ask(a.creditCode, 'offsite'));
    expect(second).toMatchObject({ passed: false });
    expect(second.detail).toContain('每户每年 1 次');
    expect(second.detail).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('a class item reaches at most its ratio of the agency’s enterprises', async () => {
    const other = await newAgency(t.db, { districtCode });
    const m = (await newMatter(t.db, other.code)).matterCode;
    const firms = [];
    for (let i = 0; i < 4; i++) firms.push(await newEnterprise(t.db, { districtCode }));
    await newFiledPlan(t.db, other.code, 2026, [m], {}, [fullItem(m, { samplingRatio: 0.25, frequency: 2 })]);
    const askOther = (code: string) =>
      planAndCapChecks(t.db, { id: crypto.randomUUID(), agencyCode: other.code, enterpriseCode: code, kind: 'routine', mode: 'onsite', countedDate: '2026-05-20', matterCodes: [m], specialPlanId: null });
    // 0.25 of the district's in-scope enterprises (4 here, 6 after the test above) is 1 or 2 enterprises.
    expect(planRule(await askOther(firms[0]!.creditCode)).passed).toBe(true);
    await newInspection(t.db, { agencyCode: other.code, enterpriseCode: firms[0]!.creditCode, matterCodes: [m], countedDate: '2026-04-01' });
    await newInspection(t.db, { agencyCode: other.code, enterpriseCode: firms[1]!.creditCode, matterCodes: [m], countedDate: '2026-04-02' });
    const third = planRule(await askOther(firms[2]!.creditCode));
    expect(third).toMatchObject({ passed: false });
    expect(third.detail).toContain('检查比例');
    // An enterprise already sampled may be visited again within the item's frequency.
    expect(planRule(await askOther(firms[0]!.creditCode)).passed).toBe(true);
  });

  it('第十三条 a matter published before submission that takes effect later in the plan year can be planned', async () => {
    const planner = await newAgency(t.db);
    const later = await newMatter(t.db, planner.code, { effectiveFrom: '2026-09-01' });
    const nextYear = await newMatter(t.db, planner.code, { effectiveFrom: '2027-01-01' });
    const call = (method: 'POST', url: string, who: ReturnType<typeof as.head>, payload?: object) =>
      t.call({ method, url: `/api/v1${url}`, as: who, ...(payload ? { payload } : {}) });
    const draft = await call('POST', '/plans', as.officer(planner.code), { year: 2026, items: [fullItem(later.matterCode), fullItem(nextYear.matterCode)] });
    expect(draft.statusCode, draft.body).toBe(201);
    const refused = await call('POST', `/plans/${draft.json().id}/submit`, as.head(planner.code));
    expect(refused.json()).toMatchObject({ code: 'MATTER_UNPUBLISHED', article: '第七条', observed: [nextYear.matterCode] });
    const edited = await t.call({ method: 'PATCH', url: `/api/v1/plans/${draft.json().id}`, as: as.officer(planner.code), payload: { version: draft.json().version, items: [fullItem(later.matterCode)] } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await call('POST', `/plans/${draft.json().id}/submit`, as.head(planner.code))).json()).toMatchObject({ state: 'submitted' });
  });
});

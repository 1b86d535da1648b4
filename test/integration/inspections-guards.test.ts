import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newAgency, newMatter } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection, newSpecialPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('guards before an inspection code is issued, each naming its rule and article', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
  });
  afterAll(() => t.close());

  async function refusal(over: Record<string, unknown>, by = w.officer) {
    const id = await approvedInspection(t, w, over, by);
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: by });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    return res.json();
  }

  it('refuses a matter not on the published list (Art. 7)', async () => {
    const body = await refusal({ matterCodes: ['NOT-PUBLISHED'] });
    expect(body).toMatchObject({ code: 'MATTER_UNPUBLISHED', article: '第七条', observed: ['NOT-PUBLISHED'] });
  });

  it('refuses a matter outside the agency’s statutory domains (Art. 3)', async () => {
    const env = await newMatter(t.db, w.agency.code, { name: '排污许可检查', domain: 'environment', foodDrug: false });
    const body = await refusal({ matterCodes: [env.matterCode] });
    const outside = body.violations.find((v: { rule: string }) => v.rule === 'AGENCY_OUT_OF_AUTHORITY');
    expect(outside).toMatchObject({ article: '第三条', observed: [`${env.matterCode}(environment)`] });
    // The message names the matter as the published list does; the domain key stays in `observed`.
    expect(outside.detail).toBe('检查事项“排污许可检查”超出本单位法定职责范围');
  });

  it('refuses fewer than two certified inspectors unless a legal basis is recorded (Art. 18(1))', async () => {
    const one = [{ name: '王晓明', certificateNo: '42010620230001' }];
    expect(await refusal({ inspectors: one })).toMatchObject({ code: 'TEAM_TOO_SMALL', article: '第十八条第（一）项', observed: 1, limit: 2 });
    const uncertified = [{ name: '王晓明', certificateNo: '42010620230001' }, { name: '协管员', certificateNo: '' }];
    expect((await refusal({ inspectors: uncertified })).code).toBe('TEAM_TOO_SMALL');
    const id = await approvedInspection(t, w, { inspectors: one, teamExceptionBasis: { law: '《中华人民共和国某某法》', article: '第二十条' } });
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).statusCode).toBe(201);
  });

  it('refuses an enterprise outside the district without an assistance arrangement (Art. 12)', async () => {
    const body = await refusal({ enterpriseCode: w.outsider.creditCode });
    expect(body).toMatchObject({ code: 'CROSS_REGION_NO_ASSISTANCE', article: '第十二条、第四十条第（九）项' });
  });

  it('refuses a city agency acting where its district counterpart should, unless escalated (Art. 11)', async () => {
    const cityOfficer = as.officer(w.city.code);
    const body = await refusal({ agencyCode: w.city.code }, cityOfficer);
    expect(body).toMatchObject({ code: 'JURISDICTION_TERRITORIAL', article: '第十一条' });
    const id = await approvedInspection(t, w, { agencyCode: w.city.code, escalationGround: 'major_or_cross_region' }, cityOfficer);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: cityOfficer })).statusCode).toBe(201);
  });

  it('asks why an off-site-capable matter is inspected on site (Art. 32)', async () => {
    expect((await refusal({ matterCodes: [w.offsiteMatter] })).code).toBe('ONSITE_WHEN_OFFSITE_SUFFICES');
  });

  it('refuses a routine inspection without a filed plan (Art. 13)', async () => {
    const noPlan = await newAgency(t.db, { districtCode: w.districtCode, domains: ['food'] });
    await newMatter(t.db, noPlan.code, { matterCode: w.matter });
    const body = await refusal({ agencyCode: noPlan.code }, as.officer(noPlan.code));
    expect(body).toMatchObject({ code: 'ROUTINE_WITHOUT_PLAN', article: '第十三条' });
  });

  it('refuses a special inspection without an approved special plan, and accepts a published one (Art. 13)', async () => {
    expect((await refusal({ kind: 'special' })).code).toBe('SPECIAL_WITHOUT_APPROVAL');
    const draft = await newSpecialPlan(t.db, w.agency.code, [w.matter], { state: 'draft' });
    expect((await refusal({ kind: 'special', specialPlanId: draft.id })).code).toBe('SPECIAL_WITHOUT_APPROVAL');
    const published = await newSpecialPlan(t.db, w.agency.code, [w.matter]);
    const id = await approvedInspection(t, w, { kind: 'special', specialPlanId: published.id });
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).statusCode).toBe(201);
  });

  it('refuses a code before the head approved the scheme (Art. 17(1))', async () => {
    const drafted = (await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w) })).json();
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${drafted.inspection.id}/code`, as: w.officer });
    expect(res.json()).toMatchObject({ code: 'ONSITE_WITHOUT_APPROVAL', article: '第十七条第（一）项' });
  });

  it('refuses a case inspection without a lead at drafting (Art. 9)', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case' }) });
    expect(res.json()).toMatchObject({ code: 'CASE_WITHOUT_LEAD', article: '第九条、第十三条' });
  });

  it('refuses a routine inspection over the yearly cap, naming observed and limit (Art. 15)', async () => {
    const e = w.enterprise.creditCode;
    // The earlier tests issued codes for other enterprises or agencies; this one reaches the cap here.
    const capped = await newAgency(t.db, { districtCode: w.districtCode, domains: ['food'] });
    await newMatter(t.db, capped.code, { matterCode: w.matter });
    const { newFiledPlan } = await import('../support/plan-factories.js');
    await newFiledPlan(t.db, capped.code, 2026, [w.matter]);
    for (const d of ['2026-01-15', '2026-03-10']) await newInspection(t.db, { agencyCode: capped.code, enterpriseCode: e, matterCodes: [w.matter], countedDate: d });
    const body = await refusal({ agencyCode: capped.code }, as.officer(capped.code));
    expect(body).toMatchObject({ code: 'FREQUENCY_CAP', article: '第十五条、第四十条第（十）项', observed: 2, limit: 2 });
    expect(body.detail).toContain('最多 2 次');
  });

  it('records every refusal on the audit chain and counts it in the rule catalogue', async () => {
    const audit = (await t.call({ method: 'GET', url: '/api/v1/audit?subjectType=inspection&limit=500', as: w.supervisor })).json();
    const refused = audit.filter((e: { action: string }) => e.action.startsWith('refused.')).map((e: { action: string }) => e.action);
    expect(refused).toEqual(expect.arrayContaining(['refused.MATTER_UNPUBLISHED', 'refused.TEAM_TOO_SMALL', 'refused.FREQUENCY_CAP']));
    const rules = (await t.call({ method: 'GET', url: '/api/v1/rules' })).json();
    expect(rules.find((r: { id: string }) => r.id === 'TEAM_TOO_SMALL').fired).toBeGreaterThanOrEqual(2);
  });
});

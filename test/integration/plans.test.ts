import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { findFiledPlanCovering } from '../../src/plans/filed-plan.js';
import { as, newAgency, newEnterprise, newMatter } from '../support/factories.js';
import { fullItem, newPlanWorld, type PlanWorld } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('annual routine plans (Art. 13–14)', () => {
  let t: TestApp;
  let w: PlanWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newPlanWorld(t.db);
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set('2026-02-10T10:00:00+08:00'));

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, who: ReturnType<typeof as.admin>, payload?: unknown, headers?: Record<string, string>) =>
    t.call({ method, url: `/api/v1${url}`, as: who, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) });

  const draft = async (agencyCode: string, year: number, items: unknown[]) => {
    const res = await call('POST', '/plans', as.officer(agencyCode), { year, items });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const submitted = async (agencyCode: string, year: number) => {
    const plan = await draft(agencyCode, year, [fullItem(w.matterCode)]);
    const res = await call('POST', `/plans/${plan.id}/submit`, as.head(agencyCode));
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('refuses to submit a plan with missing content and lists every missing field per item', async () => {
    const plan = await draft(w.cityAgency.code, 2027, [
      { matterCode: w.matterCode, targetKind: 'class', method: 'onsite', legalBasis: '《食品安全法》第一百一十条' },
      fullItem(w.matterCode, { targetKind: 'named', targetEnterprises: [], necessity: '' }),
    ]);
    expect(plan).toMatchObject({ state: 'draft', deadline: '2027-03-31', revision: 1, version: 1 });
    const res = await call('POST', `/plans/${plan.id}/submit`, as.head(w.cityAgency.code));
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({ code: 'PLAN_CONTENT', article: '第十三条' });
    expect(body.observed).toEqual([
      'items[0].targets',
      'items[0].checkItems',
      'items[0].frequency',
      'items[0].samplingRatio',
      'items[0].necessity',
      'items[1].targets',
      'items[1].necessity',
    ]);
    expect(body.detail).toContain('检查比例');
    // The refusal is on the plan's record for supervisors, and nothing changed.
    const detail = (await call('GET', `/plans/${plan.id}`, as.supervisor(w.cityBureau.code))).json();
    expect(detail.state).toBe('draft');
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['plan.drafted', 'refused.PLAN_CONTENT']);
  });

  it('refuses a matter that is not on the agency’s published list on the day of submission (Art. 7)', async () => {
    const plan = await draft(w.cityAgency.code, 2028, [fullItem('NOT-PUBLISHED-1')]);
    const res = await call('POST', `/plans/${plan.id}/submit`, as.head(w.cityAgency.code));
    expect(res.json()).toMatchObject({ code: 'MATTER_UNPUBLISHED', observed: ['NOT-PUBLISHED-1'] });
  });

  it('lets only the agency’s own head submit', async () => {
    const plan = await draft(w.cityAgency.code, 2029, [fullItem(w.matterCode)]);
    expect((await call('POST', `/plans/${plan.id}/submit`, as.officer(w.cityAgency.code))).json().code).toBe('FORBIDDEN_ROLE');
    const other = await call('POST', `/plans/${plan.id}/submit`, as.head(w.districtAgency.code));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('OUT_OF_SCOPE');
  });

  it('returns a plan with reasons; the agency edits and resubmits; the bureau files it', async () => {
    const plan = await submitted(w.districtAgency.code, 2026);
    expect(plan).toMatchObject({ state: 'submitted', filingBureauCode: w.districtBureau.code, upperAuthorityCode: w.cityAgency.code });
    const sup = as.supervisor(w.districtBureau.code, w.districtAgency.districtCode!);
    expect((await call('POST', `/plans/${plan.id}/return`, sup, {})).json().code).toBe('VALIDATION');
    const returned = await call('POST', `/plans/${plan.id}/return`, sup, { reason: '检查比例过高，请结合信用风险分类调整' });
    expect(returned.json()).toMatchObject({ state: 'returned', returnedReason: '检查比例过高，请结合信用风险分类调整' });

    const stale = await call('PATCH', `/plans/${plan.id}`, as.officer(w.districtAgency.code), { version: 1, items: [fullItem(w.matterCode)] });
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: returned.json().version });
    const edited = await call('PATCH', `/plans/${plan.id}`, as.officer(w.districtAgency.code), {
      version: returned.json().version,
      items: [fullItem(w.matterCode, { samplingRatio: 0.03 })],
    });
    expect(edited.json()).toMatchObject({ state: 'returned', items: [{ samplingRatio: 0.03 }] });
    const resubmitted = await call('POST', `/plans/${plan.id}/submit`, as.head(w.districtAgency.code));
    expect(resubmitted.json().state).toBe('submitted');
    const filed = await call('POST', `/plans/${plan.id}/file`, sup);
    expect(filed.json()).toMatchObject({ state: 'filed', filedLate: false, filedBy: sup.sub });

    const detail = (await call('GET', `/plans/${plan.id}`, sup)).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
      'plan.drafted',
      'plan.submitted',
      'plan.returned',
      'plan.edited',
      'plan.resubmitted',
      'plan.filed',
    ]);
    // 第十四条: the return is recorded as what the article asks, with the rule on the audit chain.
    expect(detail.history[2]).toMatchObject({ before: 'submitted', after: 'returned', payload: { rule: 'PLAN_RETURNED', article: '第十四条', reason: '检查比例过高，请结合信用风险分类调整' } });
  });

  it('lets only the same-level justice bureau file: not a district bureau for a city plan, not another district’s bureau', async () => {
    const agency = await newAgency(t.db, { name: '武汉市应急管理局（测试）' });
    await newMatter(t.db, agency.code, { matterCode: w.matterCode });
    const cityPlan = await submitted(agency.code, 2026);
    const byDistrict = await call('POST', `/plans/${cityPlan.id}/file`, as.supervisor(w.districtBureau.code, w.districtAgency.districtCode!));
    expect(byDistrict.statusCode).toBe(403);
    expect(byDistrict.json().code).toBe('OUT_OF_SCOPE');
    expect(byDistrict.json().detail).toContain(w.cityBureau.name);

    const otherAgency = await newAgency(t.db, { districtCode: w.districtAgency.districtCode!, parentCode: w.cityAgency.code });
    await newMatter(t.db, otherAgency.code, { matterCode: w.matterCode });
    const dPlan = await submitted(otherAgency.code, 2026);
    for (const wrong of [as.supervisor(w.otherDistrictBureau.code, 'X'), as.supervisor(w.cityBureau.code)]) {
      const res = await call('POST', `/plans/${dPlan.id}/file`, wrong);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('OUT_OF_SCOPE');
    }
    expect((await call('POST', `/plans/${cityPlan.id}/file`, as.supervisor(w.cityBureau.code))).json().state).toBe('filed');
  });

  it('第十三条 judges 31 March by the agency’s submission: the bureau filing on 1 April is its own pace, a submission on 1 April is late', async () => {
    const onTimeAgency = await newAgency(t.db);
    const lateAgency = await newAgency(t.db);
    for (const a of [onTimeAgency, lateAgency]) await newMatter(t.db, a.code, { matterCode: w.matterCode });
    const sup = as.supervisor(w.cityBureau.code);
    t.clock.set('2026-03-31T23:59:00+08:00');
    const onTime = await submitted(onTimeAgency.code, 2026);
    expect(onTime).toMatchObject({ submittedOn: '2026-03-31', submittedLate: false });
    const late = await draft(lateAgency.code, 2026, [fullItem(w.matterCode)]);

    t.clock.set('2026-04-01T00:00:30+08:00');
    const overdue = (await call('GET', '/plans?overdue=true&year=2026', sup)).json().map((p: { id: string }) => p.id);
    expect(overdue).toContain(late.id);
    expect(overdue).not.toContain(onTime.id);
    // The bureau files on 1 April: recorded as the bureau's pace, never the agency's violation.
    expect((await call('POST', `/plans/${onTime.id}/file`, sup)).json()).toMatchObject({ state: 'filed', filedLate: true, submittedLate: false, overdue: false });
    expect(await t.db.select().from(flags).where(eq(flags.agencyCode, onTimeAgency.code))).toHaveLength(0);

    const lateSubmit = await call('POST', `/plans/${late.id}/submit`, as.head(lateAgency.code));
    expect(lateSubmit.json()).toMatchObject({ state: 'submitted', submittedOn: '2026-04-01', submittedLate: true });
    const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'PLAN_FILING_DEADLINE'), eq(flags.agencyCode, lateAgency.code)));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ subjectType: 'agency', subjectId: lateAgency.code, occurrence: '2026', article: '第十三条', observed: '2026-04-01', limitValue: '2026-03-31' });
  });

  it('第十四条 keeps the first submission’s standing for a returned plan resubmitted within the period, not after it', async () => {
    const sup = as.supervisor(w.cityBureau.code);
    const within = await newAgency(t.db);
    const after = await newAgency(t.db);
    for (const a of [within, after]) await newMatter(t.db, a.code, { matterCode: w.matterCode });
    t.clock.set('2026-03-25T10:00:00+08:00');
    const p1 = await submitted(within.code, 2026);
    const p2 = await submitted(after.code, 2026);
    t.clock.set('2026-03-30T10:00:00+08:00');
    const returned = await call('POST', `/plans/${p1.id}/return`, sup, { reason: '检查比例偏高' });
    expect(returned.json()).toMatchObject({ state: 'returned', resubmitBy: '2026-04-14' });
    await call('POST', `/plans/${p2.id}/return`, sup, { reason: '检查比例偏高' });

    t.clock.set('2026-04-14T18:00:00+08:00');
    expect((await call('POST', `/plans/${p1.id}/submit`, as.head(within.code))).json()).toMatchObject({ submittedOn: '2026-03-25', submittedLate: false });
    t.clock.set('2026-04-15T09:00:00+08:00');
    expect((await call('POST', `/plans/${p2.id}/submit`, as.head(after.code))).json()).toMatchObject({ submittedOn: '2026-04-15', submittedLate: true });
    const byAgency = async (code: string) => t.db.select().from(flags).where(and(eq(flags.rule, 'PLAN_FILING_DEADLINE'), eq(flags.agencyCode, code)));
    expect(await byAgency(within.code)).toHaveLength(0);
    expect(await byAgency(after.code)).toHaveLength(1);
  });

  it('第十四条第二款 keeps every filed version: what the amendment did not change stays in force, changed and new items wait for filing', async () => {
    const agency = await newAgency(t.db);
    await newMatter(t.db, agency.code, { matterCode: w.matterCode });
    const second = await newMatter(t.db, agency.code);
    const third = await newMatter(t.db, agency.code);
    const sup = as.supervisor(w.cityBureau.code);
    const head = as.head(agency.code);
    const plan = await draft(agency.code, 2026, [fullItem(w.matterCode), fullItem(second.matterCode)]);
    await call('POST', `/plans/${plan.id}/submit`, head);
    await call('POST', `/plans/${plan.id}/file`, sup);
    expect((await call('POST', `/plans/${plan.id}/publish`, head)).json().state).toBe('published');
    expect(await findFiledPlanCovering(t.db, agency.code, 'OTHER-MATTER', 2026)).toMatchObject({ refusal: { rule: 'ROUTINE_WITHOUT_PLAN', passed: false } });
    expect(await findFiledPlanCovering(t.db, agency.code, w.matterCode, 2027)).toMatchObject({ refusal: { rule: 'ROUTINE_WITHOUT_PLAN' } });

    t.clock.set('2026-06-15T10:00:00+08:00');
    const amended = (await call('POST', `/plans/${plan.id}/amend`, head, { reason: '调整检查频次并新增检查事项' })).json();
    expect(amended).toMatchObject({ state: 'draft', revision: 2, needsRefiling: true });
    const edited = await call('PATCH', `/plans/${plan.id}`, as.officer(agency.code), {
      version: amended.version,
      items: [fullItem(w.matterCode), fullItem(second.matterCode, { frequency: 2 }), fullItem(third.matterCode)],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    // Unchanged: still covered by the filed version. Changed and new: wait for filing.
    expect(await findFiledPlanCovering(t.db, agency.code, w.matterCode, 2026)).toMatchObject({ plan: { id: plan.id }, revision: 1, item: { matterCode: w.matterCode } });
    for (const m of [second.matterCode, third.matterCode]) {
      expect(await findFiledPlanCovering(t.db, agency.code, m, 2026)).toMatchObject({ refusal: { rule: 'PLAN_AMENDED_NOT_REFILED', article: '第十四条', passed: false } });
    }
    const pending = (await call('GET', `/plans/${plan.id}/versions/compare?from=1`, sup)).json();
    expect(pending).toMatchObject({ from: 1, to: null });
    expect(pending.unchanged.map((i: { matterCode: string }) => i.matterCode)).toEqual([w.matterCode]);
    expect(pending.added.map((i: { matterCode: string; frequency: number }) => [i.matterCode, i.frequency])).toEqual([[second.matterCode, 2], [third.matterCode, 1]]);
    expect(pending.removed.map((i: { matterCode: string; frequency: number }) => [i.matterCode, i.frequency])).toEqual([[second.matterCode, 1]]);

    await call('POST', `/plans/${plan.id}/submit`, head);
    const refiled = await call('POST', `/plans/${plan.id}/file`, sup);
    expect(refiled.json()).toMatchObject({ state: 'filed', needsRefiling: false, revision: 2 });
    expect(await findFiledPlanCovering(t.db, agency.code, third.matterCode, 2026)).toMatchObject({ plan: { id: plan.id }, revision: 2 });
    const versions = (await call('GET', `/plans/${plan.id}/versions`, sup)).json();
    expect(versions.map((v: { revision: number; items: unknown[] }) => [v.revision, v.items.length])).toEqual([[1, 2], [2, 3]]);
    const compared = (await call('GET', `/plans/${plan.id}/versions/compare?from=1&to=2`, sup)).json();
    expect(compared).toMatchObject({ from: 1, to: 2 });
    expect(compared.added).toHaveLength(2);
    expect((await call('GET', `/plans/${plan.id}/versions/compare?from=9`, sup)).json()).toMatchObject({ code: 'VALIDATION' });
  });

  it('answers an impossible transition with 409, the current state and the allowed events', async () => {
    const plan = await draft(w.cityAgency.code, 2030, [fullItem(w.matterCode)]);
    const res = await call('POST', `/plans/${plan.id}/publish`, as.head(w.cityAgency.code));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'draft', allowedEvents: ['EDIT', 'SUBMIT'] });
  });

  it('keeps drafts from enterprises and other agencies; published plans are public', async () => {
    const plan = await draft(w.cityAgency.code, 2031, [fullItem(w.matterCode)]);
    const ent = as.enterprise((await newEnterprise(t.db)).creditCode);
    expect((await call('GET', `/plans/${plan.id}`, ent)).json().code).toBe('OUT_OF_SCOPE');
    expect((await call('GET', `/plans/${plan.id}`, as.officer(w.districtAgency.code))).statusCode).toBe(403);
    const listed = (await call('GET', '/plans', ent)).json();
    expect(listed.every((p: { state: string }) => p.state === 'published')).toBe(true);
  });

  it('creates a plan once per Idempotency-Key and refuses a second plan for the same year', async () => {
    const agency = await newAgency(t.db);
    const headers = { 'idempotency-key': 'plan-create-0001' };
    const first = await call('POST', '/plans', as.officer(agency.code), { year: 2026, items: [] }, headers);
    const again = await call('POST', '/plans', as.officer(agency.code), { year: 2026, items: [] }, headers);
    expect(first.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const dup = await call('POST', '/plans', as.officer(agency.code), { year: 2026, items: [] });
    expect(dup.json()).toMatchObject({ code: 'ALREADY_EXISTS', planId: first.json().id });
    expect((await call('POST', '/plans', as.officer(agency.code), { agencyCode: w.cityAgency.code, year: 2032 })).json().code).toBe('OUT_OF_SCOPE');
  });
});

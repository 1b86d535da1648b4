import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { enterpriseNotices } from '../../src/db/schema/index.js';
import { as, newAgency, newJusticeBureau, newMatter } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { fullItem, newFiledPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第十三条 asks the agency to report its annual plan (报…备案), 第十四条 asks the bureau to file (备案) what
 * meets the conditions: filing, not approval. A reported plan covers routine inspections while it waits;
 * a returned one stops its returned items; an amended item is usable once it is reported again.
 */
describeDb('reported annual plans (第十三条、第十四条)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let citySup: Principal;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
    citySup = as.supervisor((await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code);
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set('2026-03-20T10:00:00+08:00'));

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, who: Principal, payload?: object) =>
    t.call({ method, url: `/api/v1${url}`, as: who, ...(payload ? { payload } : {}) });

  /** A district agency of the world's district with its own published matter and a plan of `items`, submitted. */
  async function agencyWithSubmittedPlan(name: string) {
    const agency = await newAgency(t.db, { name, districtCode: w.districtCode, parentCode: w.city.code, domains: ['food', 'market'] });
    const matter = (await newMatter(t.db, agency.code)).matterCode;
    const second = (await newMatter(t.db, agency.code)).matterCode;
    const broad = (m: string) => fullItem(m, { samplingRatio: 1, frequency: 12 });
    const plan = (await api('POST', '/plans', as.officer(agency.code), { year: 2026, items: [broad(matter), broad(second)] })).json();
    const submitted = await api('POST', `/plans/${plan.id}/submit`, as.head(agency.code));
    expect(submitted.json(), submitted.body).toMatchObject({ state: 'submitted', submittedLate: false });
    return { agency, matter, second, plan, broad };
  }

  const draftRoutine = (agencyCode: string, matterCode: string) =>
    api('POST', '/inspections', as.officer(agencyCode), draftBody(w, { agencyCode, matterCodes: [matterCode] }));
  /** The draft's failed plan check (drafting lists the checks; code issuance refuses on them), or undefined. */
  const failedPlanCheck = async (agencyCode: string, matterCode: string) => {
    const res = await draftRoutine(agencyCode, matterCode);
    expect(res.statusCode, res.body).toBe(201);
    return (res.json().checks as { rule: string; passed: boolean; article: string; detail?: string }[]).find(
      (c) => !c.passed && (c.rule === 'ROUTINE_WITHOUT_PLAN' || c.rule === 'PLAN_AMENDED_NOT_REFILED'),
    );
  };

  describe('第十四条 备案是备案，不是批准', () => {
    it('第十三条、第十四条 accepts a routine inspection under a plan reported on time and waiting on the bureau, and shows the wait as the bureau’s backlog', async () => {
      const { agency, matter, plan } = await agencyWithSubmittedPlan('武昌区应急管理局（报送待备案）');
      const res = await draftRoutine(agency.code, matter);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().checks.filter((c: { passed: boolean; rule: string }) => !c.passed && c.rule === 'ROUTINE_WITHOUT_PLAN')).toEqual([]);
      expect(res.json().inspection.planCoverage).toEqual([expect.objectContaining({ matterCode: matter, planId: plan.id, filed: false })]);

      t.clock.set('2026-04-10T10:00:00+08:00');
      const board = (await api('GET', '/stats/dashboard?year=2026', citySup)).json();
      const backlog = board.plans.bureau.backlog as { bureauCode: string; pending: number; oldestSubmittedOn: string; longestWaitDays: number }[];
      const row = backlog.find((b) => b.pending > 0 && b.oldestSubmittedOn === '2026-03-20');
      expect(row).toMatchObject({ pending: expect.any(Number), longestWaitDays: 21 });
      expect(row!.bureauCode).toBe(plan.filingBureauCode ?? (await api('GET', `/plans/${plan.id}`, citySup)).json().filingBureauCode);
    });

    it('第十四条 stops the returned items of a returned plan until it is resubmitted', async () => {
      const { agency, matter, plan } = await agencyWithSubmittedPlan('武昌区生态环境分局（退回）');
      const returned = await api('POST', `/plans/${plan.id}/return`, w.supervisor, { reason: '检查比例偏高' });
      expect(returned.json(), returned.body).toMatchObject({ state: 'returned' });
      const refused = await failedPlanCheck(agency.code, matter);
      expect(refused).toMatchObject({ rule: 'ROUTINE_WITHOUT_PLAN' });
      expect(refused!.detail).toContain('退回');
      expect(refused!.detail).toContain('第十四条');

      const resubmitted = await api('POST', `/plans/${plan.id}/submit`, as.head(agency.code));
      expect(resubmitted.json()).toMatchObject({ state: 'submitted' });
      expect(await failedPlanCheck(agency.code, matter)).toBeUndefined();
    });

    it('第十四条第二款 an amended item is usable once reported, not only once the bureau files it again', async () => {
      const { agency, matter, second, plan, broad } = await agencyWithSubmittedPlan('武昌区城市管理执法局（调整）');
      await api('POST', `/plans/${plan.id}/file`, w.supervisor);
      const amended = (await api('POST', `/plans/${plan.id}/amend`, as.head(agency.code), { reason: '调整检查频次' })).json();
      expect(amended).toMatchObject({ state: 'draft', needsRefiling: true });
      const edited = await api('PATCH', `/plans/${plan.id}`, as.officer(agency.code), { version: amended.version, items: [broad(matter), broad(second), fullItem(second, { frequency: 3 })] });
      expect(edited.statusCode, edited.body).toBe(200);

      // Before it is reported: the unchanged items stay in force, the new one waits.
      expect(await failedPlanCheck(agency.code, matter)).toBeUndefined();
      expect(await failedPlanCheck(agency.code, second)).toBeUndefined(); // its filed item is unchanged and still covers it

      const pendingOnly = (await newMatter(t.db, agency.code)).matterCode;
      const again = (await api('GET', `/plans/${plan.id}`, as.officer(agency.code))).json();
      await api('PATCH', `/plans/${plan.id}`, as.officer(agency.code), { version: again.version, items: [broad(matter), broad(second), broad(pendingOnly)] });
      const unreported = await failedPlanCheck(agency.code, pendingOnly);
      expect(unreported).toMatchObject({ rule: 'PLAN_AMENDED_NOT_REFILED', article: '第十四条' });
      expect(unreported!.detail).toContain('尚未报送备案');

      // Reported (submitted), not yet filed: usable.
      expect((await api('POST', `/plans/${plan.id}/submit`, as.head(agency.code))).json()).toMatchObject({ state: 'submitted', needsRefiling: true });
      const reported = await draftRoutine(agency.code, pendingOnly);
      expect(reported.statusCode, reported.body).toBe(201);
      expect(reported.json().inspection.planCoverage[0]).toMatchObject({ matterCode: pendingOnly, filed: false });
    });

    it('第三十二条 an off-site plan item covers an on-site follow-up with its stated reason, and sends the enterprise no 违法行为告知提示', async () => {
      const agency = await newAgency(t.db, { name: '武昌区市场监督管理局（非现场计划）', districtCode: w.districtCode, parentCode: w.city.code, domains: ['food', 'market'] });
      const matter = (await newMatter(t.db, agency.code, { name: '企业公示信息抽查（测试）', domain: 'market', offsiteCapable: true, foodDrug: false })).matterCode;
      await newFiledPlan(t.db, agency.code, 2026, [matter], {}, [fullItem(matter, { method: 'offsite', samplingRatio: 1, frequency: 12 })]);
      const without = await failedPlanCheck(agency.code, matter);
      expect(without).toMatchObject({ rule: 'ROUTINE_WITHOUT_PLAN' });
      expect(without!.detail).toContain('第三十二条');

      const reason = '企业公示的年报数据与现场经营情况明显不符，书面核查难以达到检查目的';
      const res = await api('POST', '/inspections', as.officer(agency.code), draftBody(w, { agencyCode: agency.code, matterCodes: [matter], offsiteFollowUpReason: reason }));
      expect(res.statusCode, res.body).toBe(201);
      const failed = (res.json().checks as { rule: string; passed: boolean }[]).filter((c) => !c.passed).map((c) => c.rule);
      expect(failed).not.toContain('ROUTINE_WITHOUT_PLAN');
      expect(failed).not.toContain('ONSITE_WHEN_OFFSITE_SUFFICES');
      expect(res.json().inspection).toMatchObject({ mode: 'onsite', offsiteFollowUpReason: reason });
      expect(await t.db.select().from(enterpriseNotices).where(eq(enterpriseNotices.agencyCode, agency.code))).toEqual([]);
      // The reason widens the plan's cover, so it is a declaration the supervisors see and may reject (issue 22).
      const declared = await api('GET', `/declarations?agency=${agency.code}&kind=offsite_follow_up_reason`, citySup);
      expect(declared.json()).toEqual([expect.objectContaining({ kind: 'offsite_follow_up_reason', subjectId: res.json().inspection.id, status: 'pending' })]);
    });

    it('第十三条 still refuses a routine inspection when no plan has been reported', async () => {
      const agency = await newAgency(t.db, { name: '武昌区水务局（未报送）', districtCode: w.districtCode, domains: ['food', 'market'] });
      const matter = (await newMatter(t.db, agency.code)).matterCode;
      await api('POST', '/plans', as.officer(agency.code), { year: 2026, items: [fullItem(matter)] });
      const res = await failedPlanCheck(agency.code, matter);
      expect(res).toMatchObject({ rule: 'ROUTINE_WITHOUT_PLAN', article: '第十三条' });
      expect(res!.detail).toContain('尚未报送');
    });
  });
});

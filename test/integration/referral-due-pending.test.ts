import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDays, calendarYears, flags, inspections } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { referralNotReceivedJob } from '../../src/sweeper/jobs/referral-not-received.js';
import { referralOverdueJob } from '../../src/sweeper/jobs/referral-overdue.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { findingsWithReferrals, newCompetentAgency, referralBody } from '../support/referral-factories.js';
import { anotherInstance, createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The bundled official calendar ends with 2026; the State Council publishes 2027's arrangement late in
 * 2026. A violation found from mid-December has its 10th working day in 2027.
 */
const YEAR_2027 = {
  source: '国办发明电〔2026〕X号（测试）',
  holidays: [{ date: '2027-01-01', name: '元旦' }],
  workdays: [],
};

describe('第二十三条 十个工作日的期限落入尚未录入工作日历的年度', () => {
  describeDb('检查记录照常保存，移送期限待定并提醒管理员；录入该年度后期限即行补定', () => {
    let t: TestApp;
    let w: InspectionWorld;
    let env: Agency;
    const admin = as.admin();
    let fromFindings: string;
    let inspectionId: string;
    let byHand: string;

    beforeAll(async () => {
      t = await createTestApp();
      w = await newInspectionWorld(t);
      env = await newCompetentAgency(t.db, w);
    });
    afterAll(() => t.close());

    const referral = async (id: string) => (await t.call({ method: 'GET', url: `/api/v1/referrals/${id}`, as: w.officer })).json();
    const openAlerts = async () => (await t.call({ method: 'GET', url: '/api/v1/admin/alerts?state=open', as: admin })).json();
    const overdueFlags = (id: string) => t.db.select().from(flags).where(and(eq(flags.rule, 'REFERRAL_OVERDUE'), eq(flags.subjectId, id)));

    it('十二月中旬发现不属于本单位管辖的违法行为：检查情况照常记录，移送照常立项，期限待定：2027年工作日历尚未录入', async () => {
      const out = await findingsWithReferrals(t, w, '2026-12-18T15:00:00+08:00', [{ description: '厂区东侧露天焚烧废弃包装物', competentAgencyCode: env.code }]);
      inspectionId = out.inspectionId;
      const [i] = await t.db.select().from(inspections).where(eq(inspections.id, inspectionId));
      expect(i!.findings).not.toBeNull();
      expect(out.referrals).toHaveLength(1);
      fromFindings = out.referrals[0]!.id;
      expect(await referral(fromFindings)).toMatchObject({ foundOn: '2026-12-18', dueDate: null, dueDatePending: '期限待定：2027年工作日历尚未录入', overdue: false, state: 'opened' });
    });

    it('人工移送亦同；管理员收到一条该年度的提醒，其他角色无权查看', async () => {
      t.clock.set('2026-12-28T10:00:00+08:00');
      const res = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ dueDate: null, dueDatePending: '期限待定：2027年工作日历尚未录入' });
      byHand = res.json().id;
      const alerts = await openAlerts();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ kind: 'calendar_year_missing', key: '2027', state: 'open', occurrences: 2 });
      expect(alerts[0].detail).toContain('2027年法定节假日和调休安排尚未录入');
      expect(alerts[0].detail).toContain('第二十三条');
      expect((await t.call({ method: 'GET', url: '/api/v1/admin/alerts', as: w.officer })).statusCode).toBe(403);
      expect((await t.call({ method: 'GET', url: '/api/v1/admin/alerts', as: w.supervisor })).statusCode).toBe(403);
    });

    it('期限待定的移送不视为逾期：巡检不标记、不报错，也不列入逾期清单', async () => {
      t.clock.set('2027-01-20T10:00:00+08:00');
      expect(await runSweep(t.db, t.clock, {}, [referralOverdueJob])).toEqual([{ job: 'referral-overdue', count: 0 }]);
      const overdue = (await t.call({ method: 'GET', url: '/api/v1/referrals?overdue=true', as: w.supervisor })).json();
      expect(overdue.map((x: { id: string }) => x.id)).not.toContain(fromFindings);
      const sent = (await t.call({ method: 'POST', url: `/api/v1/referrals/${byHand}/send`, as: w.officer, payload: {} })).json();
      expect(sent).toMatchObject({ state: 'sent', sentOn: '2027-01-20', dueDate: null, overdue: false });
      expect(sent.flags).toEqual([]);
    });

    it('录入2027年安排时，在同一事务中补定待定期限（元旦计入）、解除提醒；补定后已逾期移送的予以标记', async () => {
      t.clock.set('2027-01-25T10:00:00+08:00');
      const put = await t.call({ method: 'PUT', url: '/api/v1/calendar/years/2027', as: admin, payload: YEAR_2027 });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ year: 2027, referralDueDatesSet: 2 });
      // 2026-12-18 (Fri): ten working days skip 2027-01-01 (元旦) and end on Monday 4 January.
      expect(await referral(fromFindings)).toMatchObject({ dueDate: '2027-01-04', dueDatePending: null, overdue: true });
      // 2026-12-28: due 2027-01-12; sent on 2027-01-20, late.
      expect(await referral(byHand)).toMatchObject({ dueDate: '2027-01-12', dueDatePending: null, overdue: true });
      const [late] = await overdueFlags(byHand);
      expect(late).toMatchObject({ article: '第二十三条', observed: '2027-01-20', limitValue: '2027-01-12' });
      expect(await openAlerts()).toEqual([]);
      const [resolved] = (await t.call({ method: 'GET', url: '/api/v1/admin/alerts?state=resolved', as: admin })).json();
      expect(resolved).toMatchObject({ key: '2027', state: 'resolved', resolution: '2027年节假日安排已录入，2件移送的期限已补定' });
      const history = (await referral(fromFindings)).history.map((e: { action: string }) => e.action);
      expect(history).toContain('referral.due_date_set');
      // The unsent one is now past its date: the sweeper flags it, as any other.
      expect(await runSweep(t.db, t.clock, {}, [referralOverdueJob])).toEqual([{ job: 'referral-overdue', count: 1 }]);
      expect(await overdueFlags(fromFindings)).toHaveLength(1);
    });
  });

  describeDb('巡检不臆测尚未录入年度的工作日：按工作日计算的标记暂停判断，并提醒管理员', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ start: '2027-01-20T10:00:00+08:00' });
    });
    afterAll(() => t.close());

    it('移送逾期巡检照常运行；逾期未接收巡检报告该年度未录入并提醒管理员，提醒只有一条', async () => {
      const jobs = [referralOverdueJob, referralNotReceivedJob];
      const [overdue, notReceived] = await runSweep(t.db, t.clock, {}, jobs);
      expect(overdue).toEqual({ job: 'referral-overdue', count: 0 });
      expect(notReceived).toMatchObject({ job: 'referral-not-received', count: 0, error: expect.stringContaining('2027') });
      await runSweep(t.db, t.clock, {}, jobs);
      const alerts = (await t.call({ method: 'GET', url: '/api/v1/admin/alerts?state=open', as: as.admin() })).json();
      expect(alerts).toEqual([expect.objectContaining({ kind: 'calendar_year_missing', key: '2027', occurrences: 2, evidence: { year: 2027, job: 'referral-not-received' } })]);
    });
  });

  describeDb('另一实例刚录入该年度：移送按事务内读取的日历计算期限，不因缓存而期限待定', () => {
    let a: TestApp;
    let b: TestApp;
    let w: InspectionWorld;
    let env: Agency;
    beforeAll(async () => {
      a = await createTestApp({ start: '2026-12-28T10:00:00+08:00' });
      b = await anotherInstance(a);
      b.clock.set('2026-12-28T10:00:00+08:00');
      w = await newInspectionWorld(a);
      env = await newCompetentAgency(a.db, w);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
    });

    it('实例乙缓存的日历尚无2027年，实例甲录入后，乙人工移送即得到期限，且不提醒管理员', async () => {
      expect((await b.call({ method: 'GET', url: '/api/v1/calendar/years', as: w.officer })).json().years).not.toContain(2027);
      expect((await a.call({ method: 'PUT', url: '/api/v1/calendar/years/2027', as: as.admin(), payload: YEAR_2027 })).statusCode).toBe(200);
      const res = await b.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ dueDate: '2027-01-12', dueDatePending: null });
      expect((await a.call({ method: 'GET', url: '/api/v1/admin/alerts', as: as.admin() })).json()).toEqual([]);
    });
  });

  describeDb('该年度随内置官方数据更新而已知（未经录入）：巡检补定待定期限', () => {
    let t: TestApp;
    let w: InspectionWorld;
    let env: Agency;
    beforeAll(async () => {
      t = await createTestApp();
      w = await newInspectionWorld(t);
      env = await newCompetentAgency(t.db, w);
    });
    afterAll(() => t.close());

    it('移送逾期巡检先补定期限、解除提醒，再按补定的期限判断逾期', async () => {
      const { referrals: [r] } = await findingsWithReferrals(t, w, '2026-12-18T15:00:00+08:00', [{ description: '露天焚烧废弃包装物', competentAgencyCode: env.code }]);
      expect(r).toMatchObject({ dueDate: null });
      // As a release whose bundled data covers 2027 would make it known: no year entry, no settling then.
      await t.db.insert(calendarYears).values({ year: 2027, source: '内置数据（测试）', createdAt: new Date() });
      await t.db.insert(calendarDays).values({ day: '2027-01-01', kind: 'holiday', name: '元旦' });
      t.clock.set('2027-01-25T10:00:00+08:00');
      expect(await runSweep(t.db, t.clock, {}, [referralOverdueJob])).toEqual([{ job: 'referral-overdue', count: 1 }]);
      const after = (await t.call({ method: 'GET', url: `/api/v1/referrals/${r!.id}`, as: w.officer })).json();
      expect(after).toMatchObject({ dueDate: '2027-01-04', dueDatePending: null, overdue: true });
      expect((await t.call({ method: 'GET', url: '/api/v1/admin/alerts?state=open', as: as.admin() })).json()).toEqual([]);
      expect(await runSweep(t.db, t.clock, {}, [referralOverdueJob])).toEqual([{ job: 'referral-overdue', count: 0 }]);
    });
  });
});

describe('第二十三条 工作日历更正后，已计算的移送期限随之重新计算', () => {
  describeDb('更正某一日或重新录入年度', () => {
    let t: TestApp;
    let w: InspectionWorld;
    let env: Agency;
    beforeAll(async () => {
      t = await createTestApp({ start: '2026-09-29T10:00:00+08:00' });
      w = await newInspectionWorld(t);
      env = await newCompetentAgency(t.db, w);
    });
    afterAll(() => t.close());

    it('期限内的某一工作日更正为节假日，期限顺延一日并记入审计；期限以外的更正不改变期限', async () => {
      const r = (await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code) })).json();
      expect(r.dueDate).toBe('2026-10-19');
      const admin = as.admin();
      const later = await t.call({ method: 'PUT', url: '/api/v1/calendar/days/2026-11-02', as: admin, payload: { kind: 'holiday', name: '测试假日', source: '更正通知（测试）' } });
      expect(later.json()).toMatchObject({ referralDueDatesMoved: 0 });
      const inside = await t.call({ method: 'PUT', url: '/api/v1/calendar/days/2026-10-12', as: admin, payload: { kind: 'holiday', name: '测试假日', source: '更正通知（测试）' } });
      expect(inside.statusCode, inside.body).toBe(200);
      expect(inside.json()).toMatchObject({ referralDueDatesMoved: 1 });
      const after = (await t.call({ method: 'GET', url: `/api/v1/referrals/${r.id}`, as: w.officer })).json();
      expect(after.dueDate).toBe('2026-10-20');
      expect(after.history.at(-1)).toMatchObject({ action: 'referral.due_date_recounted', payload: { dueDateBefore: '2026-10-19', dueDate: '2026-10-20' } });
    });
  });
});

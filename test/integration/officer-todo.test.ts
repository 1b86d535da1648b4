import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Issue 24: a scheme submitted with failed pre-checks carries the officer's reason as its own field, the
 * head reads every failed rule before approving, and each person's to-do list is scoped by role.
 */
describeDb('检查方案预检未通过仍提交的理由、负责人审批前可见的规则结果与待办（第十七条第（一）项）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let failedId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
  });
  afterAll(async () => t?.close());

  describe('第十八条第（一）项 一名检查人员的方案', () => {
    it('stores the reason for submitting despite failed rules, and the head sees the failed rule with its article and the reason', async () => {
      const reason = '另一名执法人员已在途中，到场后补录（情况说明见附件）';
      const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { inspectors: [{ name: '王晓明', certificateNo: '42010620230001' }], failedChecksReason: reason }) });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      failedId = body.inspection.id;
      expect(body.inspection.failedChecksReason).toBe(reason);
      expect(body.checks.find((c: { rule: string }) => c.rule === 'TEAM_TOO_SMALL')).toMatchObject({ passed: false });

      const seen = await t.call({ method: 'GET', url: `/api/v1/inspections/${failedId}/checks`, as: w.head });
      expect(seen.statusCode).toBe(200);
      expect(seen.json().failedChecksReason).toBe(reason);
      const failed = seen.json().checks.filter((c: { passed: boolean }) => !c.passed);
      expect(failed.map((c: { rule: string }) => c.rule)).toContain('TEAM_TOO_SMALL');
      expect(failed.find((c: { rule: string }) => c.rule === 'TEAM_TOO_SMALL').article).toContain('第十八条');
    });

    it('keeps the reason on the record when the scheme is amended, and another agency cannot read its checks', async () => {
      const patched = await t.call({ method: 'PATCH', url: `/api/v1/inspections/${failedId}`, as: w.officer, payload: { failedChecksReason: '补充说明：第二名执法人员10时到场' } });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().inspection.failedChecksReason).toBe('补充说明：第二名执法人员10时到场');
      const other = await t.call({ method: 'GET', url: `/api/v1/inspections/${failedId}/checks`, as: as.head(w.city.code) });
      expect(other.statusCode).toBe(403);
    });
  });

  describe('待办（按身份）', () => {
    it('the head counts schemes awaiting approval, and the officer sees a returned scheme with the reason', async () => {
      const head = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: w.head })).json();
      const approvals = head.lists.find((l: { key: string }) => l.key === 'approvals');
      expect(approvals.count).toBeGreaterThanOrEqual(1);
      expect(approvals.entries.map((e: { text: string }) => e.text).join()).toContain(w.enterprise.name);

      const returned = await t.call({ method: 'POST', url: `/api/v1/inspections/${failedId}/return`, as: w.head, payload: { reason: '请补足两名执法人员' } });
      expect(returned.statusCode).toBe(200);
      const officer = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: w.officer })).json();
      const mine = officer.lists.find((l: { key: string }) => l.key === 'returned');
      expect(mine.count).toBe(1);
      expect(mine.entries[0]).toMatchObject({ id: failedId });
      expect(mine.entries[0].text).toContain('请补足两名执法人员');
      expect(officer.total).toBe(officer.lists.reduce((n: number, l: { count: number }) => n + l.count, 0));
    });

    it('an amendment answers the return: the scheme leaves the officer’s returned list', async () => {
      await t.call({ method: 'PATCH', url: `/api/v1/inspections/${failedId}`, as: w.officer, payload: { inspectors: [{ name: '王晓明', certificateNo: '42010620230001' }, { name: '陈丽华', certificateNo: '42010620230002' }] } });
      const officer = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: w.officer })).json();
      expect(officer.lists.find((l: { key: string }) => l.key === 'returned').count).toBe(0);
    });

    it('a supervisor and an enterprise get their own lists; an admin has none', async () => {
      const sup = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: w.supervisor })).json();
      expect(sup.lists.map((l: { key: string }) => l.key)).toEqual(['flags', 'overdue', 'overdueNotices', 'answeredNotices']);
      const ent = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: as.enterprise(w.enterprise.creditCode) })).json();
      expect(ent.lists.map((l: { key: string }) => l.key)).toEqual(['results', 'deadlines']);
      expect((await t.call({ method: 'GET', url: '/api/v1/me/todo', as: as.admin() })).statusCode).toBe(403);
    });
  });

  describe('第六条 监督：待办计数不设上限', () => {
    /** Open flags against the world's agency, in one multi-row insert: a register as a busy district has it, made cheaply. */
    const openFlags = async (n: number) =>
      t.db.insert(flags).values(
        Array.from({ length: n }, (_, k) => ({
          id: randomUUID(),
          rule: 'TEAM_TOO_SMALL',
          article: '第十八条第（一）项',
          severity: 'high',
          subjectType: 'inspection',
          subjectId: randomUUID(),
          agencyCode: w.agency.code,
          districtCode: w.districtCode,
          detail: `测试标记 ${k + 1}`,
          raisedAt: new Date(Date.UTC(2026, 3, 1, 0, 0, k % 60)),
        })),
      );

    it('counts 520 new flags as 520 (counted in SQL, not capped at a page) and shows only the first 20', async () => {
      const before = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: w.supervisor })).json();
      const had = before.lists.find((l: { key: string }) => l.key === 'flags').count;
      await openFlags(520);
      const sup = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: w.supervisor })).json();
      const list = sup.lists.find((l: { key: string }) => l.key === 'flags');
      expect(list.count).toBe(had + 520);
      expect(list.entries).toHaveLength(20);
      expect(sup.total).toBe(sup.lists.reduce((n: number, l: { count: number }) => n + l.count, 0));
      // Another district's supervisor counts none of them (Art. 6: each reviews its own jurisdiction).
      const bureau = await newJusticeBureau(t.db, { districtCode: w.otherDistrictCode });
      const other = (await t.call({ method: 'GET', url: '/api/v1/me/todo', as: as.supervisor(bureau.code, w.otherDistrictCode) })).json();
      expect(other.lists.find((l: { key: string }) => l.key === 'flags').count).toBe(0);
    });
  });

  it('labels name every rule in Chinese with its article, so no screen shows a rule id', async () => {
    const labels = (await t.call({ method: 'GET', url: '/api/v1/labels' })).json();
    expect(labels.rules.TEAM_TOO_SMALL.title).toMatch(/[\u4e00-\u9fa5]/);
    expect(labels.rules.TEAM_TOO_SMALL.article).toContain('第十八条');
  });

  it('/me names the unit for the header', async () => {
    const me = (await t.call({ method: 'GET', url: '/api/v1/me', as: w.officer })).json();
    expect(me.unitName).toBe(w.agency.name);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Issue 11: every rule refusal reaches the audit chain against the command's refusal subject, so the
 * supervisors (第三十八条) see it; and a refusal's message names states and actions in Chinese only.
 */
describeDb('规则拒绝记入审计链：检查码（第十七条）、个案检查线索（第十三条），状态以中文表述', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
  });
  afterAll(() => t.close());

  const auditOf = async (subjectId: string) =>
    (await t.call({ method: 'GET', url: `/api/v1/audit?subjectId=${subjectId}&limit=100`, as: w.supervisor })).json() as { action: string; subjectType: string; districtCode: string | null }[];

  it('第十七条：扫描已撤销的检查码被拒绝（ONSITE_WITHOUT_CODE），拒绝记入该检查的审计记录', async () => {
    const id = await approvedInspection(t, w);
    const code = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json().code as string;
    await t.call({ method: 'POST', url: `/api/v1/codes/${code}/revoke`, as: w.head, payload: { reason: '检查人员变更' } });
    t.clock.set('2026-04-08T10:00:00+08:00');
    const scan = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: {} });
    expect(scan.json()).toMatchObject({ code: 'ONSITE_WITHOUT_CODE', article: expect.stringContaining('第十七条') });
    const refused = (await auditOf(id)).filter((e) => e.action === 'refused.ONSITE_WITHOUT_CODE');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ subjectType: 'inspection', districtCode: w.districtCode });
  });

  it('第十三条：没有线索来源的个案检查不能制定方案，拒绝记入被检查企业的审计记录', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case' }) });
    expect(res.json()).toMatchObject({ rule: 'CASE_WITHOUT_LEAD' });
    const refused = (await auditOf(w.enterprise.creditCode)).filter((e) => e.action === 'refused.CASE_WITHOUT_LEAD');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ subjectType: 'enterprise', districtCode: w.districtCode });
  });

  it('状态不允许的操作被拒绝时，说明以中文表述当前状态和操作，不出现英文标识', async () => {
    const id = await approvedInspection(t, w);
    await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
    const again = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json();
    expect(again).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'code_issued' });
    expect(again.detail).toBe('检查当前状态为“已获取检查码”，不能获取检查码');
    expect(again.detail).not.toMatch(/[A-Za-z]/);
  });
});

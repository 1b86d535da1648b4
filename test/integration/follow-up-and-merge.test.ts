import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../src/db/schema/index.js';
import { newAgency, newEnterprise } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('follow-ups and merges of an agency’s own inspections (Art. 13 ¶3, 20 ¶2)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-02T09:00:00+08:00' });
    w = await newInspectionWorld(t, { cap: 50 });
  });
  afterAll(() => t.close());

  const auditOf = (subjectId: string, action: string) =>
    t.db.select().from(auditEntries).where(and(eq(auditEntries.subjectId, subjectId), eq(auditEntries.action, action)));

  describe('第二十条第二款 跟踪检查由作出责令停止或改正的行政执法主体对原企业实施', () => {
    const order = { countedDate: '2026-03-10', state: 'result_notified', followUpDue: '2026-03-31', outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕8号', dueDate: '2026-03-31' } };
    const followUp = (followUpOf: string, over: Record<string, unknown> = {}) =>
      t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case', leadKind: 'follow_up', leadRef: '武昌市监责改〔2026〕8号', followUpOf, ...over }) });

    it('accepts a follow-up by the ordering agency at the same enterprise that names the order', async () => {
      const original = await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], ...order });
      const res = await followUp(original.id);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().inspection.followUpOf).toBe(original.id);
    });

    it('refuses a followUpOf naming another agency’s inspection, another enterprise’s, or one that ordered nothing, naming the field', async () => {
      const other = await newAgency(t.db, { districtCode: w.districtCode });
      const ofOtherAgency = await newInspection(t.db, { agencyCode: other.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], ...order });
      const elsewhere = await newEnterprise(t.db, { districtCode: w.districtCode });
      const ofOtherEnterprise = await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: elsewhere.creditCode, matterCodes: [w.matter], ...order });
      const noOrder = await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-03-10' });
      for (const id of [ofOtherAgency.id, ofOtherEnterprise.id, noOrder.id, '00000000-0000-4000-8000-000000000000']) {
        const res = await followUp(id);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().errors[0].field).toBe('body.followUpOf');
      }
    });

    it('refuses a case inspection led by a follow-up that names no original', async () => {
      const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case', leadKind: 'follow_up', leadRef: 'x' }) });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors[0].field).toBe('body.followUpOf');
    });
  });

  describe('第十三条第三款 个案现场检查与尚未执行的计划检查任务合并实施', () => {
    const caseDraft = async (over: Record<string, unknown> = {}) => {
      const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case', leadKind: 'complaint', leadRef: '12345热线-20260401-88', ...over }) });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().inspection.id as string;
    };

    it('sends an approved scheme that gains matters back for the head’s approval, on the audit chain', async () => {
      const planned = await approvedInspection(t, w);
      const caseId = await caseDraft({ matterCodes: [w.matter, w.offsiteMatter], onsiteReason: '需现场核对库存' });
      const merged = await t.call({ method: 'POST', url: `/api/v1/inspections/${caseId}/merge`, as: w.officer, payload: { into: planned } });
      expect(merged.statusCode, merged.body).toBe(200);
      const target = (await t.call({ method: 'GET', url: `/api/v1/inspections/${planned}`, as: w.officer })).json().inspection;
      expect(target).toMatchObject({ state: 'draft', matterCodes: [w.matter, w.offsiteMatter] });
      const [entry] = await auditOf(planned, 'inspection.returned_for_approval');
      expect(entry).toMatchObject({ beforeState: 'approved', afterState: 'draft' });
      expect(entry!.payload).toMatchObject({ mergedFrom: caseId, addedMatters: [w.offsiteMatter] });
      // No code on the changed scheme until the head approves it again.
      const code = await t.call({ method: 'POST', url: `/api/v1/inspections/${planned}/code`, as: w.officer });
      expect(code.json()).toMatchObject({ code: 'ONSITE_WITHOUT_APPROVAL', article: '第十七条第（一）项' });
      expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${planned}/approve`, as: w.head, payload: {} })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${planned}`, as: w.officer })).json().inspection.state).toBe('approved');
    });

    it('keeps an approved scheme approved when the merge adds no matter, and still records the merge on it', async () => {
      const planned = await approvedInspection(t, w);
      const caseId = await caseDraft();
      expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${caseId}/merge`, as: w.officer, payload: { into: planned } })).statusCode).toBe(200);
      expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${planned}`, as: w.officer })).json().inspection.state).toBe('approved');
      expect(await auditOf(planned, 'inspection.merge_received')).toHaveLength(1);
    });

    it('refuses adding matters to a scheme that has its code, with the reason, leaving it untouched', async () => {
      const planned = await approvedInspection(t, w);
      expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${planned}/code`, as: w.officer })).statusCode).toBe(201);
      const caseId = await caseDraft({ matterCodes: [w.matter, w.offsiteMatter], onsiteReason: '需现场核对库存' });
      const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${caseId}/merge`, as: w.officer, payload: { into: planned } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ field: 'body.into' });
      expect(res.json().detail).toContain('已获取检查码');
      expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${planned}`, as: w.officer })).json().inspection).toMatchObject({ state: 'code_issued', matterCodes: [w.matter] });
    });
  });
});

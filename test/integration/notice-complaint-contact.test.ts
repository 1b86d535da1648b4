import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';
import { noticeInput } from '../../src/visits/documents.js';
import { codeOfInspection, findInspection } from '../../src/visits/repository.js';
import { FALLBACK_COMPLAINT_CONTACT } from '../../src/codes/notice-pdf.js';

/**
 * The 行政检查通知书 tells the enterprise where to complain (第十八条第（三）项 rights, 第四十一条): the
 * agency's own complaint contact from its registry row, kept by the administrator like the rest of it.
 */
describeDb('第二十一条 行政检查通知书：文书编号与本单位登记的投诉举报渠道', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
  });
  afterAll(() => t.close());

  const notice = async (id: string) => {
    const i = (await findInspection(t.db, id))!;
    const code = (await codeOfInspection(t.db, id))!;
    return noticeInput(t.db, i, code, 'https://jc.example', code.issuedAt);
  };

  it('prints no contact of its own until the agency records one (the renderer then prints the city hotline)', async () => {
    const { id, code } = await issuedCode(t, w);
    const input = await notice(id);
    expect(input.complaintContacts).toEqual([]);
    expect(input.documentNo).toBe(`检通〔2026〕${code}号`);
    expect(FALLBACK_COMPLAINT_CONTACT).toContain('12345');
  });

  it('takes the complaint contact the administrator recorded on the agency', async () => {
    const contact = '武昌区市场监督管理局投诉举报电话 027-88886666';
    const patched = await t.call({ method: 'PATCH', url: `/api/v1/agencies/${w.agency.code}`, as: as.admin(), payload: { complaintContact: contact } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().complaintContact).toBe(contact);
    const { id } = await issuedCode(t, w, { windowStart: '2026-04-09T09:00:00+08:00', windowEnd: '2026-04-09T17:00:00+08:00' });
    expect((await notice(id)).complaintContacts).toEqual([contact]);
  });

  it('answers a contact too long with a 400 naming the field', async () => {
    const res = await t.call({ method: 'PATCH', url: `/api/v1/agencies/${w.agency.code}`, as: as.admin(), payload: { complaintContact: 'x'.repeat(201) } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('complaintContact');
  });
});

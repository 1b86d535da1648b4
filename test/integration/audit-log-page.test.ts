import { afterEach, beforeEach, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/append.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第八条、第二十四条 全过程记录、可追溯：what the supervisors' audit page reads — entries filtered by action,
 * agency and time, with the agency's and the enterprise's names, and their CSV export within the jurisdiction.
 */
let t: TestApp;
let city: ReturnType<typeof as.supervisor>;
let agencyCode: string;

beforeEach(async () => {
  t = await createTestApp();
  city = as.supervisor((await newJusticeBureau(t.db)).code);
  await newDistrict(t.db, { code: '420102', name: '江岸区' });
  const agency = await newAgency(t.db, { name: '江岸区市场监督管理局（测试）', level: 'district', districtCode: '420102' });
  agencyCode = agency.code;
  const enterprise = await newEnterprise(t.db, { name: '武汉测试食品有限公司' });
  const entry = (action: string, at: string, subjectId: string) =>
    appendAudit(t.db, { at: new Date(at), actor: `officer:${agency.code}`, role: 'officer', action, subjectType: 'inspection', subjectId, agencyCode: agency.code, enterpriseCode: enterprise.creditCode, districtCode: '420102', payload: {} });
  await entry('inspection.drafted', '2026-03-30T01:00:00Z', 'a');
  await entry('inspection.approved', '2026-03-31T17:30:00Z', '=1+2');
});
afterEach(() => t.close());

const get = (url: string, who = city) => t.call({ method: 'GET', url, as: who });

describeDb('第八条、第二十四条 审计日志页：筛选、名称与导出', () => {
  it('filters by action and by time, and names the agency and the enterprise', async () => {
    const res = await get(`/api/v1/audit?action=inspection.approved&agency=${agencyCode}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([expect.objectContaining({ action: 'inspection.approved', agencyName: '江岸区市场监督管理局（测试）', enterpriseName: '武汉测试食品有限公司' })]);
    const day = await get(`/api/v1/audit?agency=${agencyCode}&from=${encodeURIComponent('2026-03-30T00:00:00+08:00')}&to=${encodeURIComponent('2026-04-01T00:00:00+08:00')}`);
    expect(day.json().map((e: { action: string }) => e.action)).toEqual(['inspection.drafted']);
  });

  it('names the enterprise that acted by its name, and no enterprise for an officer or a subject that only looks alike', async () => {
    const actor = await newEnterprise(t.db, { name: '武汉举报人贸易有限公司' });
    const report = (actorSubject: string, role: 'enterprise' | 'officer', subjectId: string) =>
      appendAudit(t.db, { at: new Date('2026-04-02T02:00:00Z'), actor: actorSubject, role, action: 'enterprise_report.filed', subjectType: 'enterprise_report', subjectId, agencyCode, districtCode: '420102', payload: {} });
    await report(`enterprise:${actor.creditCode}`, 'enterprise', 'r1');
    await report(`officer:${actor.creditCode}`, 'officer', 'r2');
    await report(`enterprisex${actor.creditCode}`, 'enterprise', 'r3');
    const rows = (await get(`/api/v1/audit?action=enterprise_report.filed`)).json() as { subjectId: string; actorName: string | null }[];
    expect(Object.fromEntries(rows.map((r) => [r.subjectId, r.actorName]))).toEqual({ r1: '武汉举报人贸易有限公司', r2: null, r3: null });
  });

  it('refuses a malformed action filter and a range that ends before it starts, naming the field', async () => {
    const bad = await get('/api/v1/audit?action=DROP%20TABLE');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const range = await get(`/api/v1/audit?from=${encodeURIComponent('2026-04-02T00:00:00Z')}&to=${encodeURIComponent('2026-04-01T00:00:00Z')}`);
    expect(range.statusCode).toBe(400);
    expect(JSON.stringify(range.json())).toContain('query.to');
  });

  it('exports the filtered entries as CSV: Chinese names, Beijing time, formula cells guarded', async () => {
    const res = await get(`/api/v1/audit/export.csv?agency=${agencyCode}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe('链上序号,时间（北京时间）,操作人,角色,动作,对象类型,对象编号,行政执法主体,企业,原状态,新状态,请求编号');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('批准检查方案');
    expect(lines[1]).toContain('2026-04-01 01:30');
    expect(lines[1]).toContain(`'=1+2`);
    expect(lines[1]).toContain('武汉测试食品有限公司');
  });

  it('keeps a district supervisor to the district, in the list and in the export', async () => {
    await newDistrict(t.db, { code: '420106', name: '武昌区' });
    const other = as.supervisor((await newJusticeBureau(t.db, { level: 'district', districtCode: '420106' })).code, '420106');
    expect((await get('/api/v1/audit/export.csv', other)).body).not.toContain('批准检查方案');
    expect((await get('/api/v1/audit/export.csv?district=420102', other)).statusCode).toBe(403);
    expect((await get('/api/v1/audit', other)).json()).toEqual([]);
  });
});

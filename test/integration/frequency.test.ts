import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { COUNTED_STATES, loadFrequencyFacts } from '../../src/frequency/facts.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { as, newAgency, newDistrict, newEnterprise, newJusticeBureau, newMatter } from '../support/factories.js';
import { newFrequencyRule, newInspection, newNoDisturb } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('frequency caps and the 无事不扰 list (Art. 15)', () => {
  let t: TestApp;
  let agency: Agency;
  let other: Agency;
  let ent: Enterprise;
  const matter = 'SCJG-F01';

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-05-20T10:00:00+08:00' });
    agency = await newAgency(t.db);
    other = await newAgency(t.db);
    await newMatter(t.db, agency.code, { matterCode: matter, domain: 'food' });
    await newMatter(t.db, other.code, { matterCode: 'YJGL-F01', domain: 'work_safety' });
    ent = await newEnterprise(t.db, { riskClass: 'B' });
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, who: Principal, payload?: object) =>
    t.call({ method, url: `/api/v1${url}`, as: who, ...(payload ? { payload } : {}) });
  const capRule = (over: Record<string, unknown> = {}) => ({
    issuerLevel: 'city',
    issuerName: '武汉市人民政府办公厅',
    documentNo: '武政办〔2025〕88号（示范）',
    scopeKind: 'agency',
    period: 'year',
    maxCount: 2,
    effectiveFrom: '2025-12-01',
    ...over,
  });

  it('lets admins record and retire published caps, and everyone read them', async () => {
    expect((await call('POST', '/frequency-rules', as.officer(agency.code), capRule())).json().code).toBe('FORBIDDEN_ROLE');
    expect((await call('POST', '/frequency-rules', as.admin(), capRule({ scopeKind: 'matter' }))).json().errors[0].field).toBe('body.scopeValue');
    expect((await call('POST', '/frequency-rules', as.admin(), capRule({ scopeValue: 'x' }))).json().errors[0].field).toBe('body.scopeValue');
    const yearly = await call('POST', '/frequency-rules', as.admin(), capRule());
    expect(yearly.statusCode, yearly.body).toBe(201);
    const quarterly = await call('POST', '/frequency-rules', as.admin(), capRule({ scopeKind: 'matter', scopeValue: matter, period: 'quarter', maxCount: 1, documentNo: '鄂市监〔2025〕5号（示范）', issuerLevel: 'province', issuerName: '湖北省市场监督管理局' }));
    const anomaly = await call('POST', '/frequency-rules', as.admin(), capRule({ kind: 'case_anomaly', period: 'quarter', maxCount: 3 }));
    const temporary = await call('POST', '/frequency-rules', as.admin(), capRule({ maxCount: 1 }));
    expect([quarterly.statusCode, anomaly.statusCode, temporary.statusCode]).toEqual([201, 201, 201]);

    const retire = (effectiveTo: string) => call('POST', `/frequency-rules/${temporary.json().id}/retire`, as.admin(), { effectiveTo });
    expect((await retire('2025-11-01')).json().errors[0].field).toBe('body.effectiveTo');
    expect((await retire('2026-01-31')).json().effectiveTo).toBe('2026-01-31');
    expect((await retire('2026-03-01')).json().detail).toContain('已于 2026-01-31 失效');

    const inForce = (await call('GET', '/frequency-rules?inForceOn=2026-05-20', as.enterprise(ent.creditCode))).json();
    expect(inForce.map((r: { id: string }) => r.id).sort()).toEqual([yearly.json().id, quarterly.json().id, anomaly.json().id].sort());
  });

  it('shows used, limit and remaining per cap from the inspections on record', async () => {
    const base = { agencyCode: agency.code, enterpriseCode: ent.creditCode, matterCodes: [matter] };
    await newInspection(t.db, { ...base, countedDate: '2026-02-10' });
    await newInspection(t.db, { ...base, countedDate: '2026-04-15', state: 'code_issued' });
    // Not counted: a draft, a cancelled one, a case inspection, an upper-deployed special one, last year's, another agency's.
    await newInspection(t.db, { ...base, countedDate: '2026-05-01', state: 'draft' });
    await newInspection(t.db, { ...base, countedDate: '2026-05-02', state: 'cancelled' });
    await newInspection(t.db, { ...base, countedDate: '2026-05-03', kind: 'case', countsTowardCap: false });
    await newInspection(t.db, { ...base, countedDate: '2026-05-04', kind: 'special', countsTowardCap: false });
    await newInspection(t.db, { ...base, countedDate: '2025-12-20' });
    await newInspection(t.db, { ...base, agencyCode: other.code, matterCodes: ['YJGL-F01'], countedDate: '2026-05-05' });

    const res = await call('GET', `/enterprises/${ent.creditCode}/frequency?agency=${agency.code}&matter=${matter}`, as.officer(agency.code));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ date: '2026-05-20', kind: 'routine', domain: 'food', riskClass: 'B', article: '第十五条', allowed: false, noDisturb: { listed: false } });
    const byPeriod = Object.fromEntries(body.caps.map((c: { periodKind: string }) => [c.periodKind, c]));
    expect(byPeriod.year).toMatchObject({ limit: 2, used: 2, remaining: 0, period: { start: '2026-01-01', end: '2026-12-31' } });
    expect(byPeriod.quarter).toMatchObject({ limit: 1, used: 1, remaining: 0, period: { label: '2026-Q2' }, documentNo: '鄂市监〔2025〕5号（示范）' });

    const nextYear = (await call('GET', `/enterprises/${ent.creditCode}/frequency?agency=${agency.code}&matter=${matter}&date=2027-01-04`, as.supervisor((await newJusticeBureau(t.db)).code))).json();
    expect(nextYear.caps.every((c: { used: number }) => c.used === 0)).toBe(true);
    const asCase = (await call('GET', `/enterprises/${ent.creditCode}/frequency?agency=${agency.code}&matter=${matter}&kind=case`, as.enterprise(ent.creditCode))).json();
    expect(asCase).toMatchObject({ allowed: true, caps: [], caseThresholds: [{ limit: 3, used: 1, remaining: 2 }] });
  });

  it('loads only counted states within the widest period any rule uses', async () => {
    expect(COUNTED_STATES).toContain('code_issued');
    expect(COUNTED_STATES).not.toContain('draft');
    const facts = await loadFrequencyFacts(t.db, { enterpriseCode: ent.creditCode, date: '2026-05-20', agencyCode: agency.code, matterCode: matter });
    expect(facts.history.map((h) => h.countedDate)).toEqual(['2026-02-10', '2026-04-15', '2026-05-03', '2026-05-04', '2026-05-05']);
    expect(facts.history.find((h) => h.agencyCode === other.code)?.domains).toEqual(['work_safety']);
    expect(facts.rules).toHaveLength(3);
  });

  it('answers 无事不扰: routine blocked, case allowed', async () => {
    const quiet = await newEnterprise(t.db, { riskClass: 'A' });
    await newNoDisturb(t.db, quiet.creditCode, { agencyCode: null, fromDate: '2026-01-01' });
    const url = `/enterprises/${quiet.creditCode}/frequency?agency=${agency.code}&matter=${matter}`;
    expect((await call('GET', url, as.head(agency.code))).json()).toMatchObject({ allowed: false, noDisturb: { listed: true, blocksThisKind: true } });
    expect((await call('GET', `${url}&kind=case`, as.head(agency.code))).json()).toMatchObject({ allowed: true, noDisturb: { listed: true, blocksThisKind: false } });
  });

  it('keeps the answer to the agency asked about, supervisors, admins and the enterprise itself', async () => {
    const url = `/enterprises/${ent.creditCode}/frequency?agency=${agency.code}&matter=${matter}`;
    expect((await call('GET', url, as.officer(other.code))).json().code).toBe('OUT_OF_SCOPE');
    const stranger = await newEnterprise(t.db);
    expect((await call('GET', url, as.enterprise(stranger.creditCode))).json().code).toBe('OUT_OF_SCOPE');
    expect((await call('GET', url, as.admin())).statusCode).toBe(200);
  });

  it('lets supervisors list enterprises of their district as 无事不扰, and refuses others', async () => {
    const d = await newDistrict(t.db);
    const bureau = await newJusticeBureau(t.db, { districtCode: d.code });
    const local = await newEnterprise(t.db, { districtCode: d.code });
    const elsewhere = await newEnterprise(t.db);
    const sup = as.supervisor(bureau.code, d.code);
    const entry = { fromDate: '2026-06-01', reason: '连续三年信用评价A级，无违法违规记录（示范）', basis: '武昌区人民政府办公室“无事不扰”企业清单（示范）' };
    const ok = await call('POST', '/no-disturb', sup, { ...entry, enterpriseCode: local.creditCode });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ enterpriseCode: local.creditCode, agencyCode: null, listedBy: sup.sub });
    expect((await call('POST', '/no-disturb', sup, { ...entry, enterpriseCode: elsewhere.creditCode })).json().code).toBe('OUT_OF_SCOPE');
    expect((await call('POST', '/no-disturb', as.officer(agency.code), { ...entry, enterpriseCode: local.creditCode })).json().code).toBe('FORBIDDEN_ROLE');
    const own = (await call('GET', '/no-disturb', as.enterprise(local.creditCode))).json();
    expect(own.map((e: { enterpriseCode: string }) => e.enterpriseCode)).toEqual([local.creditCode]);
    expect((await call('GET', `/no-disturb?enterprise=${elsewhere.creditCode}`, as.enterprise(local.creditCode))).json().code).toBe('OUT_OF_SCOPE');
  });
});

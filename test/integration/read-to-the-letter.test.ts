import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import type { CodeFacts } from '../../src/codes/facts.js';
import { parsePublishedKeys, verifyWithPublishedKeys } from '../../src/codes/published-keys.js';
import { resultNotNotifiedJob } from '../../src/sweeper/jobs/result-not-notified.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as } from '../support/factories.js';
import { newInspectionWorld, TEAM, type InspectionWorld, approvedInspection, draftBody } from '../support/inspection-world.js';
import { approvedTask, newJointWorld, publishedJointList } from '../support/joint-world.js';
import { newInspection } from '../support/plan-factories.js';
import { newTwoDistricts, type TwoDistricts } from '../support/supervision-factories.js';
import { flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * Issue 12, points 1, 2, 3, 4 and 10: codes, visits, teams and flag ownership read to the letter of
 * 《武汉市规范涉企行政检查办法》. Each describe names the article it reads.
 */
const rulesOf = (body: { flags: { rule: string }[] }) => body.flags.map((f) => f.rule).sort();

describeDb('第十七条第（一）项 检查前获取检查码：检查码自签发时起生效，不覆盖签发前的时间', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let ent: Principal;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 10 });
    ent = as.enterprise(w.enterprise.creditCode);
  });
  afterAll(() => t.close());

  const report = (visitedAt: string, agencyCode: string, codeShown?: string) =>
    t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: ent, payload: { visitedAt, agencyCode, description: '执法人员到店检查', ...(codeShown ? { codeShown } : {}) } });

  it('starts a code issued inside its window at its issuance, in the answer, the signed facts, the public check and the check page', async () => {
    const id = await approvedInspection(t, w); // window 2026-04-08 09:00–17:00
    t.clock.set('2026-04-08T11:00:00+08:00');
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
    expect(res.statusCode).toBe(201);
    const issued = res.json();
    expect(issued).toMatchObject({ validFrom: '2026-04-08T03:00:00.000Z', windowStart: '2026-04-08T01:00:00.000Z', validFromIssuance: true });
    expect(issued.validityNote).toContain('自签发时起生效');
    expect((issued.facts as CodeFacts).validFrom).toBe('2026-04-08T03:00:00.000Z');
    // The signature covers the effective start: an offline verifier with the published keys accepts it.
    const keys = parsePublishedKeys((await t.call({ method: 'GET', url: '/.well-known/inspection-keys' })).json());
    expect(verifyWithPublishedKeys(keys, issued.facts, issued.kid, issued.signature)).toBe(true);

    const signed = `?k=${issued.kid}&s=${issued.signature}`;
    const check = (await t.call({ method: 'GET', url: `/api/v1/codes/${issued.code}${signed}` })).json();
    expect(check).toMatchObject({ status: 'valid', validFrom: '2026-04-08T03:00:00.000Z', validFromIssuance: true });
    expect(check.validityNote).toContain('自签发时起生效');
    const page = await t.call({ method: 'GET', url: `/v/${issued.code}${signed}` });
    expect(page.body).toContain('自签发时起生效');
    expect(page.body).toContain('11:00 至 17:00');

    // A visit before the code existed is not covered by it, whatever its window says (Art. 17, 40(5)).
    t.clock.set('2026-04-08T12:00:00+08:00');
    const before = await report('2026-04-08T10:00:00+08:00', w.agency.code, issued.code);
    expect(before.json()).toMatchObject({ authorised: false, validCode: null });
    expect(rulesOf(before.json())).toEqual(['ONSITE_WITHOUT_CODE']);
    const after = await report('2026-04-08T11:30:00+08:00', w.agency.code, issued.code);
    expect(after.json()).toMatchObject({ authorised: true, validCode: issued.code, flags: [] });
  });

  it('keeps the window start when the code is issued before the window begins', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w, { windowStart: '2026-04-09T09:00:00+08:00', windowEnd: '2026-04-09T17:00:00+08:00' });
    const issued = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json();
    expect(issued).toMatchObject({ validFrom: '2026-04-09T01:00:00.000Z', validFromIssuance: false, validityNote: null });
  });
});

describeDb('第十七条、第二十九条 联合检查码同样自签发时起生效', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('does not let a joint code issued at 10:00 cover a visit at 09:30', async () => {
    const w = await newJointWorld(t, { cap: 10 });
    const taskId = await approvedTask(t, w, await publishedJointList(t, w)); // window 2026-04-15 09:00–12:00
    t.clock.set('2026-04-15T10:00:00+08:00');
    const res = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${taskId}/code`, as: as.officer(w.market.code) });
    expect(res.statusCode).toBe(201);
    const [issued] = res.json().codes;
    expect(issued).toMatchObject({ validFrom: '2026-04-15T02:00:00.000Z', validFromIssuance: true });
    expect(issued.facts.validFrom).toBe('2026-04-15T02:00:00.000Z');
    expect((await t.call({ method: 'GET', url: `/api/v1/codes/${issued.code}?k=${issued.kid}&s=${issued.signature}` })).json()).toMatchObject({ validFrom: '2026-04-15T02:00:00.000Z', validFromIssuance: true });

    const ent = as.enterprise(w.enterprise.creditCode);
    const report = (visitedAt: string) =>
      t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: ent, payload: { visitedAt, agencyCode: w.fire.code, description: '联合检查到店', codeShown: issued.code } });
    t.clock.set('2026-04-15T11:00:00+08:00');
    expect(rulesOf((await report('2026-04-15T09:30:00+08:00')).json())).toEqual(['ONSITE_WITHOUT_CODE']);
    expect((await report('2026-04-15T10:30:00+08:00')).json()).toMatchObject({ authorised: true, validCode: issued.code, flags: [] });
  });
});

describeDb('第十七条 检查码仅适用于日常检查和专项检查：已登记的个案现场检查不是无码检查', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let ent: Principal;
  let caseId: string;
  const LEAD_REF = '举报人张某某 13800000000';

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 10 });
    ent = as.enterprise(w.enterprise.creditCode);
    caseId = await approvedInspection(t, w, { kind: 'case', leadKind: 'complaint', leadRef: LEAD_REF, windowStart: '2026-04-09T09:00:00+08:00', windowEnd: '2026-04-09T12:00:00+08:00' });
    t.clock.set('2026-04-09T09:10:00+08:00');
    const started = await t.call({ method: 'POST', url: `/api/v1/inspections/${caseId}/start`, as: w.officer, payload: {} });
    if (started.statusCode !== 200) throw new Error(started.body);
    t.clock.set('2026-04-09T15:00:00+08:00');
  });
  afterAll(() => t.close());

  const report = (visitedAt: string, over: Record<string, unknown> = {}) =>
    t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: ent, payload: { visitedAt, agencyText: '区市场监管局', description: '执法人员称接到投诉，到店检查', ...over } });

  it('raises neither ONSITE_WITHOUT_CODE nor DISGUISED_INSPECTION for a visit a started case inspection covers, and names it without the complainant', async () => {
    const res = await report('2026-04-09T10:00:00+08:00', { agencyCode: w.agency.code });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      authorised: false,
      validCode: null,
      flags: [],
      caseInspection: { inspectionId: caseId, kind: 'case', kindZh: '个案检查', leadKind: 'complaint', leadKindZh: '投诉举报', agencyName: w.agency.name },
    });
    expect(res.body).not.toContain('张某某');
    // The report read back later says the same.
    const again = (await t.call({ method: 'GET', url: `/api/v1/enterprise-reports/${body.id}`, as: ent })).json();
    expect(again.caseInspection).toMatchObject({ kindZh: '个案检查', leadKindZh: '投诉举报' });
  });

  it('answers the enterprise’s “is this a recorded case inspection?” with its kind and lead kind only, for its own enterprise', async () => {
    const found = await t.call({ method: 'GET', url: `/api/v1/case-visits?at=${encodeURIComponent('2026-04-09T10:00:00+08:00')}`, as: ent });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject([{ inspectionId: caseId, kindZh: '个案检查', leadKindZh: '投诉举报' }]);
    expect(found.body).not.toContain('张某某');
    const other = await t.call({ method: 'GET', url: `/api/v1/case-visits?at=${encodeURIComponent('2026-04-09T10:00:00+08:00')}`, as: as.enterprise(w.outsider.creditCode) });
    expect(other.json()).toEqual([]);
  });

  it('still flags a visit outside the case inspection’s time, by another agency, or covered only by a case never started', async () => {
    expect(rulesOf((await report('2026-04-09T13:00:00+08:00')).json())).toEqual(['ONSITE_WITHOUT_CODE']);
    expect(rulesOf((await report('2026-04-09T10:00:00+08:00', { agencyCode: w.city.code })).json())).toEqual(['ONSITE_WITHOUT_CODE']);
    t.clock.set('2026-04-02T09:00:00+08:00');
    await approvedInspection(t, w, { kind: 'case', leadKind: 'assignment', windowStart: '2026-04-10T09:00:00+08:00', windowEnd: '2026-04-10T12:00:00+08:00' });
    t.clock.set('2026-04-10T15:00:00+08:00');
    expect(rulesOf((await report('2026-04-10T10:00:00+08:00')).json())).toEqual(['ONSITE_WITHOUT_CODE']);
  });
});

describeDb('第十八条 适用于第十七条规定的现场检查，不适用于个案检查', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 10 });
  });
  afterAll(() => t.close());

  it('does not refuse an on-site case inspection with one officer under 第十八条 (TEAM_TOO_SMALL is not cited against it)', async () => {
    const drafted = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case', leadKind: 'complaint', inspectors: [TEAM[0]!] }) });
    expect(drafted.statusCode).toBe(201);
    const checks = drafted.json().checks as { rule: string; passed: boolean }[];
    expect(checks.filter((c) => !c.passed).map((c) => c.rule)).not.toContain('TEAM_TOO_SMALL');
    const id = drafted.json().inspection.id;
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: {} })).statusCode).toBe(200);
    t.clock.set('2026-04-08T09:30:00+08:00');
    const started = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} });
    expect(started.statusCode).toBe(200);
    expect(started.json().state).toBe('in_progress');
  });

  it('does not flag RESULT_NOT_NOTIFIED (第十八条第（五）项) against a case inspection; it still does against a routine one', async () => {
    const base = { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-04-01', state: 'findings_recorded' as const, findingsAt: new Date('2026-04-01T02:00:00Z') };
    const caseRow = await newInspection(t.db, { ...base, kind: 'case', leadKind: 'complaint', countsTowardCap: false });
    const routine = await newInspection(t.db, { ...base, kind: 'routine' });
    t.clock.set('2026-04-30T10:00:00+08:00');
    await runSweep(t.db, t.clock, {}, [resultNotNotifiedJob]);
    expect(await flagsOf(t.db, 'RESULT_NOT_NOTIFIED', caseRow.id)).toEqual([]);
    expect(await flagsOf(t.db, 'RESULT_NOT_NOTIFIED', routine.id)).toHaveLength(1);
  });
});

describeDb('第十八条第（一）项、第（二）项 “法律另有规定”只放宽人数，不放宽执法证件', () => {
  let t: TestApp;
  let w: InspectionWorld;
  // 第十八条第（一）项“法律另有规定”: cited as a law and an article (issue 22), kept as one citation.
  const CITED = { law: '《中华人民共和国某某法》', article: '第二十条' };
  const BASIS = '《中华人民共和国某某法》第二十条';

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 10 });
  });
  afterAll(() => t.close());

  const code = async (inspectors: object[]) => {
    const id = await approvedInspection(t, w, { inspectors, teamExceptionBasis: CITED });
    return t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
  };

  it('refuses a single inspector without a certificate even with a stated legal basis (INSPECTOR_UNCERTIFIED)', async () => {
    const res = await code([{ name: '王晓明', certificateNo: '' }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().violations).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'INSPECTOR_UNCERTIFIED', article: '第十八条第（二）项' })]));
  });

  it('refuses an uncertified companion beside a certified inspector', async () => {
    const res = await code([TEAM[0]!, { name: '协管员', certificateNo: ' ' }]);
    expect(res.json()).toMatchObject({ code: 'INSPECTOR_UNCERTIFIED', article: '第十八条第（二）项', observed: 1, limit: 0 });
  });

  it('accepts one certified inspector with the basis, and shows the basis wherever the team is shown', async () => {
    const res = await code([TEAM[0]!]);
    expect(res.statusCode).toBe(201);
    const issued = res.json();
    const signed = `?k=${issued.kid}&s=${issued.signature}`;
    t.clock.set('2026-04-08T10:00:00+08:00'); // the team is public to the QR holder once the window has opened
    expect((await t.call({ method: 'GET', url: `/api/v1/codes/${issued.code}${signed}` })).json()).toMatchObject({ inspectorCount: 1, teamExceptionBasis: BASIS });
    expect((await t.call({ method: 'GET', url: `/v/${issued.code}${signed}` })).body).toContain(BASIS);
    const story = (await t.call({ method: 'GET', url: `/api/v1/inspections/${issued.inspectionId}`, as: as.enterprise(w.enterprise.creditCode) })).json();
    expect(story.inspection.teamExceptionBasis).toBe(BASIS);
  });
});

describeDb('第六条 违规标记由被标记主体本级的司法行政部门审阅', () => {
  let t: TestApp;
  let w: TwoDistricts;
  let sup1: Principal;
  let sup2: Principal;
  let city: Principal;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newTwoDistricts(t.db);
    sup1 = as.supervisor(w.d1.bureau.code, w.d1.code);
    sup2 = as.supervisor(w.d2.bureau.code, w.d2.code);
    city = as.supervisor(w.cityBureau.code);
  });
  afterAll(() => t.close());

  // An enterprise of district 1 reports a code-less visit by the named agency.
  const reportBy = async (agencyCode?: string) => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/enterprise-reports',
      as: as.enterprise(w.d1.enterprise.creditCode),
      payload: { visitedAt: '2026-04-01T10:00:00+08:00', description: '未出示检查码', ...(agencyCode ? { agencyCode } : { agencyText: '某局' }) },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; flags: { id: string; rule: string }[] };
  };
  const listed = async (p: Principal, reportId: string) =>
    ((await t.call({ method: 'GET', url: `/api/v1/flags?subjectId=${reportId}`, as: p })).json() as { id: string }[]).map((f) => f.id).sort();

  it('keeps flags against another district’s agency away from the enterprise’s district bureau, which still reads the report', async () => {
    const r = await reportBy(w.d2.agency.code);
    const ids = r.flags.map((f) => f.id).sort();
    // No code covered the visit (第十七条, 第四十条第（五）项), and another district's agency came without an
    // assistance arrangement (第十二条, 第四十条第（九）项).
    expect(r.flags.map((f) => f.rule).sort()).toEqual(['CROSS_REGION_NO_ASSISTANCE', 'ONSITE_WITHOUT_CODE']);
    expect(await listed(sup1, r.id)).toEqual([]);
    expect(await listed(sup2, r.id)).toEqual(ids);
    expect(await listed(city, r.id)).toEqual(ids);
    const seen = await t.call({ method: 'GET', url: `/api/v1/flags/${ids[0]}`, as: sup1 });
    expect(seen.statusCode).toBe(403);
    expect(seen.json().code).toBe('OUT_OF_SCOPE');
    const dismissed = await t.call({ method: 'POST', url: `/api/v1/flags/${ids[0]}/dismiss`, as: sup1, payload: { note: '不予认定' } });
    expect(dismissed.statusCode).toBe(403);
    // The report itself stays readable to the enterprise's district bureau, without the other district's flags.
    const report = await t.call({ method: 'GET', url: `/api/v1/enterprise-reports/${r.id}`, as: sup1 });
    expect(report.statusCode).toBe(200);
    expect(report.json().flags).toEqual([]);
    expect((await t.call({ method: 'POST', url: `/api/v1/flags/${ids[0]}/acknowledge`, as: sup2, payload: {} })).json()).toMatchObject({ state: 'acknowledged' });
  });

  it('leaves a flag against a city agency to the city bureau only', async () => {
    const r = await reportBy(w.cityAgency.code);
    const ids = r.flags.map((f) => f.id).sort();
    expect(await listed(sup1, r.id)).toEqual([]);
    expect(await listed(city, r.id)).toEqual(ids);
    expect((await t.call({ method: 'POST', url: `/api/v1/flags/${ids[0]}/dismiss`, as: sup1, payload: { note: '不予认定' } })).statusCode).toBe(403);
  });

  it('gives a flag that names no agency to the bureau of the district where the visit happened', async () => {
    const r = await reportBy();
    const ids = r.flags.map((f) => f.id).sort();
    expect(await listed(sup1, r.id)).toEqual(ids);
    expect(await listed(sup2, r.id)).toEqual([]);
  });
});

import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { enterpriseReports } from '../../src/db/schema/index.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { compliantFindings, issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

// The smallest real PNG (1×1, transparent).
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describeDb('enterprise reports of visits (Art. 40, 17) and ratings of inspections', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let ent: Principal;
  let outsider: Principal;
  let citySup: Principal;
  let otherSup: Principal;
  let valid: { id: string; code: string };
  let revoked: { id: string; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
    ent = as.enterprise(w.enterprise.creditCode);
    outsider = as.enterprise(w.outsider.creditCode);
    citySup = as.supervisor((await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code);
    otherSup = as.supervisor((await newJusticeBureau(t.db, { districtCode: w.otherDistrictCode })).code, w.otherDistrictCode);
    valid = await issuedCode(t, w);
    revoked = await issuedCode(t, w, { windowStart: '2026-04-10T09:00:00+08:00', windowEnd: '2026-04-10T17:00:00+08:00' });
    const r = await t.call({ method: 'POST', url: `/api/v1/codes/${revoked.code}/revoke`, as: w.head, payload: { reason: '检查任务调整' } });
    if (r.statusCode !== 200) throw new Error(r.body);
    t.clock.set('2026-04-12T09:00:00+08:00');
  });
  afterAll(() => t.close());

  const report = (payload: Record<string, unknown>, who: Principal = ent, headers: Record<string, string> = {}) =>
    t.call({ method: 'POST', url: '/api/v1/enterprise-reports', as: who, payload, headers });
  const rulesOf = (body: { flags: { rule: string }[] }) => body.flags.map((f) => f.rule).sort();
  const base = { agencyText: '区市场监管局', description: '两名自称市场监管局的人员到店查看后厨，未出示检查码' };

  it('accepts a visit that a valid code covered, raising only the prohibitions the enterprise ticked', async () => {
    const res = await report({ ...base, visitedAt: '2026-04-08T10:30:00+08:00', agencyCode: w.agency.code, codeShown: valid.code.toLowerCase(), prohibitions: ['legal_rep_required'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ authorised: true, validCode: valid.code, codeShown: valid.code, agencyName: w.agency.name, prohibitions: ['legal_rep_required'] });
    expect(body.flags).toMatchObject([{ rule: 'LEGAL_REP_REQUIRED', article: '第四十条第（二）项', state: 'open', stateZh: '待处理' }]);
  });

  it('flags a visit with no valid code as code-less, plus each ticked prohibition (the 观摩/督导/考察 label as disguised)', async () => {
    const res = await report({
      ...base,
      visitedAt: '2026-04-07T15:00:00+08:00',
      prohibitions: ['gifts_or_meals', 'designated_intermediary', 'costs_shifted', 'repeated_testing', 'disguised_label'],
      photo: { contentType: 'image/png', dataBase64: PNG_1PX },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ authorised: false, validCode: null, photo: { contentType: 'image/png', url: `/api/v1/enterprise-reports/${body.id}/photo` } });
    expect(rulesOf(body)).toEqual(['COST_SHIFTED', 'DISGUISED_INSPECTION', 'ONSITE_WITHOUT_CODE', 'PROFIT_SEEKING', 'PROFIT_SEEKING', 'REPEATED_TESTING']);

    // The register holds them with the report as their record, in the enterprise's district.
    const flags = (await t.call({ method: 'GET', url: `/api/v1/flags?subjectType=enterprise_report&subjectId=${body.id}`, as: w.supervisor })).json();
    expect(flags).toHaveLength(6);
    const disguised = flags.find((f: { rule: string }) => f.rule === 'DISGUISED_INSPECTION');
    expect(disguised).toMatchObject({ article: '第四十条第（五）项', districtCode: w.districtCode, enterpriseCode: w.enterprise.creditCode, agencyCode: null, evidence: { reportId: body.id } });
    expect(disguised.detail).toContain('区市场监管局');
    const detail = (await t.call({ method: 'GET', url: `/api/v1/flags/${disguised.id}`, as: w.supervisor })).json();
    expect(detail.audit.map((e: { action: string }) => e.action)).toContain('enterprise_report.filed');
  });

  it('treats a revoked code as no code, and a code of another agency as not covering the named agency', async () => {
    const atRevoked = await report({ ...base, visitedAt: '2026-04-10T10:00:00+08:00', agencyCode: w.agency.code, codeShown: revoked.code });
    expect(atRevoked.json()).toMatchObject({ authorised: false, validCode: null });
    expect(rulesOf(atRevoked.json())).toEqual(['ONSITE_WITHOUT_CODE']);
    const otherAgency = await report({ ...base, visitedAt: '2026-04-08T10:30:00+08:00', agencyCode: w.city.code });
    expect(otherAgency.json()).toMatchObject({ authorised: false });
    // Named only in free text, the visitors cannot be matched to another agency's valid code of that hour
    // (issue 24): the visit is not vouched for, and the missing-code flag is raised (a disguise only with the
    // sign of its label, 第四十条第（五）项).
    const freeText = await report({ ...base, visitedAt: '2026-04-08T16:59:00+08:00' });
    expect(freeText.json()).toMatchObject({ authorised: false, validCode: null });
    expect(rulesOf(freeText.json())).toEqual(['ONSITE_WITHOUT_CODE']);
    // The code the visitors showed identifies them even when the agency was typed as text: that is the visit the
    // first test reported, so this second report is refused and points at the first (one report per visit).
    const shown = await report({ ...base, visitedAt: '2026-04-08T16:58:00+08:00', codeShown: valid.code });
    expect(shown.json()).toMatchObject({ code: 'REPORT_DUPLICATE_VISIT' });
    const first = (await t.call({ method: 'GET', url: `/api/v1/enterprise-reports/${shown.json().reportId}`, as: ent })).json();
    expect(first).toMatchObject({ authorised: true, validCode: valid.code });
  });

  it('counts a closed code as valid for the visit it authorised', async () => {
    t.clock.set('2026-04-08T10:00:00+08:00');
    await t.call({ method: 'POST', url: `/api/v1/codes/${valid.code}/scan`, as: w.officer, payload: {} });
    await compliantFindings(t, w, valid.id);
    await t.call({ method: 'POST', url: `/api/v1/inspections/${valid.id}/notify-result`, as: w.officer, payload: { method: 'on_site' } });
    const closed = await t.call({ method: 'POST', url: `/api/v1/inspections/${valid.id}/close`, as: w.officer, payload: {} });
    expect(closed.json().state).toBe('closed');
    t.clock.set('2026-04-12T09:00:00+08:00');
    // The closed code still covers the visit: the report is recognised as the code's visit, already reported.
    const again = (await report({ ...base, visitedAt: '2026-04-08T09:30:00+08:00', agencyCode: w.agency.code })).json();
    expect(again).toMatchObject({ code: 'REPORT_DUPLICATE_VISIT' });
    expect((await t.call({ method: 'GET', url: `/api/v1/enterprise-reports/${again.reportId}`, as: ent })).json()).toMatchObject({ authorised: true, validCode: valid.code });
  });

  it('refuses bad reports naming the field, and writes nothing', async () => {
    const [before] = await t.db.select({ n: count() }).from(enterpriseReports);
    const future = await report({ ...base, visitedAt: '2026-05-01T10:00:00+08:00' });
    expect(future.json()).toMatchObject({ status: 400, errors: [{ field: 'body.visitedAt' }] });
    const tooEarly = await report({ ...base, visitedAt: '2025-11-20T10:00:00+08:00' });
    expect(tooEarly.json()).toMatchObject({ status: 422, code: 'SCOPE_EFFECTIVE_DATE', article: '第四十三条' });
    const noAgency = await report({ description: '有人来检查', visitedAt: '2026-04-07T10:00:00+08:00' });
    expect(noAgency.json()).toMatchObject({ status: 400, errors: [{ field: 'body.agencyText' }] });
    const unknownAgency = await report({ ...base, visitedAt: '2026-04-07T10:00:00+08:00', agencyCode: 'NO-SUCH' });
    expect(unknownAgency.json()).toMatchObject({ status: 400, errors: [{ field: 'body.agencyCode' }] });
    const badTick = await report({ ...base, visitedAt: '2026-04-07T10:00:00+08:00', prohibitions: ['bribery'] });
    expect(badTick.statusCode).toBe(400);
    expect(badTick.json().errors[0].field).toMatch(/^body\.prohibitions/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    const notImage = await report({ ...base, visitedAt: '2026-04-07T10:00:00+08:00', photo: { contentType: 'image/png', dataBase64: svg } });
    expect(notImage.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', errors: [{ field: 'body.photo.dataBase64' }] });
    const svgType = await report({ ...base, visitedAt: '2026-04-07T10:00:00+08:00', photo: { contentType: 'image/svg+xml', dataBase64: svg } });
    expect(svgType.json()).toMatchObject({ status: 400, code: 'VALIDATION' });
    expect((await report({ ...base, visitedAt: '2026-04-07T10:00:00+08:00' }, as.officer(w.agency.code))).json().code).toBe('FORBIDDEN_ROLE');
    const [after] = await t.db.select({ n: count() }).from(enterpriseReports);
    expect(after!.n).toBe(before!.n);
  });

  it('replays a report sent twice with the same Idempotency-Key instead of filing it twice', async () => {
    const headers = { 'idempotency-key': 'report-2026-04-06-visit' };
    const first = await report({ ...base, visitedAt: '2026-04-06T10:00:00+08:00' }, ent, headers);
    const second = await report({ ...base, visitedAt: '2026-04-06T10:00:00+08:00' }, ent, headers);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    const mine = await t.call({ method: 'GET', url: '/api/v1/enterprise-reports?from=2026-04-06&to=2026-04-06', as: ent });
    expect(mine.json()).toHaveLength(1);
  });

  it('serves the photo to the enterprise and the supervisors, as the image type it was checked to be', async () => {
    const list = (await t.call({ method: 'GET', url: '/api/v1/enterprise-reports', as: ent })).json() as { id: string; photo: { url: string } | null }[];
    const withPhoto = list.find((r) => r.photo)!;
    for (const who of [ent, w.supervisor, citySup]) {
      const res = await t.call({ method: 'GET', url: withPhoto.photo!.url, as: who });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.rawPayload.equals(Buffer.from(PNG_1PX, 'base64'))).toBe(true);
    }
    expect((await t.call({ method: 'GET', url: withPhoto.photo!.url, as: outsider })).json().code).toBe('OUT_OF_SCOPE');
    expect((await t.call({ method: 'GET', url: withPhoto.photo!.url, as: otherSup })).json().code).toBe('OUT_OF_SCOPE');
  });

  it('shows the reports to the district supervisor and the city, not to another district', async () => {
    const total = (p: Principal) => t.call({ method: 'GET', url: '/api/v1/enterprise-reports', as: p }).then((r) => Number(r.headers['x-total-count']));
    // Eight reports sent, two of them second reports of one visit (refused).
    expect(await total(ent)).toBe(6);
    expect(await total(w.supervisor)).toBe(6);
    expect(await total(citySup)).toBe(6);
    expect(await total(otherSup)).toBe(0);
  });

  describe('ratings', () => {
    it('refuses a rating before the findings, by another enterprise, or out of range', async () => {
      const pending = await issuedCode(t, w, { windowStart: '2026-04-20T09:00:00+08:00', windowEnd: '2026-04-20T17:00:00+08:00' });
      const early = await t.call({ method: 'POST', url: `/api/v1/inspections/${pending.id}/rating`, as: ent, payload: { score: 5 } });
      expect(early.json()).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', currentState: 'code_issued' });
      const other = await t.call({ method: 'POST', url: `/api/v1/inspections/${valid.id}/rating`, as: outsider, payload: { score: 1 } });
      expect(other.json().code).toBe('OUT_OF_SCOPE');
      const six = await t.call({ method: 'POST', url: `/api/v1/inspections/${valid.id}/rating`, as: ent, payload: { score: 6 } });
      expect(six.json()).toMatchObject({ status: 400, errors: [{ field: 'body.score' }] });
    });

    it('rates an inspection once after its findings; supervisors of the jurisdiction read it', async () => {
      const ok = await t.call({ method: 'POST', url: `/api/v1/inspections/${valid.id}/rating`, as: ent, payload: { score: 4, comment: '检查规范，用时较短' } });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ inspectionId: valid.id, score: 4, agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode });
      const twice = await t.call({ method: 'POST', url: `/api/v1/inspections/${valid.id}/rating`, as: ent, payload: { score: 1 } });
      expect(twice.json()).toMatchObject({ status: 409, code: 'ALREADY_EXISTS' });

      const seen = (await t.call({ method: 'GET', url: '/api/v1/ratings', as: w.supervisor })).json();
      expect(seen).toMatchObject([{ score: 4, comment: '检查规范，用时较短', agencyName: w.agency.name, enterpriseName: w.enterprise.name }]);
      expect((await t.call({ method: 'GET', url: '/api/v1/ratings', as: citySup })).json()).toHaveLength(1);
      expect((await t.call({ method: 'GET', url: '/api/v1/ratings', as: otherSup })).json()).toEqual([]);
      expect((await t.call({ method: 'GET', url: '/api/v1/ratings', as: w.officer })).json().code).toBe('FORBIDDEN_ROLE');
    });
  });

  it('第四十三条 本办法自2025年12月1日起施行：以北京时间的日期判断，而非协调世界时', async () => {
    // 2025-12-01 00:30 in Beijing is still 30 November in UTC: the Order governs it.
    const first = await report({ ...base, visitedAt: '2025-12-01T00:30:00+08:00' });
    expect(first.statusCode, first.body).toBe(201);
    // 30 November 23:59 in Beijing is before it, though already 1 December in some zones east of it.
    const before = await report({ ...base, visitedAt: '2025-11-30T23:59:00+08:00' });
    expect(before.json()).toMatchObject({ status: 422, code: 'SCOPE_EFFECTIVE_DATE', article: '第四十三条' });
  });
});

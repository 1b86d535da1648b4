import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { randomUUID } from 'node:crypto';
import { enterpriseNotices } from '../../src/db/schema/index.js';
import { as, newJusticeBureau } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { compliantFindings, issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * DESIGN.md: an enterprise never sees another enterprise's data. Two enterprises, each with an inspection,
 * a rating and a report; every read path is tried across the line and must refuse or come back empty.
 */
describeDb('an enterprise sees only its own inspections, reports, ratings and notices — and no flags at all', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let a: Principal;
  let b: Principal;
  const mine: Record<'a' | 'b', { inspection: string; report: string; notice: string }> = { a: { inspection: '', report: '', notice: '' }, b: { inspection: '', report: '', notice: '' } };

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
    a = as.enterprise(w.enterprise.creditCode);
    b = as.enterprise(w.outsider.creditCode);
    // The outsider is in another district: its inspection needs the assistance arrangement on record (Art. 12).
    const ia = await issuedCode(t, w);
    const ib = await issuedCode(t, w, { enterpriseCode: w.outsider.creditCode, assistanceRef: '汉阳区协助函〔2026〕3号' });
    t.clock.set('2026-04-08T10:00:00+08:00');
    for (const [who, i] of [['a', ia], ['b', ib]] as const) {
      await t.call({ method: 'POST', url: `/api/v1/codes/${i.code}/scan`, as: w.officer, payload: {} });
      await compliantFindings(t, w, i.id);
      const rated = await t.call({ method: 'POST', url: `/api/v1/inspections/${i.id}/rating`, as: who === 'a' ? a : b, payload: { score: who === 'a' ? 5 : 2, comment: `企业${who}的评价` } });
      expect(rated.statusCode).toBe(201);
      const reported = await t.call({
        method: 'POST',
        url: '/api/v1/enterprise-reports',
        as: who === 'a' ? a : b,
        payload: { visitedAt: '2026-04-07T10:00:00+08:00', agencyText: `企业${who}所述单位`, description: `企业${who}的报告`, prohibitions: ['disguised_label'], photo: { contentType: 'image/png', dataBase64: PNG_1PX } },
      });
      expect(reported.statusCode).toBe(201);
      // An off-site notice (Art. 37) to each, as the off-site capability writes it.
      const notice = randomUUID();
      await t.db.insert(enterpriseNotices).values({
        id: notice, rule: 'OFFSITE_NOTICE', article: '第三十七条', agencyCode: w.agency.code, enterpriseCode: who === 'a' ? w.enterprise.creditCode : w.outsider.creditCode,
        title: `企业${who}的告知提示`, observed: '排放数据超标', observedAt: new Date('2026-04-05T02:00:00Z'), ruleBasis: '《排污许可管理条例》第十七条', howToCorrect: '排查处理设施',
        contact: { department: '执法科', phone: '027-00000000' }, body: `企业${who}：排放数据超标`, issuedBy: w.officer.sub, issuedAt: new Date('2026-04-05T03:00:00Z'),
      });
      mine[who] = { inspection: i.id, report: reported.json().id, notice };
    }
  });
  afterAll(() => t.close());

  const get = (url: string, who: Principal) => t.call({ method: 'GET', url, as: who });

  it('lists only its own inspections, and cannot widen the list to another enterprise', async () => {
    expect((await get('/api/v1/inspections', a)).json().map((i: { id: string }) => i.id)).toEqual([mine.a.inspection]);
    expect((await get('/api/v1/inspections', b)).json().map((i: { id: string }) => i.id)).toEqual([mine.b.inspection]);
    expect((await get(`/api/v1/inspections?enterprise=${w.outsider.creditCode}`, a)).json().code).toBe('OUT_OF_SCOPE');
  });

  it('cannot open, rate or scan into another enterprise’s inspection', async () => {
    const res = await get(`/api/v1/inspections/${mine.b.inspection}`, a);
    expect(res.json().code).toBe('OUT_OF_SCOPE');
    expect(res.body).not.toContain(w.outsider.name);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${mine.b.inspection}/rating`, as: a, payload: { score: 1 } })).json().code).toBe('OUT_OF_SCOPE');
    // Its own inspection shows no agency-internal history.
    expect((await get(`/api/v1/inspections/${mine.a.inspection}`, a)).json().history).toEqual([]);
  });

  it('lists only its own reports; another’s report and photo are refused without content', async () => {
    const list = (await get('/api/v1/enterprise-reports', a)).json();
    expect(list.map((r: { id: string }) => r.id)).toEqual([mine.a.report]);
    expect(JSON.stringify(list)).not.toContain('企业b');
    expect((await get(`/api/v1/enterprise-reports?enterprise=${w.outsider.creditCode}`, a)).json().code).toBe('OUT_OF_SCOPE');
    for (const url of [`/api/v1/enterprise-reports/${mine.b.report}`, `/api/v1/enterprise-reports/${mine.b.report}/photo`]) {
      const res = await get(url, a);
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('企业b');
    }
  });

  it('sees which rules its own report raised and their state, but no supervisor’s note', async () => {
    const flag = (await t.call({ method: 'GET', url: `/api/v1/flags?subjectId=${mine.a.report}&rule=DISGUISED_INSPECTION`, as: w.supervisor })).json()[0];
    await t.call({ method: 'POST', url: `/api/v1/flags/${flag.id}/dismiss`, as: w.supervisor, payload: { note: '内部核查意见：系该局预约座谈' } });
    const report = (await get(`/api/v1/enterprise-reports/${mine.a.report}`, a)).json();
    expect(report.flags.map((f: { rule: string }) => f.rule).sort()).toEqual(['DISGUISED_INSPECTION', 'ONSITE_WITHOUT_CODE']);
    expect(report.flags.find((f: { rule: string }) => f.rule === 'DISGUISED_INSPECTION')).toMatchObject({ state: 'dismissed', stateZh: '不予认定' });
    expect(JSON.stringify(report)).not.toContain('内部核查意见');
  });

  it('lists only its own ratings, even when it asks for another’s inspection', async () => {
    expect((await get('/api/v1/ratings', a)).json()).toMatchObject([{ inspectionId: mine.a.inspection, score: 5 }]);
    expect((await get(`/api/v1/ratings?inspection=${mine.b.inspection}`, a)).json()).toEqual([]);
  });

  it('reads only its own off-site notices, and cannot open or mark another’s', async () => {
    expect((await get('/api/v1/enterprise-notices', a)).json().map((n: { id: string }) => n.id)).toEqual([mine.a.notice]);
    const other = await get(`/api/v1/enterprise-notices/${mine.b.notice}`, a);
    expect(other.json().code).toBe('OUT_OF_SCOPE');
    expect(other.body).not.toContain('企业b');
    expect((await t.call({ method: 'POST', url: `/api/v1/enterprise-notices/${mine.b.notice}/read`, as: a })).json().code).toBe('OUT_OF_SCOPE');
  });

  it('cannot read the violation register, a flag, the dashboard or the exports', async () => {
    const urls = ['/api/v1/flags', '/api/v1/stats/dashboard', '/api/v1/flags/export.csv?from=2026-01-01&to=2026-12-31', '/api/v1/inspections/export.csv?from=2026-01-01&to=2026-12-31'];
    // The outsider's report lies in another district: the city bureau's supervisor finds its flag.
    const flag = (await t.call({ method: 'GET', url: `/api/v1/flags?subjectId=${mine.b.report}`, as: as.supervisor((await newJusticeBureau(t.db)).code) })).json()[0];
    for (const url of [...urls, `/api/v1/flags/${flag.id}`]) {
      const res = await get(url, a);
      expect(res.json().code, url).toBe('FORBIDDEN_ROLE');
      expect(res.body).not.toContain(w.outsider.creditCode);
    }
  });
});

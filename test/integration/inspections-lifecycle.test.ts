import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parsePublishedKeys, verifyWithPublishedKeys } from '../../src/codes/published-keys.js';
import { as } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('an on-site routine inspection from draft to archive (Art. 17–25)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let id: string;
  let code: string;
  let issued: { code: string; kid: string; signature: string; facts: unknown; checkUrl: string };

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
  });
  afterAll(() => t.close());

  it('drafts a scheme and pre-checks every guard', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.inspection).toMatchObject({ state: 'draft', stateZh: '检查方案草稿', entityScope: 'in_scope', countedDate: '2026-04-08' });
    expect(body.checks.every((c: { passed: boolean }) => c.passed)).toBe(true);
    expect(body.checks.map((c: { rule: string }) => c.rule)).toEqual(
      expect.arrayContaining(['MATTER_UNPUBLISHED', 'AGENCY_OUT_OF_AUTHORITY', 'TEAM_TOO_SMALL', 'CROSS_REGION_NO_ASSISTANCE', 'ROUTINE_WITHOUT_PLAN', 'FREQUENCY_CAP']),
    );
    id = body.inspection.id;
  });

  it('lets only the agency head approve the scheme', async () => {
    const byOfficer = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.officer, payload: {} });
    expect(byOfficer.statusCode).toBe(403);
    const otherHead = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(w.city.code), payload: {} });
    expect(otherHead.json().code).toBe('OUT_OF_SCOPE');
    const ok = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: { note: '同意' } });
    expect(ok.json()).toMatchObject({ state: 'approved', approvedBy: w.head.sub });
  });

  it('issues a signed code naming the agency, enterprise, matters, window and team', async () => {
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer });
    expect(res.statusCode).toBe(201);
    issued = res.json();
    code = issued.code;
    expect(code).toMatch(/^JC-2026-/);
    expect(issued.facts).toMatchObject({ agencies: [w.agency.code], enterprise: w.enterprise.creditCode, matters: [w.matter], kind: 'routine', inspectorCount: 2 });
    expect(issued.checkUrl).toContain(`/v/${code}?k=`);
  });

  it('lets anyone verify the code offline with only the published key', async () => {
    const keys = parsePublishedKeys((await t.call({ method: 'GET', url: '/.well-known/inspection-keys' })).json());
    expect(JSON.stringify(keys)).not.toContain('PRIVATE');
    expect(verifyWithPublishedKeys(keys, issued.facts as never, issued.kid, issued.signature)).toBe(true);
    const tampered = { ...(issued.facts as object), inspectorCount: 5 };
    expect(verifyWithPublishedKeys(keys, tampered as never, issued.kid, issued.signature)).toBe(false);
  });

  it('shows the public check as not yet valid, then valid in the window, with names masked', async () => {
    const early = (await t.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json();
    expect(early.status).toBe('not_yet_valid');
    t.clock.set('2026-04-08T10:00:00+08:00');
    const res = await t.call({ method: 'GET', url: `/api/v1/codes/${code}?k=${issued.kid}&s=${issued.signature}` });
    const c = res.json();
    expect(c).toMatchObject({ status: 'valid', signatureChecked: true, inspectorCount: 2, agencies: [{ code: w.agency.code, name: w.agency.name }] });
    expect(c.inspectors.map((p: { name: string }) => p.name)).toEqual(['王**', '陈**']);
    expect(res.body).not.toContain('王晓明');
    expect(c.enterprise.creditCodeMasked).not.toBe(w.enterprise.creditCode);
    const page = await t.call({ method: 'GET', url: `/v/${code}?k=${issued.kid}&s=${issued.signature}` });
    expect(page.headers['content-type']).toContain('text/html');
    // The verdict reads as one sentence; its word is set apart in its own element (one verdict at the top, issue 24).
    expect(page.body.replace(/<[^>]+>/g, '')).toContain('有效：本次检查已登记授权');
    expect(page.body).toContain(w.agency.name);
  });

  it('serves the QR as PNG and SVG, and the notice PDF with Chinese text and the QR', async () => {
    const png = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/code.png`, as: w.officer });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/code.svg`, as: as.enterprise(w.enterprise.creditCode) });
    expect(svg.body).toContain('<svg');
    const other = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/code.svg`, as: as.enterprise(w.outsider.creditCode) });
    expect(other.json().code).toBe('OUT_OF_SCOPE');
    const pdf = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/notice.pdf`, as: w.officer });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    // pdftotext reads the PDF from stdin: no temporary files left behind.
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.rawPayload, encoding: 'utf8' });
    for (const s of ['行政检查通知书', w.enterprise.name, w.agency.name, '42010620230001', code]) expect(text).toContain(s);
  });

  it('第十七条第（二）项、第十八条第（二）项 records the enterprise’s check of the code without starting the inspection; the officers’ scan on entry starts it', async () => {
    const res = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: as.enterprise(w.enterprise.creditCode), payload: { location: '厂区大门' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ accepted: true, flagged: false });
    const checked = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json();
    expect(checked.inspection.state).toBe('code_issued');
    expect(checked.scans).toHaveLength(1);
    const scan = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: { location: '厂区大门' } });
    expect(scan.statusCode).toBe(201);
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json();
    expect(detail.inspection.state).toBe('in_progress');
    expect(detail.scans).toHaveLength(2);
  });

  it('records findings with a rectification order and schedules the follow-up (Art. 20)', async () => {
    const missingNotice = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: { methods: ['documents'], items: [{ item: '进货查验记录', result: 'violation' }], outcome: { kind: 'rectification' } },
    });
    expect(missingNotice.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.outcome.noticeNo' }] });
    const res = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: {
        methods: ['documents', 'site_survey'],
        items: [
          { item: '食品生产许可证', result: 'compliant' },
          { item: '进货查验记录', result: 'violation', note: '3月份记录缺失' },
        ],
        outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕12号', dueDate: '2026-04-22' },
        sampling: { samples: 2, costBorneBy: 'agency', amountYuan: 600 },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ flags: [], inspection: { state: 'findings_recorded', followUpDue: '2026-04-22' } });
  });

  it('notifies the result, closes, archives, and the public check then says closed', async () => {
    for (const [step, payload, state] of [
      ['notify-result', { method: 'written' }, 'result_notified'],
      ['close', {}, 'closed'],
      ['archive', { archiveRef: '武昌市监档〔2026〕88号' }, 'archived'],
    ] as const) {
      const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/${step}`, as: w.officer, payload });
      expect(res.json().state, step).toBe(state);
    }
    // Right after the close: this instance forgot the cached view as the command committed.
    expect((await t.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json().status).toBe('closed');
    const again = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/close`, as: w.officer, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'archived', allowedEvents: [] });
  });

  it('keeps the whole story on the audit chain, verifiable', async () => {
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.supervisor })).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
      'inspection.drafted',
      'inspection.approved',
      'inspection.code_issued',
      'code.scanned', // the enterprise's check of the code (starts nothing)
      'code.scanned', // the officers' scan on entry (Art. 17(2))
      'inspection.findings_recorded',
      'inspection.result_notified',
      'inspection.closed',
      'inspection.archived',
    ]);
    expect((await t.call({ method: 'GET', url: '/api/v1/audit/verify', as: w.supervisor })).json().ok).toBe(true);
  });

  it('shows an enterprise only its own inspections, and an officer only the agency’s', async () => {
    const mine = (await t.call({ method: 'GET', url: '/api/v1/inspections', as: as.enterprise(w.enterprise.creditCode) })).json();
    expect(mine.map((i: { id: string }) => i.id)).toContain(id);
    expect((await t.call({ method: 'GET', url: '/api/v1/inspections', as: as.enterprise(w.outsider.creditCode) })).json()).toEqual([]);
    const peek = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: as.enterprise(w.outsider.creditCode) });
    expect(peek.statusCode).toBe(403);
    const otherAgency = await t.call({ method: 'GET', url: `/api/v1/inspections?agency=${w.agency.code}`, as: as.officer(w.city.code) });
    expect(otherAgency.json().code).toBe('OUT_OF_SCOPE');
  });
});

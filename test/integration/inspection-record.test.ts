import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { exifJpeg } from '../support/evidence-files.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, '');

describeDb('现场检查笔录：由检查情况生成，被检查单位代表在屏幕上签名（第十九条）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let id: string;
  let signature: Buffer;
  let photoSha: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t);
    // Any real PNG stands in for the strokes drawn on the canvas.
    signature = await QRCode.toBuffer('张三', { type: 'png', width: 120 });
    id = await approvedInspection(t, w);
    const code = (await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer })).json().code;
    t.clock.set('2026-04-08T10:05:00+08:00');
    expect((await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: {} })).statusCode).toBe(201);
    const photo = exifJpeg({ taken: '2026:04:08 10:12:00', latitude: 30.54, longitude: 114.31 });
    photoSha = sha(photo);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/evidence`, as: w.officer, payload: { dataBase64: photo.toString('base64') } })).statusCode).toBe(201);
  });
  afterAll(() => t.close());

  const sign = (payload: Record<string, unknown>, by = w.officer) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/record/signature`, as: by, payload });

  it('cannot be made or signed before the findings are recorded', async () => {
    const pdf = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/record.pdf`, as: w.officer });
    expect(pdf.json().code).toBe('INVALID_TRANSITION');
    const early = await sign({ signerName: '张三', signerRole: '法定代表人', pngBase64: signature.toString('base64') });
    expect(early.statusCode).toBe(409);
  });

  it('prints the findings, the 文号 and 期限, and the evidence by its hash, marked unsigned', async () => {
    t.clock.set('2026-04-08T10:40:00+08:00');
    const findings = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: {
        methods: ['documents', 'site_survey'],
        items: [{ item: '食品生产许可证', result: 'compliant' }, { item: '进货查验记录', result: 'violation', note: '3月份记录缺失' }],
        outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕12号', dueDate: '2026-04-22' },
      },
    });
    expect(findings.statusCode).toBe(200);
    const state = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/record`, as: as.enterprise(w.enterprise.creditCode) })).json();
    expect(state).toMatchObject({ signed: false, signature: null });
    const pdf = await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/record.pdf`, as: w.officer });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdfText(pdf.rawPayload);
    for (const s of ['现场检查笔录', w.enterprise.name, w.agency.name, '进货查验记录：违法（3月份记录缺失）', '责令改正', '武昌市监责改〔2026〕12号', '2026-04-22', photoSha, '尚未签名', '2026年4月8日10:05（扫码进入）']) expect(text).toContain(s);
    expect(pdf.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(false);
  });

  it('keeps the signature image and its hash on the audit chain, and the PDF carries it', async () => {
    const notPng = await sign({ signerName: '张三', signerRole: '法定代表人', pngBase64: exifJpeg({ taken: '2026:04:08 10:12:00', latitude: 30.5, longitude: 114.3 }).toString('base64') });
    expect(notPng.statusCode).toBe(415);
    expect(notPng.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: [{ field: 'body.pngBase64' }] });
    const byEnterprise = await sign({ signerName: '张三', signerRole: '法定代表人', pngBase64: signature.toString('base64') }, as.enterprise(w.enterprise.creditCode));
    expect(byEnterprise.statusCode).toBe(403);

    const res = await sign({ signerName: '张三', signerRole: '法定代表人', pngBase64: signature.toString('base64') });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ signerName: '张三', signerRole: '法定代表人', signatureSha256: sha(signature), signedAt: '2026-04-08T02:40:00.000Z' });
    const log = (await t.call({ method: 'GET', url: `/api/v1/audit?subjectType=inspection&subjectId=${id}`, as: w.supervisor })).json();
    const entries = (Array.isArray(log) ? log : log.entries) as { action: string; payload: { signatureSha256?: string; findingsSha256?: string } }[];
    const signed = entries.find((e) => e.action === 'record.signed');
    expect(signed?.payload.signatureSha256).toBe(sha(signature));
    expect(signed?.payload.findingsSha256).toBe(res.json().findingsSha256);

    const image = await t.call({ method: 'GET', url: res.json().imageUrl, as: as.enterprise(w.enterprise.creditCode) });
    expect(sha(image.rawPayload)).toBe(sha(signature));
    const pdf = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}/record.pdf`, as: as.enterprise(w.enterprise.creditCode) })).rawPayload;
    expect(pdf.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    const text = pdfText(pdf);
    for (const s of ['签名人：张三（法定代表人）', sha(signature)]) expect(text).toContain(s);
    expect(text).not.toContain('尚未签名');
  });

  it('is signed once, and shown only to those who may see the inspection', async () => {
    const again = await sign({ signerName: '李四', signerRole: '委托代理人', pngBase64: signature.toString('base64') });
    expect(again.json().code).toBe('ALREADY_EXISTS');
    for (const url of [`/api/v1/inspections/${id}/record`, `/api/v1/inspections/${id}/record.pdf`, `/api/v1/inspections/${id}/record/signature.png`]) {
      expect((await t.call({ method: 'GET', url, as: as.enterprise(w.outsider.creditCode) })).statusCode).toBe(403);
    }
  });
});

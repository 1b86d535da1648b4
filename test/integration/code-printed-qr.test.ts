import { afterAll, beforeAll, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { verifyCompactWithPublishedKeys } from '../../src/codes/published-keys.js';
import { parseCheckUrl } from '../../src/codes/signed-code.js';
import { codeOfInspection } from '../../src/visits/repository.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { qrTextsInPdf, qrTextsInPng } from '../support/qr-decode.js';
import { issuedCode } from '../support/supervision-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第十七条第（二）项 现场出示检查码并扫码: the QR printed on the notice and on the code card carries the code's
 * signed facts (docs/CODE-FORMAT.md §5, v2), so the enterprise's phone checks it with the published keys
 * alone; online, the same `s` opens the platform's answer.
 */
describeDb('第十七条 打印的检查码二维码：携带签名的检查信息，可离线核验', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let issued: Awaited<ReturnType<typeof issuedCode>>;
  let keys: unknown[];

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
    issued = await issuedCode(t, w);
    keys = (await t.call({ method: 'GET', url: '/.well-known/inspection-keys' })).json().keys;
  });
  afterAll(() => t.close());

  it('prints on the notice, at 100 dpi, a version-10-or-lower QR whose packed facts verify under the published keys', async () => {
    const pdf = await t.call({ method: 'GET', url: `/api/v1/inspections/${issued.id}/notice.pdf`, as: w.officer });
    expect(pdf.statusCode).toBe(200);
    const [text, ...others] = qrTextsInPdf(pdf.rawPayload, 100);
    expect(others).toEqual([]);
    expect(QRCode.create(text!, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(10);

    const scanned = parseCheckUrl(text!)!;
    expect(scanned).toMatchObject({ code: issued.code, kid: issued.kid });
    const row = (await codeOfInspection(t.db, issued.id))!;
    expect(scanned.signature).toBe(row.compactSignature);
    const facts = verifyCompactWithPublishedKeys(keys as never, scanned.kid, scanned.code, scanned.packed!, scanned.signature);
    expect(facts).toEqual({
      kind: 'routine',
      inspectorCount: 2,
      agencyCount: 1,
      matterCount: expect.any(Number),
      validFrom: new Date(Math.ceil(row.validFrom.getTime() / 1000) * 1000).toISOString(),
      validTo: new Date(Math.floor(row.validTo.getTime() / 1000) * 1000).toISOString(),
      enterprise: w.enterprise.creditCode,
    });
  });

  it('prints the same URL on the code card (PNG), and the platform accepts its signature as the QR holder’s', async () => {
    const png = await t.call({ method: 'GET', url: `/api/v1/inspections/${issued.id}/code.png`, as: w.officer });
    const [text] = qrTextsInPng(png.rawPayload);
    const scanned = parseCheckUrl(text!)!;
    expect(scanned.packed).toBeDefined();

    t.clock.set('2026-04-08T10:00:00+08:00'); // inside the window: the details open to the signature's holder
    const check = await t.call({ method: 'GET', url: `/api/v1/codes/${scanned.code}?k=${scanned.kid}&s=${scanned.signature}` });
    expect(check.json()).toMatchObject({ status: 'valid', signatureChecked: true, inspectorCount: 2 });
    // One character of the compact signature changed: the platform calls it forged, like an altered v1 signature.
    const altered = scanned.signature.slice(0, -2) + (scanned.signature.at(-2) === 'A' ? 'B' : 'A') + scanned.signature.at(-1);
    const forged = await t.call({ method: 'GET', url: `/api/v1/codes/${scanned.code}?k=${scanned.kid}&s=${altered}` });
    expect(forged.json().status).toBe('forged');
  });
});

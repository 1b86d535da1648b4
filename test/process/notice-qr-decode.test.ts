import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { CodeFacts } from '../../src/codes/facts.js';
import { generateKeyring, type SignatureAlg } from '../../src/codes/keyring.js';
import { renderInspectionNotice } from '../../src/codes/notice-pdf.js';
import { verifyCompactWithPublishedKeys } from '../../src/codes/published-keys.js';
import { checkUrl, parseCheckUrl } from '../../src/codes/signed-code.js';
import { codeCheckUrl } from '../../src/visits/documents.js';
import { sampleNotice } from '../support/notice-sample.js';
import { qrTextsInPdf } from '../support/qr-decode.js';

function signedCode(alg: SignatureAlg) {
  const keyring = generateKeyring(alg === 'SM2-SM3' ? 'wh-sm2-20260408' : 'wh-ed25519-20260408', alg);
  const base = sampleNotice();
  const facts: CodeFacts = {
    code: base.code,
    inspectionId: '0b9f3c1e-2d4a-4e7b-9c61-5a8f2e7d3b10',
    agencies: ['WH-JA-SCJG', 'WH-JA-YJJ'],
    enterprise: '91420102MA4K0000XX',
    matters: ['M-FOOD-01', 'M-METRO-02', 'M-DRUG-03'],
    kind: 'joint',
    validFrom: '2026-04-08T01:00:00.000Z',
    validTo: '2026-04-08T09:00:00.000Z',
    inspectorCount: 4,
  };
  const { kid, signature, compactSignature } = keyring.sign(facts);
  return { keyring, facts, kid, signature, compactSignature, row: { code: facts.code, kid, signature, compactSignature, facts } };
}

// A production-like base with a path: longer than the test vectors' host, so the size check is not flattered.
const BASE = 'https://zfjd.wuhan.gov.cn/jc';

describe('行政检查通知书的二维码：按 100 dpi 渲染后可由 zbar 识读（第十七条第（二）项：出示检查码并扫码）', () => {
  for (const alg of ['Ed25519', 'SM2-SM3'] as const) {
    it(`keeps the printed QR at version 10 or lower and decodes it from the PDF at 100 dpi (${alg})`, async () => {
      const { keyring, facts, kid, signature, compactSignature, row } = signedCode(alg);
      const url = codeCheckUrl(BASE, row);
      expect(QRCode.create(url, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(10);
      // The long form with the signed message in the fragment is what made the QR too dense (version > 10).
      expect(QRCode.create(checkUrl(BASE, facts.code, kid, signature, facts), { errorCorrectionLevel: 'M' }).version).toBeGreaterThan(10);

      const pdf = await renderInspectionNotice({ ...sampleNotice(), code: facts.code, checkUrl: url });
      const texts = qrTextsInPdf(pdf, 100);
      expect(texts).toEqual([url]);
      // What the phone reads is a genuine code carrying its own signed facts (v2): they verify under the
      // published keys alone, so a phone that never opened the code online can check it.
      const scanned = parseCheckUrl(texts[0]!)!;
      expect(scanned).toMatchObject({ code: facts.code, kid, signature: compactSignature });
      expect(verifyCompactWithPublishedKeys(keyring.publicKeys(), scanned.kid, scanned.code, scanned.packed!, scanned.signature)).toMatchObject({
        enterprise: facts.enterprise,
        inspectorCount: 4,
        validFrom: facts.validFrom,
        validTo: facts.validTo,
      });
    });
  }
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { CodeFacts } from '../../src/codes/facts.js';
import { generateKeyring, type SignatureAlg } from '../../src/codes/keyring.js';
import { renderInspectionNotice } from '../../src/codes/notice-pdf.js';
import { checkUrl, parseCheckUrl } from '../../src/codes/signed-code.js';
import { codeCheckUrl } from '../../src/visits/documents.js';
import type { InspectionCode } from '../../src/visits/repository.js';
import { sampleNotice } from '../support/notice-sample.js';

/** Runs a tool; a missing one fails the test, naming the package scripts/setup-system.sh installs. */
function run(cmd: string, args: string[], pkg: string): string {
  const out = spawnSync(cmd, args, { encoding: 'utf8' });
  if (out.error) throw new Error(`${cmd} is not available (${out.error.message}): run scripts/setup-system.sh as root (installs ${pkg})`);
  if (out.status !== 0) throw new Error(`${cmd} failed (${out.status}): ${out.stderr}`);
  return out.stdout;
}

/** The notice's first page at `dpi` (pdftoppm), then every QR zbarimg finds on it. */
function qrTextsAt(pdf: Buffer, dpi: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'notice-qr-'));
  try {
    writeFileSync(join(dir, 'notice.pdf'), pdf);
    run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-png', join(dir, 'notice.pdf'), join(dir, 'page')], 'poppler-utils');
    const page = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    const out = run('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', join(dir, page)], 'zbar-tools');
    return out.split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  const { kid, signature } = keyring.sign(facts);
  return { keyring, facts, kid, signature, row: { code: facts.code, kid, signature, facts } as unknown as InspectionCode };
}

// A production-like base with a path: longer than the test vectors' host, so the size check is not flattered.
const BASE = 'https://zfjd.wuhan.gov.cn/jc';

describe('行政检查通知书的二维码：按 100 dpi 渲染后可由 zbar 识读（第十七条第（二）项：出示检查码并扫码）', () => {
  for (const alg of ['Ed25519', 'SM2-SM3'] as const) {
    it(`keeps the printed QR at version 10 or lower and decodes it from the PDF at 100 dpi (${alg})`, async () => {
      const { keyring, facts, kid, signature, row } = signedCode(alg);
      const url = codeCheckUrl(BASE, row);
      expect(QRCode.create(url, { errorCorrectionLevel: 'M' }).version).toBeLessThanOrEqual(10);
      // The long form with the signed message in the fragment is what made the QR too dense (version > 10).
      expect(QRCode.create(checkUrl(BASE, facts.code, kid, signature, facts), { errorCorrectionLevel: 'M' }).version).toBeGreaterThan(10);

      const pdf = await renderInspectionNotice({ ...sampleNotice(), code: facts.code, checkUrl: url });
      const texts = qrTextsAt(pdf, 100);
      expect(texts).toEqual([url]);
      // What the phone reads is a genuine code: the signature in it verifies over the code's signed facts.
      const scanned = parseCheckUrl(texts[0]!)!;
      expect(scanned).toMatchObject({ code: facts.code, kid, signature });
      expect(keyring.verify(facts, scanned.kid, scanned.signature)).toBe(true);
    });
  }
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCjkFont, requireCjkFont } from '../../src/codes/cjk-font.js';
import { newCodeId } from '../../src/codes/code-id.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { renderInspectionNotice, type NoticeInput } from '../../src/codes/notice-pdf.js';
import { qrPng, qrSvg } from '../../src/codes/qr.js';
import { checkUrl } from '../../src/codes/signed-code.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Text of a PDF via poppler's pdftotext; a missing tool fails the test (never skips it). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'notice-'));
  try {
    const file = join(dir, 'notice.pdf');
    writeFileSync(file, pdf);
    const run = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (run.error) {
      throw new Error(`pdftotext is not available (${run.error.message}): run scripts/setup-system.sh as root (installs poppler-utils)`);
    }
    if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sampleNotice(): NoticeInput {
  const code = newCodeId(2026);
  const facts = {
    code,
    inspectionId: 'insp-0001',
    agencies: ['WH-SCJG'],
    enterprise: '91420100MA4K0000XX',
    matters: ['M-FOOD-01'],
    kind: 'routine' as const,
    validFrom: '2026-04-08T01:00:00.000Z',
    validTo: '2026-04-08T09:00:00.000Z',
    inspectorCount: 2,
  };
  const { kid, signature } = generateKeyring().sign(facts);
  return {
    agencyNames: ['武汉市市场监督管理局'],
    enterpriseName: '武汉光谷示例科技有限公司',
    enterpriseCreditCode: facts.enterprise,
    enterpriseAddress: '武汉市洪山区珞喻路1号',
    matters: [
      { name: '食品经营许可事项检查', legalBasis: '《中华人民共和国食品安全法》第一百一十条' },
      { name: '计量器具使用检查', legalBasis: '《中华人民共和国计量法》第十八条' },
    ],
    kind: '日常检查',
    windowText: '2026年4月8日 09:00 至 17:00',
    inspectors: [
      { name: '张三', certificateNo: '42010020260001' },
      { name: '李四', certificateNo: '42010020260002' },
    ],
    code,
    checkUrl: checkUrl('https://jc.wuhan.gov.cn', code, kid, signature),
    issuedAt: '2026年4月1日',
  };
}

describe('QR code', () => {
  it('renders a PNG and an SVG of the check URL', async () => {
    const url = 'https://jc.wuhan.gov.cn/v/JC-2026-0000-0000-0?k=k&s=s';
    expect((await qrPng(url)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(await qrSvg(url)).toContain('<svg');
  });
});

describe('CJK font lookup', () => {
  it('names scripts/setup-system.sh when no font is installed', () => {
    expect(findCjkFont({}, [{ path: '/nonexistent/font.ttc', family: 'X' }])).toBeNull();
    expect(() => requireCjkFont({}, [])).toThrow(/scripts\/setup-system\.sh/);
  });

  it('takes NOTICE_FONT_PATH first and refuses a path that does not exist or a collection without a face', () => {
    expect(() => findCjkFont({ NOTICE_FONT_PATH: '/nonexistent/x.ttf' })).toThrow(/NOTICE_FONT_PATH/);
    const font = requireCjkFont();
    if (/\.ttc$/.test(font.path)) {
      expect(() => findCjkFont({ NOTICE_FONT_PATH: font.path })).toThrow(/NOTICE_FONT_FAMILY/);
    }
    expect(findCjkFont({ NOTICE_FONT_PATH: font.path, NOTICE_FONT_FAMILY: 'Face' })).toEqual({ path: font.path, family: 'Face' });
  });

  it('explains an unusable face instead of rendering tofu', async () => {
    const font = requireCjkFont();
    await expect(renderInspectionNotice(sampleNotice(), { path: font.path, family: 'NoSuchFace' })).rejects.toThrow(
      /cannot use the CJK font/,
    );
  });
});

describe('行政检查通知书 PDF (Art. 17(1), 18(3))', () => {
  it('carries the title, enterprise, matters, inspectors, code and the QR image', async () => {
    const input = sampleNotice();
    const pdf = await renderInspectionNotice(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // pdftotext keeps line breaks where the layout wrapped; join lines so a wrapped sentence still matches.
    const text = pdfText(pdf).replace(/\n/g, '');
    expect(text).toContain('行政检查通知书');
    expect(text).toContain(input.enterpriseName);
    expect(text).toContain(input.enterpriseCreditCode);
    expect(text).toContain('食品经营许可事项检查');
    expect(text).toContain('《中华人民共和国计量法》第十八条');
    expect(text).toContain('42010020260002');
    expect(text).toContain(input.code);
    expect(text).toContain(input.windowText);
    // The rights the regulation requires the notice to state (Art. 18(3)).
    expect(text).toContain('不得刻意要求企业法定代表人到场');
    expect(text).toContain('本办法第二十二条');
    expect(text).toContain('不得少于两人');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/Subtype \/Image/);
    const font = requireCjkFont();
    if (font.family) expect(raw).toContain(font.family);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCjkFont } from '../../src/codes/cjk-font.js';
import { renderInspectionNotice } from '../../src/codes/notice-pdf.js';
import { sampleNotice } from '../support/notice-sample.js';

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

/** Page count via poppler's pdfinfo. */
function pdfPages(pdf: Buffer): number {
  const dir = mkdtempSync(join(tmpdir(), 'notice-'));
  try {
    const file = join(dir, 'notice.pdf');
    writeFileSync(file, pdf);
    const run = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    if (run.error || run.status !== 0) throw new Error(`pdfinfo failed: ${run.error?.message ?? run.stderr}`);
    return Number(/^Pages:\s+(\d+)/m.exec(run.stdout)?.[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
    // One page: the QR code, the seal and the date are on the sheet the enterprise is handed; the
    // document number, the page number and where to complain are printed on it.
    expect(text).toContain(input.documentNo);
    expect(text).toMatch(/第\s*1\s*页\s*共\s*1\s*页/);
    expect(text).toContain('武汉市市场监督管理局投诉举报电话 12315');
    expect(text).toContain('（印章）');
    expect(pdfPages(pdf)).toBe(1);
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/Subtype \/Image/);
    const font = requireCjkFont();
    if (font.family) expect(raw).toContain(font.family);
  });
});

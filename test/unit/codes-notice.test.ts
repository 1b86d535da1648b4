import { describe, expect, it } from 'vitest';
import { findCjkFont, requireCjkFont } from '../../src/codes/cjk-font.js';
import { renderInspectionNotice } from '../../src/codes/notice-pdf.js';
import { qrPng, qrSvg } from '../../src/codes/qr.js';
import { sampleNotice } from '../support/notice-sample.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The PDF read back through pdftotext (a process) is in test/process/notice-pdf-text.test.ts.
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

import { describe, expect, it } from 'vitest';
import { decide } from '../../machines/kernel.js';
import { flagMachine } from '../../machines/flag.machine.js';
import { CSV_BOM, csvCell, toCsv } from '../../src/supervision/csv.js';
import { decodePhoto, PHOTO_MAX_BYTES, sniffImageType } from '../../src/supervision/photo.js';
import { DomainError } from '../../src/errors/domain-error.js';

const flag = (state: string, event: Parameters<typeof decide<typeof flagMachine>>[3]) => decide(flagMachine, state, {}, event);

describe('flag review machine (open → acknowledged → resolved / dismissed)', () => {
  it('acknowledges an open flag, then resolves it with a note', () => {
    expect(flag('open', { type: 'ACKNOWLEDGE' })).toMatchObject({ ok: true, state: 'acknowledged' });
    expect(flag('acknowledged', { type: 'RESOLVE', note: '已整改' })).toMatchObject({ ok: true, state: 'resolved' });
  });

  it('dismisses from open or acknowledged, only with a reason (hasDismissalReason)', () => {
    expect(flag('open', { type: 'DISMISS', note: '误报' })).toMatchObject({ ok: true, state: 'dismissed' });
    expect(flag('acknowledged', { type: 'DISMISS', note: '误报' })).toMatchObject({ ok: true, state: 'dismissed' });
    expect(flag('open', { type: 'DISMISS', note: '  ' })).toMatchObject({ ok: false, state: 'open' });
  });

  it('never resolves without a note, nor an open flag, nor anything once closed', () => {
    expect(flag('acknowledged', { type: 'RESOLVE', note: '' })).toMatchObject({ ok: false });
    expect(flag('open', { type: 'RESOLVE', note: '已整改' })).toEqual({ ok: false, state: 'open', allowed: ['ACKNOWLEDGE', 'DISMISS'] });
    expect(flag('resolved', { type: 'DISMISS', note: '误报' })).toEqual({ ok: false, state: 'resolved', allowed: [] });
    expect(flag('dismissed', { type: 'ACKNOWLEDGE' })).toEqual({ ok: false, state: 'dismissed', allowed: [] });
  });
});

describe('CSV for Excel (UTF-8 BOM, RFC 4180 quoting, formula injection)', () => {
  it('starts with the BOM, ends lines with CRLF and keeps Chinese as UTF-8', () => {
    const out = toCsv(['规则', '说明'], [['COST_SHIFTED', '费用转嫁']]);
    expect(out.startsWith(CSV_BOM)).toBe(true);
    expect(out).toBe(`${CSV_BOM}规则,说明\r\nCOST_SHIFTED,费用转嫁\r\n`);
    expect(Buffer.from(out, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('quotes a field with a comma, a quote or a line break, doubling quotes', () => {
    expect(csvCell('武汉,江岸')).toBe('"武汉,江岸"');
    expect(csvCell('他说"来检查"')).toBe('"他说""来检查"""');
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('neutralises cells a spreadsheet would run as a formula, and quotes them when needed', () => {
    expect(csvCell('=HYPERLINK("http://x","点我")')).toBe(`"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(csvCell('+86 027')).toBe("'+86 027");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    // A space, tab or line break before the =, full-width forms, and formulas behind a separator (OWASP).
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\n=1+1')).toBe(`"'\n=1+1"`);
    expect(csvCell('\u3000＝1+1')).toBe("'\u3000＝1+1");
    expect(csvCell('好;=cmd|\' /C calc\'!A0')).toBe(`"好;'=cmd|' /C calc'!A0"`);
    expect(csvCell('a, @SUM(A1)')).toBe(`"a, '@SUM(A1)"`);
    expect(csvCell('x;-HYPERLINK(1)')).toBe(`"x;'-HYPERLINK(1)"`);
    // Ordinary text with separators keeps its data.
    expect(csvCell('整改完成;复查合格')).toBe('"整改完成;复查合格"');
    expect(csvCell('1,-2')).toBe('"1,-2"');
    // Numbers are data, not text a user typed.
    expect(csvCell(-5)).toBe('-5');
  });

  it('writes empty cells for null and Shanghai wall-clock time for instants', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-04-08T01:00:00Z'))).toBe('2026-04-08 09:00:00');
  });
});

describe('notice photos: JPEG, PNG or WebP by their bytes, at most 2 MB', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32)]);
  const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(16)]);
  const fail = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err as DomainError;
    }
    throw new Error('expected a refusal');
  };

  it('recognises the three types by their magic bytes', () => {
    expect(sniffImageType(png)).toBe('image/png');
    expect(sniffImageType(jpeg)).toBe('image/jpeg');
    expect(sniffImageType(webp)).toBe('image/webp');
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
  });

  it('decodes a valid photo and hashes it', () => {
    const out = decodePhoto({ contentType: 'image/png', dataBase64: png.toString('base64') });
    expect(out.data.equals(png)).toBe(true);
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a declared type the bytes contradict, a non-image, bad base64 and more than 2 MB', () => {
    expect(fail(() => decodePhoto({ contentType: 'image/jpeg', dataBase64: png.toString('base64') }))).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', extensions: { errors: [{ field: 'body.photo.contentType' }] } });
    expect(fail(() => decodePhoto({ contentType: 'image/png', dataBase64: Buffer.from('<svg/>').toString('base64') }))).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(fail(() => decodePhoto({ contentType: 'image/png', dataBase64: 'not base64!' }))).toMatchObject({ code: 'VALIDATION', extensions: { errors: [{ field: 'body.photo.dataBase64' }] } });
    const big = Buffer.concat([png, Buffer.alloc(PHOTO_MAX_BYTES)]);
    expect(fail(() => decodePhoto({ contentType: 'image/png', dataBase64: big.toString('base64') }))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

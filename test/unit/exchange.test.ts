import { describe, expect, it } from 'vitest';
import { eventData } from '../../src/exchange/event-data.js';
import { parseCsv, parseNdjson } from '../../src/exchange/import-parse.js';
import { checkRowShape, rowHash } from '../../src/exchange/import-row.js';
import { backoffMs } from '../../src/exchange/settings.js';
import { signWebhook, verifyWebhook } from '../../src/exchange/webhook-signature.js';
import { parseCursor } from '../../src/exchange/cursor.js';
import { creditCodeCheckChar } from '../../src/registry/credit-code.js';

const valid = {
  sourceId: 'A-1',
  agencyCode: 'WH-SCJG',
  enterpriseCode: '91420100MA4K1234X' + creditCodeCheckChar('91420100MA4K1234X'),
  kind: 'routine',
  mode: 'onsite',
  matterCodes: ['M-2', 'M-1', 'M-2'],
  windowStart: '2026-03-10T09:00:00+08:00',
  windowEnd: '2026-03-10T12:00:00+08:00',
};

describe('第八条 对外共享的事件数据：只带允许的事实，不含个人信息', () => {
  it('keeps the listed facts and drops inspectors, complainants, phone numbers, details and the actor', () => {
    const data = eventData({
      action: 'inspection.drafted',
      subjectType: 'inspection',
      subjectId: 'i-1',
      role: 'officer',
      agencyCode: 'WH-SCJG',
      payload: {
        kind: 'routine',
        matterCodes: ['M-1'],
        inspectors: [{ name: '王晓明', certificateNo: '42010620230001' }],
        complainant: { name: '李四', phone: '13800000000' },
        detail: '张三反映',
        leadRef: 'TS-1',
      },
    });
    expect(data.facts).toEqual({ kind: 'routine', matterCodes: ['M-1'] });
    expect(JSON.stringify(data)).not.toMatch(/王晓明|4201062023|李四|13800000000|张三|TS-1/);
    expect(data).not.toHaveProperty('actor');
  });
});

describe('第二十四条 批量报送的解析与逐行校验', () => {
  it('reads NDJSON line by line; a bad line is a row with its line number, not a failed batch', () => {
    const rows = parseNdjson('{"a":1}\n\n[1]\n{oops\r\n{"b":2}');
    expect(rows).toEqual([{ line: 1, value: { a: 1 } }, { line: 3, parseError: expect.any(String) }, { line: 4, parseError: expect.any(String) }, { line: 5, value: { b: 2 } }]);
  });

  it('reads CSV with quotes, doubled quotes, commas and line breaks inside a field, and ; between matters', () => {
    const rows = parseCsv('\uFEFFsourceId,matterCodes,sourceCode\r\n"A,1","M-1; M-2","say ""hi""\nthere"\r\nB,M-3,\r\nC,M-4\r\n');
    expect(rows[0]).toEqual({ line: 2, value: { sourceId: 'A,1', matterCodes: ['M-1', 'M-2'], sourceCode: 'say "hi"\nthere' } });
    expect(rows[1]).toEqual({ line: 4, value: { sourceId: 'B', matterCodes: ['M-3'] } });
    expect(rows[2]).toMatchObject({ line: 5, parseError: expect.any(String) });
  });

  it('normalises a valid row (matters sorted and unique, instants in UTC) and names every wrong field', () => {
    const ok = checkRowShape(valid);
    expect(ok).toEqual({ row: expect.objectContaining({ matterCodes: ['M-1', 'M-2'], windowStart: '2026-03-10T01:00:00.000Z', sourceCode: null, outcome: null, sampled: false }) });
    const bad = checkRowShape({ ...valid, enterpriseCode: '91420100MA4K1234X' + (creditCodeCheckChar('91420100MA4K1234X') === '0' ? '1' : '0'), kind: 'daily', windowStart: '2026-03-10', extra: 1 });
    expect('problems' in bad && bad.problems.map((p) => p.field).sort()).toEqual(['enterpriseCode', 'extra', 'kind', 'windowStart']);
  });

  it('hashes a row by content, so a resend is recognised and a correction is not', () => {
    const a = checkRowShape(valid) as { row: Parameters<typeof rowHash>[0] };
    const b = checkRowShape({ ...valid, matterCodes: ['M-1', 'M-2'] }) as typeof a;
    const c = checkRowShape({ ...valid, windowEnd: '2026-03-10T13:00:00+08:00' }) as typeof a;
    expect(rowHash(a.row)).toBe(rowHash(b.row));
    expect(rowHash(a.row)).not.toBe(rowHash(c.row));
  });
});

describe('第二十九条 推送：签名、退避与游标', () => {
  it('signs in the Standard Webhooks form and verifies only the same id, time and body', () => {
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const sig = signWebhook(secret, 'e-1', 1_775_000_000, '{"a":1}');
    expect(sig).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhook(secret, 'e-1', 1_775_000_000, '{"a":1}', sig)).toBe(true);
    expect(verifyWebhook(secret, 'e-1', 1_775_000_000, '{"a":2}', sig)).toBe(false);
    expect(verifyWebhook(secret, 'e-2', 1_775_000_000, '{"a":1}', sig)).toBe(false);
  });

  it('backs off exponentially from the base to the cap', () => {
    const s = { backoffBaseMs: 10_000, backoffMaxMs: 60_000 };
    expect([1, 2, 3, 4, 5, 50].map((n) => backoffMs(s, n))).toEqual([10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });

  it('reads a cursor or names the field', () => {
    expect(parseCursor(undefined)).toBe(0);
    expect(parseCursor('42')).toBe(42);
    expect(() => parseCursor('1-2')).toThrow(/querystring\.after/);
  });
});

describe('第十五条 上级主管部门部署的专项检查计划，不纳入年度检查频次 (imports)', () => {
  it('第十五条 takes the upper authority that deployed an imported special inspection, only for a special one', () => {
    const special = checkRowShape({ ...valid, kind: 'special', deployedBy: '湖北省市场监督管理局' });
    expect(special).toMatchObject({ row: { kind: 'special', deployedBy: '湖北省市场监督管理局' } });
    expect(checkRowShape({ ...valid, kind: 'routine', deployedBy: '湖北省市场监督管理局' })).toMatchObject({ problems: [{ field: 'deployedBy' }] });
    // A row without it hashes as before, so a resend of an older row is not a correction.
    const plain = checkRowShape(valid);
    expect('row' in plain && 'deployedBy' in plain.row).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, isWellFormedCodeId, newCodeId, normaliseCodeId } from '../../src/codes/code-id.js';

describe('inspection code id (检查码编号)', () => {
  it('has the printed shape JC-<year>-XXXX-XXXX-<check> and passes its own check', () => {
    const id = newCodeId(2026);
    expect(id).toMatch(/^JC-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
    expect(isWellFormedCodeId(id)).toBe(true);
  });

  it('is deterministic for a pinned random source', () => {
    const fixed = () => Buffer.from([0, 0, 0, 0, 0]);
    expect(newCodeId(2026, fixed)).toBe(newCodeId(2026, fixed));
    expect(newCodeId(2026, fixed)).toMatch(/^JC-2026-0000-0000-.$/);
  });

  it('draws 20 000 distinct ids', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newCodeId(2026)));
    expect(ids.size).toBe(20_000);
  });

  it('detects every single mistyped character, in the year, the body or the check character', () => {
    const id = newCodeId(2027);
    const positions = [...id].map((_, i) => i).filter((i) => i >= 3 && id[i] !== '-');
    expect(positions).toHaveLength(4 + 8 + 1);
    for (const i of positions) {
      for (const replacement of CODE_ALPHABET) {
        if (replacement === id[i]) continue;
        const typo = id.slice(0, i) + replacement + id.slice(i + 1);
        expect(isWellFormedCodeId(typo), typo).toBe(false);
      }
    }
  });

  it('refuses letters outside the alphabet, lower case, and a wrong prefix or grouping', () => {
    const id = newCodeId(2026);
    expect(isWellFormedCodeId(id.toLowerCase())).toBe(false);
    expect(isWellFormedCodeId(id.replace('JC-', 'JX-'))).toBe(false);
    expect(isWellFormedCodeId(id.replaceAll('-', ''))).toBe(false);
    expect(isWellFormedCodeId(`${id.slice(0, 8)}O${id.slice(9)}`)).toBe(false);
    expect(isWellFormedCodeId('')).toBe(false);
  });

  it('reads a hand-typed id back to the printed form (case, spaces, O→0, I/L→1)', () => {
    const id = newCodeId(2026, () => Buffer.from([0x08, 0x42, 0x10, 0x84, 0x21])); // body 1111 1111
    expect(id.slice(8, 17)).toBe('1111-1111');
    const typed = ` ${id.toLowerCase().replace('1111-1111', 'ilIL-1l1i')} `;
    expect(normaliseCodeId(typed)).toBe(id);
  });

  it('refuses a year outside 2000–9999 and a short random source', () => {
    expect(() => newCodeId(99)).toThrow(/year/);
    expect(() => newCodeId(2026, () => Buffer.alloc(3))).toThrow(/bytes/);
  });
});

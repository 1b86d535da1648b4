import { describe, expect, it } from 'vitest';
import { makeCreditCode } from '../../seeds/credit-codes.js';
import { checkCreditCode, creditCodeCheckChar } from '../../src/registry/credit-code.js';
import { ENTITY_TYPE_KEYS, scopeOf } from '../../src/registry/entity-scope.js';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts published real codes', () => {
    expect(checkCreditCode('91350100M000100Y43')).toEqual({ valid: true });
    expect(checkCreditCode('91110000600037341L')).toEqual({ valid: true });
  });

  it('refuses a wrong check character and says which one was expected', () => {
    const r = checkCreditCode('91350100M000100Y44');
    expect(r.valid).toBe(false);
    expect(!r.valid && r.reason).toContain('校验码应为 3');
  });

  it('refuses the wrong length and letters outside the alphabet (I, O, S, V, Z, lower case)', () => {
    expect(checkCreditCode('9135010').valid).toBe(false);
    expect(checkCreditCode('91350100M000100YO3').valid).toBe(false);
    expect(checkCreditCode('91350100m000100y43').valid).toBe(false);
  });

  it('computes the check character the generator relies on', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    for (const t of ENTITY_TYPE_KEYS) expect(checkCreditCode(makeCreditCode(t, '420106', 42)).valid).toBe(true);
  });
});

describe('entity scope (Art. 2, 4, 42)', () => {
  it('puts companies in scope, individual businesses by reference, institutions out of scope', () => {
    expect(scopeOf('limited_company')).toBe('in_scope');
    expect(scopeOf('joint_stock_company')).toBe('in_scope');
    expect(scopeOf('individual_business')).toBe('by_reference');
    expect(scopeOf('farmers_cooperative')).toBe('by_reference');
    expect(scopeOf('public_institution')).toBe('out_of_scope');
    expect(scopeOf('foundation')).toBe('out_of_scope');
  });
});

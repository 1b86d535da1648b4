/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet (no I, O, S, V, Z); the
 * last is a check character computed over the first 17 with weights 3^i mod 31.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_ALPHABET.indexOf(first17[i]!);
    if (v < 0) throw new RangeError(`invalid character ${first17[i]}`);
    sum += v * WEIGHTS[i]!;
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export type CreditCodeCheck = { valid: true } | { valid: false; reason: string };

export function checkCreditCode(code: string): CreditCodeCheck {
  if (code.length !== 18) return { valid: false, reason: `应为 18 位，实为 ${code.length} 位` };
  for (const ch of code) {
    if (!CREDIT_CODE_ALPHABET.includes(ch)) return { valid: false, reason: `含有不允许的字符“${ch}”（不使用 I、O、S、V、Z 及小写字母）` };
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected) return { valid: false, reason: `校验码应为 ${expected}，实为 ${code[17]}` };
  return { valid: true };
}

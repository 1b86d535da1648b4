import { randomBytes } from 'node:crypto';

/**
 * The inspection code id (检查码编号) printed on the 行政检查通知书 and read aloud or typed by an
 * enterprise: `JC-2026-7K3M-9QXT-5`.
 *
 * - `JC` (检查) and the year, so a code from a past year is recognisable at a glance;
 * - 8 characters of Crockford base32 — no I, L, O, U, which are confused with 1, 0 and V when copied
 *   by hand — carrying 40 random bits;
 * - one check character (Luhn mod 32) over the year and the 8 characters, so any single mistyped
 *   character is detected before the id is looked up.
 *
 * 40 bits make a clash among the ~10^5 codes a city issues in a year unlikely (about 0.5 %), not
 * impossible: uniqueness remains the database's job (unique constraint, draw again on conflict).
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = CODE_ALPHABET.length; // 32
const RANDOM_BYTES = 5; // 5 bytes = 40 bits = exactly 8 base32 characters

const CODE_ID_RE = /^JC-(\d{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z])$/;

function value(ch: string): number {
  const v = CODE_ALPHABET.indexOf(ch);
  if (v < 0) throw new Error(`not a code character: ${ch}`);
  return v;
}

/**
 * Luhn mod N: every second character from the right is doubled and its base-N digits summed. Unlike a
 * plain weighted sum mod 32 (where even weights lose information), this catches every single
 * substitution and almost every swap of neighbouring characters.
 */
function luhnSum(payload: string, doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = payload.length - 1; i >= 0; i--) {
    let v = value(payload[i]!);
    if (double) {
      v *= 2;
      v = Math.floor(v / N) + (v % N);
    }
    sum += v;
    double = !double;
  }
  return sum % N;
}

export function codeCheckChar(payload: string): string {
  return CODE_ALPHABET[(N - luhnSum(payload, true)) % N]!;
}

function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CODE_ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1; // keep only the bits not yet written, so acc never overflows
  }
  return out;
}

/** A fresh code id for `year`; `random` is injectable so tests can pin the output. */
export function newCodeId(year: number, random: () => Buffer = () => randomBytes(RANDOM_BYTES)): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw new Error(`year out of range: ${year}`);
  const bytes = random();
  if (bytes.length < RANDOM_BYTES) throw new Error(`random source gave ${bytes.length} bytes, need ${RANDOM_BYTES}`);
  const body = encodeBase32(bytes.subarray(0, RANDOM_BYTES));
  const check = codeCheckChar(`${year}${body}`);
  return `JC-${year}-${body.slice(0, 4)}-${body.slice(4)}-${check}`;
}

/** True when `s` has the exact printed shape and its check character matches. */
export function isWellFormedCodeId(s: string): boolean {
  const m = CODE_ID_RE.exec(s);
  if (!m) return false;
  return luhnSum(`${m[1]}${m[2]}${m[3]}${m[4]}`, false) === 0;
}

/**
 * What a person typed → the printed form: upper case, spaces dropped, and Crockford's reading of the
 * look-alikes (O → 0, I/L → 1). The result still has to pass `isWellFormedCodeId`.
 */
export function normaliseCodeId(typed: string): string {
  return typed
    .trim()
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

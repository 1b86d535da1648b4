import { compactMessageOf, compactSignedBytes, decodeBase32, encodeBase32 } from './compact.js';
import { canonicalFacts, type CodeFacts } from './facts.js';
import { keyAlg, signBytesWith, verifyBytesWith, type PrivateKeyLike, type PublicKeyLike } from './keys.js';

/**
 * The signature over an inspection code's facts, shared by the server's keyring and the offline
 * verifiers (src/cli/verify-code.ts, web/portal/offline-verify.js), so all check exactly the same bytes
 * (docs/CODE-FORMAT.md).
 */

/** Key ids travel in URLs, file names and the signed-code token (where `.` separates parts). */
export const KID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A signature in base64url without padding: Ed25519 is 64 bytes (86 characters), an SM2 DER signature
 * at most 72 bytes (96 characters). The exact length is the algorithm's business (decodeSignature and
 * the verifiers); this only bounds what may travel in a URL or token.
 */
export const SIGNATURE_RE = /^[A-Za-z0-9_-]{8,128}$/;

/** @deprecated kept for callers of the Ed25519-only API; use keyAlg(). */
export function isEd25519(key: PublicKeyLike): boolean {
  return keyAlg(key) === 'Ed25519';
}

export function encodeSignature(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/**
 * The bytes of a base64url signature, or null unless `s` is the canonical spelling: base64url without
 * padding whose unused low bits in the last character are zero. A standard decoder ignores those bits,
 * so `…A` and `…B` may decode to the same bytes; only the spelling the encoder writes is accepted, so a
 * signature has exactly one printed form (docs/CODE-FORMAT.md §4).
 */
export function decodeSignature(s: string): Buffer | null {
  if (typeof s !== 'string' || !SIGNATURE_RE.test(s) || s.length % 4 === 1) return null;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : null;
}

export function signFacts(privateKey: PrivateKeyLike, facts: CodeFacts): string {
  return encodeSignature(signBytesWith(privateKey, Buffer.from(canonicalFacts(facts), 'utf8')));
}

/**
 * True only for a genuine signature. Never throws: the input comes from QR codes, URLs and files typed
 * by third parties, and "cannot verify" must read as "not valid", not as a crash.
 */
export function verifyFactsSignature(publicKey: PublicKeyLike, facts: CodeFacts, signature: string): boolean {
  try {
    const bytes = decodeSignature(signature);
    return bytes !== null && verifyBytesWith(publicKey, Buffer.from(canonicalFacts(facts), 'utf8'), bytes);
  } catch {
    return false;
  }
}

/** The v2 signature of `facts` (docs/CODE-FORMAT.md §5): over compactMessageOf(facts), in base32 for the printed QR. */
export function signCompactFacts(privateKey: PrivateKeyLike, facts: CodeFacts): string {
  return encodeBase32(signBytesWith(privateKey, compactMessageOf(facts)));
}

/** True only when the base32 `signature` is a genuine v2 signature over `code` and `packed`; never throws. */
export function verifyCompactSignature(publicKey: PublicKeyLike, code: string, packed: Uint8Array, signature: string): boolean {
  try {
    const bytes = SIGNATURE_RE.test(signature) ? decodeBase32(signature) : null;
    return bytes !== null && verifyBytesWith(publicKey, compactSignedBytes(code, packed), bytes);
  } catch {
    return false;
  }
}

import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalFacts, type CodeFacts } from './facts.js';

/**
 * The Ed25519 signature over an inspection code's facts, shared by the server's keyring and the offline
 * verifier (src/cli/verify-code.ts), so both check exactly the same bytes.
 */

/** Key ids travel in URLs, file names and the signed-code token (where `.` separates parts). */
export const KID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** An Ed25519 signature is 64 bytes: 86 base64url characters without padding. */
export const SIGNATURE_RE = /^[A-Za-z0-9_-]{86}$/;

export function isEd25519(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ed25519';
}

export function signFacts(privateKey: KeyObject, facts: CodeFacts): string {
  // Ed25519 hashes internally, so the algorithm argument is null (node:crypto requires it for EdDSA).
  return sign(null, Buffer.from(canonicalFacts(facts), 'utf8'), privateKey).toString('base64url');
}

/**
 * True only for a genuine signature. Never throws: the input comes from QR codes, URLs and files typed
 * by third parties, and "cannot verify" must read as "not valid", not as a crash.
 */
export function verifyFactsSignature(publicKey: KeyObject, facts: CodeFacts, signature: string): boolean {
  try {
    if (typeof signature !== 'string' || !SIGNATURE_RE.test(signature)) return false;
    const bytes = Buffer.from(signature, 'base64url');
    // base64url decoding ignores the spare low bits of the last character; refusing any spelling but the
    // canonical one keeps a signature to exactly one printed form.
    if (bytes.toString('base64url') !== signature) return false;
    return verify(null, Buffer.from(canonicalFacts(facts), 'utf8'), publicKey, bytes);
  } catch {
    return false;
  }
}

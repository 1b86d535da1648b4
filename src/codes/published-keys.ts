import { createPublicKey } from 'node:crypto';
import { CODE_FACTS_SCHEMA, type CodeFacts } from './facts.js';
import type { PublishedKey } from './keyring.js';
import { keyAlg, parsePublicPem, verifyBytesWith, type PublicKeyLike } from './keys.js';
import { unpackCodeFacts, type CompactFacts } from './compact.js';
import { decodeSignature, verifyCompactSignature, verifyFactsSignature } from './signature.js';

/**
 * Verification from the published keys alone — what an enterprise, a court or a journalist can do
 * without the server: fetch GET /.well-known/inspection-keys once, then check any code offline
 * (docs/CODE-FORMAT.md).
 */

/** Accepts the bare array `publicKeys()` returns or an object wrapping it as `{ keys: [...] }`. */
export function parsePublishedKeys(json: unknown): PublishedKey[] {
  const list = Array.isArray(json) ? json : (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error('expected an array of published keys, or { "keys": [...] }');
  return list.filter(
    (k): k is PublishedKey =>
      typeof k === 'object' && k !== null && typeof (k as PublishedKey).kid === 'string' && (k.jwk || k.publicKeyPem),
  );
}

/**
 * The key for `kid`, built from its PEM (or, for Ed25519, its JWK when there is no PEM); undefined when
 * unusable. The key must be of the algorithm its entry names (an entry without `alg`, as written before
 * SM2 was added, is Ed25519): a forged key list must not make us verify under some other algorithm.
 */
export function publishedPublicKey(keys: PublishedKey[], kid: string): PublicKeyLike | undefined {
  const entry = keys.find((k) => k.kid === kid);
  if (!entry) return undefined;
  try {
    const key: PublicKeyLike = entry.publicKeyPem ? parsePublicPem(entry.publicKeyPem) : createPublicKey({ key: entry.jwk as never, format: 'jwk' });
    return keyAlg(key) === (entry.alg ?? 'Ed25519') && (!('type' in key) || key.type !== 'private') ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The facts of a signed message (the QR's `m`) when `signature` over exactly those bytes verifies under
 * the published key `kid` and the bytes are a v1 code message; null otherwise. The bytes are verified as
 * they are, then read: what was signed is what is shown.
 */
export function verifyMessageWithPublishedKeys(keys: PublishedKey[], kid: string, message: Buffer, signature: string): CodeFacts | null {
  const key = publishedPublicKey(keys, kid);
  const bytes = decodeSignature(signature);
  if (!key || !bytes || !verifyBytesWith(key, message, bytes)) return null;
  try {
    const facts = JSON.parse(message.toString('utf8')) as CodeFacts & { schema?: string };
    return facts.schema === CODE_FACTS_SCHEMA ? facts : null;
  } catch {
    return null;
  }
}

/** True when `signature` over `facts` verifies under the published key `kid` (active, standby or retired). */
export function verifyWithPublishedKeys(keys: PublishedKey[], facts: CodeFacts, kid: string, signature: string): boolean {
  const key = publishedPublicKey(keys, kid);
  return key !== undefined && verifyFactsSignature(key, facts, signature);
}

/**
 * The facts of a printed QR's packed message (v2, docs/CODE-FORMAT.md §5) when its compact signature over the
 * code and those bytes verifies under the published key `kid`; null otherwise (verified first, then read).
 */
export function verifyCompactWithPublishedKeys(keys: PublishedKey[], kid: string, code: string, packed: Uint8Array, signature: string): CompactFacts | null {
  const key = publishedPublicKey(keys, kid);
  if (!key || !verifyCompactSignature(key, code, packed, signature)) return null;
  return unpackCodeFacts(packed);
}

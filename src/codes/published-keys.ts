import { createPublicKey, type KeyObject } from 'node:crypto';
import type { CodeFacts } from './facts.js';
import type { PublishedKey } from './keyring.js';
import { isEd25519, verifyFactsSignature } from './signature.js';

/**
 * Verification from the published keys alone — what an enterprise, a court or a journalist can do
 * without the server: fetch GET /.well-known/inspection-keys once, then check any code offline.
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

/** The key for `kid`, built from its JWK (or its PEM when there is no JWK); undefined when unusable. */
export function publishedPublicKey(keys: PublishedKey[], kid: string): KeyObject | undefined {
  const entry = keys.find((k) => k.kid === kid);
  if (!entry) return undefined;
  try {
    const key = entry.jwk ? createPublicKey({ key: entry.jwk, format: 'jwk' }) : createPublicKey(entry.publicKeyPem);
    // Only Ed25519: a forged key list must not make us verify under some other algorithm.
    return key.type === 'public' && isEd25519(key) ? key : undefined;
  } catch {
    return undefined;
  }
}

/** True when `signature` over `facts` verifies under the published key `kid` (active or retired). */
export function verifyWithPublishedKeys(keys: PublishedKey[], facts: CodeFacts, kid: string, signature: string): boolean {
  const key = publishedPublicKey(keys, kid);
  return key !== undefined && verifyFactsSignature(key, facts, signature);
}

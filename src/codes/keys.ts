import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import {
  generateSm2Key,
  namesSm2Curve,
  sm2Pkcs8Der,
  sm2PrivateFromPkcs8,
  sm2PublicFromSpki,
  sm2Sign,
  sm2SpkiDer,
  sm2Verify,
  type Sm2PrivateKey,
  type Sm2PublicKey,
} from './sm2.js';

/**
 * The two signature algorithms a key may use (CODE_SIGNING_ALG picks the one that signs new codes and
 * audit checkpoints; every published key names its own):
 * - `Ed25519` (RFC 8032): node:crypto KeyObjects;
 * - `SM2-SM3` (GB/T 32918.2 with SM3 and the default user id 1234567812345678): src/codes/sm2.ts.
 */
export type SignatureAlg = 'Ed25519' | 'SM2-SM3';
export const SIGNATURE_ALGS: readonly SignatureAlg[] = ['Ed25519', 'SM2-SM3'];

export type PublicKeyLike = KeyObject | Sm2PublicKey;
export type PrivateKeyLike = KeyObject | Sm2PrivateKey;

/** The algorithm of a key, or undefined for a key of any other kind (RSA, P-256, X25519, …). */
export function keyAlg(key: PublicKeyLike | PrivateKeyLike): SignatureAlg | undefined {
  if (key instanceof KeyObject) return key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : undefined;
  return key?.type === 'sm2-public' || key?.type === 'sm2-private' ? 'SM2-SM3' : undefined;
}

export function isPrivate(key: PublicKeyLike | PrivateKeyLike): boolean {
  return key instanceof KeyObject ? key.type === 'private' : key.type === 'sm2-private';
}

export function publicHalf(key: PrivateKeyLike): PublicKeyLike {
  return key instanceof KeyObject ? createPublicKey(key) : key.publicKey;
}

export function spkiDer(key: PublicKeyLike): Buffer {
  return key instanceof KeyObject ? key.export({ type: 'spki', format: 'der' }) : sm2SpkiDer(key);
}

function pem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

export function spkiPem(key: PublicKeyLike): string {
  return key instanceof KeyObject ? key.export({ type: 'spki', format: 'pem' }).toString() : pem('PUBLIC KEY', sm2SpkiDer(key));
}

export function pkcs8Pem(key: PrivateKeyLike): string {
  return key instanceof KeyObject ? key.export({ type: 'pkcs8', format: 'pem' }).toString() : pem('PRIVATE KEY', sm2Pkcs8Der(key));
}

function pemBody(text: string, label: string): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : undefined;
}

/** A PEM key of either algorithm; SM2 is recognised by its curve and never handed to node:crypto. */
export function parsePrivatePem(text: string): PrivateKeyLike {
  const der = pemBody(text, 'PRIVATE KEY');
  if (der && namesSm2Curve(der)) return sm2PrivateFromPkcs8(der);
  return createPrivateKey(text);
}

export function parsePublicPem(text: string): PublicKeyLike {
  const der = pemBody(text, 'PUBLIC KEY');
  if (der && namesSm2Curve(der)) return sm2PublicFromSpki(der);
  return createPublicKey(text);
}

/** Names the kind of a key that is neither algorithm, for error messages. */
export function describeKey(key: PublicKeyLike | PrivateKeyLike): string {
  return key instanceof KeyObject ? `${key.asymmetricKeyType ?? 'unknown'}` : key.type;
}

export function generateKey(alg: SignatureAlg): PrivateKeyLike {
  return alg === 'SM2-SM3' ? generateSm2Key() : generateKeyPairSync('ed25519').privateKey;
}

/** The signature over exactly `message`: 64 raw bytes for Ed25519, DER (r, s) for SM2-SM3. */
export function signBytesWith(key: PrivateKeyLike, message: Buffer): Buffer {
  // Ed25519 hashes internally, so the algorithm argument is null (node:crypto requires it for EdDSA).
  return key instanceof KeyObject ? sign(null, message, key) : sm2Sign(key, message);
}

/** True only for a genuine signature; never throws. */
export function verifyBytesWith(key: PublicKeyLike, message: Buffer, signature: Buffer): boolean {
  try {
    if (key instanceof KeyObject) return keyAlg(key) === 'Ed25519' && signature.length === 64 && verify(null, message, key, signature);
    return sm2Verify(key, message, signature);
  } catch {
    return false;
  }
}

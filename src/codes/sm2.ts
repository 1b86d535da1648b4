import { createHash, randomBytes } from 'node:crypto';
// The curve's parameters and point arithmetic: one copy, shared with the check page, which verifies SM2 offline
// with it (browsers' WebCrypto has no SM2).
import { A, add, B, GX, GY, inv, mod, multiply, N, P, sm2Verify as verifyOnPoint } from '../../web/portal/sm2-verify.js';

/**
 * SM2 signatures with SM3 (GB/T 32918.2-2016, GB/T 32905-2016; GM/T 0009-2012 for the default user id).
 *
 * Why not node:crypto alone: Node 20 loads SM2 keys (EC keys on curve `SM2`) and hashes with SM3, but
 * `crypto.sign('sm3', …)` with such a key neither computes the user-id digest Z_A nor is checked by
 * `openssl pkeyutl -digest sm3 -pkeyopt distid:1234567812345678` (test/process/codes-sm2-openssl.test.ts
 * shows it). So the curve arithmetic is done on BigInt (web/portal/sm2-verify.js, shared with the check
 * page), with SM3 from node:crypto, and checked against OpenSSL's own SM2 in both directions.
 *
 * Signatures are DER `SEQUENCE { INTEGER r, INTEGER s }` (GB/T 35276-2017 §7.3), the form OpenSSL reads
 * and writes; only the one DER spelling of (r, s) is accepted, so a signature has one printed form.
 *
 * BigInt arithmetic is not constant-time. Signing runs only on the server with its own key, and the
 * time an issuance takes is dominated by the database, but an operator worried by timing leaks should
 * keep Ed25519 (the default, CODE_SIGNING_ALG).
 */

/** GM/T 0009-2012 §10: the user id when none was agreed — what OpenSSL's `distid:1234567812345678` names. */
export const SM2_DEFAULT_ID = Buffer.from('1234567812345678', 'ascii');

type Jac = [bigint, bigint, bigint];

function affine([x, y, z]: Jac): [bigint, bigint] | null {
  if (z === 0n) return null;
  const zi = inv(z, P);
  const zi2 = mod(zi * zi, P);
  return [mod(x * zi2, P), mod(y * zi2 * zi, P)];
}

const G: Jac = [GX, GY, 1n];

function onCurve(x: bigint, y: bigint): boolean {
  return x >= 0n && x < P && y >= 0n && y < P && mod(y * y - (x * x * x + A * x + B), P) === 0n;
}

const be32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const int = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);

/**
 * SM2 keys are held as plain values, not node:crypto KeyObjects: Node 20 maps a PEM SM2 key to a key
 * type it does not know (`asymmetricKeyType` undefined) and aborts the process when asked to export it
 * as SEC1, so nothing here hands an SM2 key to node:crypto.
 */
export interface Sm2PublicKey {
  readonly type: 'sm2-public';
  /** The affine coordinates, 32 bytes each, big-endian. */
  readonly x: Buffer;
  readonly y: Buffer;
}

export interface Sm2PrivateKey {
  readonly type: 'sm2-private';
  readonly d: bigint;
  readonly publicKey: Sm2PublicKey;
}

// DER pieces of the key formats OpenSSL writes for SM2: id-ecPublicKey (1.2.840.10045.2.1) with the
// named curve SM2 (1.2.156.10197.1.301). The layouts are fixed-length, so they are written from templates.
const ALGORITHM_ID = Buffer.from('301306072a8648ce3d020106082a811ccf5501822d', 'hex');
const SM2_CURVE_OID = Buffer.from('06082a811ccf5501822d', 'hex');
const SPKI_PREFIX = Buffer.concat([Buffer.from('3059', 'hex'), ALGORITHM_ID, Buffer.from('03420004', 'hex')]);
const PKCS8_PREFIX = Buffer.concat([Buffer.from('308187020100', 'hex'), ALGORITHM_ID, Buffer.from('046d306b0201010420', 'hex')]);
const PKCS8_MIDDLE = Buffer.from('a14403420004', 'hex');

function publicFromPoint(x: bigint, y: bigint): Sm2PublicKey {
  if (!onCurve(x, y)) throw new Error('SM2 public key is not a point on the curve');
  return { type: 'sm2-public', x: be32(x), y: be32(y) };
}

function privateFromScalar(d: bigint): Sm2PrivateKey {
  // d = n - 1 is excluded by GB/T 32918.1 §6.1 because 1 + d must be invertible mod n.
  if (d < 1n || d > N - 2n) throw new Error('SM2 private key is out of range');
  const [x, y] = affine(multiply(d, G))!;
  return { type: 'sm2-private', d, publicKey: publicFromPoint(x, y) };
}

export function generateSm2Key(): Sm2PrivateKey {
  for (;;) {
    const d = randomScalar();
    if (d <= N - 2n) return privateFromScalar(d);
  }
}

export function sm2SpkiDer(key: Sm2PublicKey): Buffer {
  return Buffer.concat([SPKI_PREFIX, key.x, key.y]);
}

export function sm2Pkcs8Der(key: Sm2PrivateKey): Buffer {
  return Buffer.concat([PKCS8_PREFIX, be32(key.d), PKCS8_MIDDLE, key.publicKey.x, key.publicKey.y]);
}

/** True when a DER key (SPKI or PKCS8) names the SM2 curve; such keys are read by the functions below. */
export function namesSm2Curve(der: Buffer): boolean {
  return der.includes(SM2_CURVE_OID);
}

/** Reads the SPKI DER OpenSSL writes for an SM2 public key (`openssl pkey -pubout`). */
export function sm2PublicFromSpki(der: Buffer): Sm2PublicKey {
  if (der.length !== SPKI_PREFIX.length + 64 || !der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) {
    throw new Error('not an SM2 SubjectPublicKeyInfo with an uncompressed point');
  }
  const at = SPKI_PREFIX.length;
  return publicFromPoint(int(der.subarray(at, at + 32)), int(der.subarray(at + 32, at + 64)));
}

/**
 * Reads a PKCS8 SM2 private key as OpenSSL writes it (`openssl genpkey -algorithm SM2`): the scalar
 * d is taken, the public point recomputed from it and, when the file carries one, compared.
 */
export function sm2PrivateFromPkcs8(der: Buffer): Sm2PrivateKey {
  const at = der.indexOf(Buffer.from('0201010420', 'hex'));
  if (!der.includes(ALGORITHM_ID) || at < 0 || at + 5 + 32 > der.length) throw new Error('not a PKCS8 SM2 private key');
  const key = privateFromScalar(int(der.subarray(at + 5, at + 5 + 32)));
  const point = der.indexOf(Buffer.from('03420004', 'hex'), at + 5 + 32);
  if (point >= 0) {
    const xy = der.subarray(point + 4, point + 4 + 64);
    if (!xy.equals(Buffer.concat([key.publicKey.x, key.publicKey.y]))) throw new Error('PKCS8 SM2 key: the public point does not match the private scalar');
  }
  return key;
}

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5). */
export function sm2Za(publicKey: Sm2PublicKey, id: Buffer = SM2_DEFAULT_ID): Buffer {
  const { x, y } = publicKey;
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  return createHash('sm3').update(Buffer.concat([entl, id, be32(A), be32(B), be32(GX), be32(GY), x, y])).digest();
}

function digest(publicKey: Sm2PublicKey, message: Buffer): bigint {
  return int(createHash('sm3').update(sm2Za(publicKey)).update(message).digest());
}

function derInt(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

function encodeDer(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInt(r), derInt(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function randomScalar(): bigint {
  for (;;) {
    const k = int(randomBytes(32));
    if (k >= 1n && k < N) return k;
  }
}

/** GB/T 32918.2 §6.1, with the default user id; returns the DER signature. */
export function sm2Sign(privateKey: Sm2PrivateKey, message: Buffer): Buffer {
  const { d } = privateKey;
  const e = digest(privateKey.publicKey, message);
  const dInv = inv(1n + d, N);
  for (;;) {
    const k = randomScalar();
    const [x1] = affine(multiply(k, G))!;
    const r = mod(e + x1, N);
    if (r === 0n || r + k === N) continue;
    const s = mod(dInv * (k - r * d), N);
    if (s === 0n) continue;
    return encodeDer(r, s);
  }
}

/**
 * GB/T 32918.2 §7.1. False for anything that is not a genuine signature; never throws. The check page's verifier,
 * so the server and the phone accept exactly the same signatures (one DER spelling of (r, s) only).
 */
export function sm2Verify(publicKey: Sm2PublicKey, message: Buffer, signature: Buffer): boolean {
  return publicKey?.type === 'sm2-public' && verifyOnPoint(publicKey.x, publicKey.y, message, signature);
}

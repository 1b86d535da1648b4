import { createHash, randomBytes } from 'node:crypto';

/**
 * SM2 signatures with SM3 (GB/T 32918.2-2016, GB/T 32905-2016; GM/T 0009-2012 for the default user id).
 *
 * Why not node:crypto alone: Node 20 loads SM2 keys (EC keys on curve `SM2`) and hashes with SM3, but
 * `crypto.sign('sm3', …)` with such a key neither computes the user-id digest Z_A nor is checked by
 * `openssl pkeyutl -digest sm3 -pkeyopt distid:1234567812345678` (test/process/codes-sm2-openssl.test.ts
 * shows it). So the curve arithmetic is done here, on BigInt, with SM3 from node:crypto, and checked
 * against OpenSSL's own SM2 in both directions.
 *
 * Signatures are DER `SEQUENCE { INTEGER r, INTEGER s }` (GB/T 35276-2017 §7.3), the form OpenSSL reads
 * and writes; only the one DER spelling of (r, s) is accepted, so a signature has one printed form.
 *
 * BigInt arithmetic is not constant-time. Signing runs only on the server with its own key, and the
 * time an issuance takes is dominated by the database, but an operator worried by timing leaks should
 * keep Ed25519 (the default, CODE_SIGNING_ALG).
 */

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** GM/T 0009-2012 §10: the user id when none was agreed — what OpenSSL's `distid:1234567812345678` names. */
export const SM2_DEFAULT_ID = Buffer.from('1234567812345678', 'ascii');

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

function inv(a: bigint, m: bigint): bigint {
  // Extended Euclid; a is never 0 mod m where this is called.
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

/** Jacobian coordinates (X, Y, Z) ↔ affine (X/Z², Y/Z³): additions without a modular inverse each. */
type Jac = [bigint, bigint, bigint];
const INFINITY: Jac = [1n, 1n, 0n];

function double([x, y, z]: Jac): Jac {
  if (z === 0n || y === 0n) return INFINITY;
  const yy = mod(y * y, P);
  const s = mod(4n * x * yy, P);
  const zz = mod(z * z, P);
  const m = mod(3n * x * x + A * zz * zz, P);
  const x3 = mod(m * m - 2n * s, P);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, P);
  return [x3, y3, mod(2n * y * z, P)];
}

function add(p: Jac, q: Jac): Jac {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const z1z1 = mod(p[2] * p[2], P);
  const z2z2 = mod(q[2] * q[2], P);
  const u1 = mod(p[0] * z2z2, P);
  const u2 = mod(q[0] * z1z1, P);
  const s1 = mod(p[1] * q[2] * z2z2, P);
  const s2 = mod(q[1] * p[2] * z1z1, P);
  if (u1 === u2) return s1 === s2 ? double(p) : INFINITY;
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  const hh = mod(h * h, P);
  const hhh = mod(h * hh, P);
  const v = mod(u1 * hh, P);
  const x3 = mod(r * r - hhh - 2n * v, P);
  const y3 = mod(r * (v - x3) - s1 * hhh, P);
  return [x3, y3, mod(h * p[2] * q[2], P)];
}

function multiply(k: bigint, point: Jac): Jac {
  let acc = INFINITY;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    acc = double(acc);
    if ((k >> i) & 1n) acc = add(acc, point);
  }
  return acc;
}

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

/** (r, s) from the one DER spelling of them, or null (short-form lengths suffice: the body is < 128 bytes). */
function decodeDer(sig: Buffer): [bigint, bigint] | null {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] !== sig.length - 2) return null;
  const values: bigint[] = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (sig[at] !== 0x02) return null;
    const len = sig[at + 1]!;
    if (len < 1 || len > 33 || at + 2 + len > sig.length) return null;
    values.push(int(sig.subarray(at + 2, at + 2 + len)));
    at += 2 + len;
  }
  if (at !== sig.length) return null;
  const [r, s] = values as [bigint, bigint];
  // Re-encoding must give the same bytes: no negative numbers, no superfluous leading zero octets.
  return encodeDer(r, s).equals(sig) ? [r, s] : null;
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

/** GB/T 32918.2 §7.1. False for anything that is not a genuine signature; never throws. */
export function sm2Verify(publicKey: Sm2PublicKey, message: Buffer, signature: Buffer): boolean {
  try {
    if (publicKey?.type !== 'sm2-public') return false;
    const rs = decodeDer(signature);
    if (!rs) return false;
    const [r, s] = rs;
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const t = mod(r + s, N);
    if (t === 0n) return false;
    const { x, y } = publicKey;
    const sum = affine(add(multiply(s, G), multiply(t, [int(x), int(y), 1n])));
    if (!sum) return false;
    return mod(digest(publicKey, message) + sum[0], N) === r;
  } catch {
    return false;
  }
}

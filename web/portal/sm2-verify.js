/**
 * SM2 signature verification with SM3 (GB/T 32918.2-2016, GB/T 32905-2016, default user id 1234567812345678) in
 * the page itself: browsers' WebCrypto has neither, and without it an enterprise whose platform signs with
 * SM2-SM3 (CODE_SIGNING_ALG) could check no code offline. Verification only — no secret is handled here, so
 * BigInt's variable timing leaks nothing. The curve arithmetic below is the one copy: the server's src/codes/sm2.ts
 * signs with it (and is checked against OpenSSL); test/unit/codes-sm2-browser.test.ts checks this verifier against
 * the server's signer.
 */

/** @typedef {[bigint, bigint, bigint]} Jac Jacobian coordinates (X, Y, Z) ↔ affine (X/Z², Y/Z³): additions without an inverse each. */

export const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
export const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
export const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
export const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
export const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;
const DEFAULT_ID = new TextEncoder().encode('1234567812345678');

const rotl = (x, n) => ((x << n) | (x >>> (32 - n))) >>> 0;

/** SM3 (GB/T 32905-2016): the 32-byte digest of `bytes`. */
export function sm3(bytes) {
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const v = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
  const w = new Uint32Array(68);
  const w1 = new Uint32Array(64);
  const p0 = (x) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
  const p1 = (x) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;
  for (let at = 0; at < padded.length; at += 64) {
    for (let j = 0; j < 16; j++) w[j] = view.getUint32(at + 4 * j);
    for (let j = 16; j < 68; j++) w[j] = (p1(w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15)) ^ rotl(w[j - 13], 7) ^ w[j - 6]) >>> 0;
    for (let j = 0; j < 64; j++) w1[j] = (w[j] ^ w[j + 4]) >>> 0;
    let [a, b, c, d, e, f, g, h] = v;
    for (let j = 0; j < 64; j++) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j % 32)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + w1[j]) >>> 0;
      const tt2 = (gg + h + ss1 + w[j]) >>> 0;
      d = c;
      c = rotl(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = p0(tt2);
    }
    [a, b, c, d, e, f, g, h].forEach((x, i) => (v[i] = (v[i] ^ x) >>> 0));
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  v.forEach((x, i) => outView.setUint32(4 * i, x));
  return out;
}

/** @type {(a: bigint, m: bigint) => bigint} */
export const mod = (a, m) => {
  const r = a % m;
  return r < 0n ? r + m : r;
};

/**
 * Extended Euclid; a is never 0 mod m where this is called.
 * @param {bigint} a
 * @param {bigint} m
 * @returns {bigint}
 */
export function inv(a, m) {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

/** @type {Jac} */
const INFINITY = [1n, 1n, 0n];

/**
 * @param {Jac} point
 * @returns {Jac}
 */
function double([x, y, z]) {
  if (z === 0n || y === 0n) return INFINITY;
  const yy = mod(y * y, P);
  const s = mod(4n * x * yy, P);
  const zz = mod(z * z, P);
  const m = mod(3n * x * x + A * zz * zz, P);
  const x3 = mod(m * m - 2n * s, P);
  return [x3, mod(m * (s - x3) - 8n * yy * yy, P), mod(2n * y * z, P)];
}

/**
 * @param {Jac} p
 * @param {Jac} q
 * @returns {Jac}
 */
export function add(p, q) {
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
  return [x3, mod(r * (v - x3) - s1 * hhh, P), mod(h * p[2] * q[2], P)];
}

/**
 * @param {bigint} k
 * @param {Jac} point
 * @returns {Jac}
 */
export function multiply(k, point) {
  let acc = INFINITY;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    acc = double(acc);
    if ((k >> i) & 1n) acc = add(acc, point);
  }
  return acc;
}

const toInt = (bytes) => BigInt(`0x${Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('') || '0'}`);
const be32 = (v) => Uint8Array.from(v.toString(16).padStart(64, '0').match(/../g) ?? [], (h) => parseInt(h, 16));
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** (r, s) from the one DER spelling of SEQUENCE { INTEGER r, INTEGER s } (GB/T 35276-2017), or null. */
function decodeDer(sig) {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] !== sig.length - 2) return null;
  const values = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    const len = sig[at + 1];
    if (sig[at] !== 0x02 || len < 1 || len > 33 || at + 2 + len > sig.length) return null;
    const body = sig.subarray(at + 2, at + 2 + len);
    // Minimal and non-negative: no leading 0x00 unless the next byte has its high bit set; no high bit first.
    if (body[0] & 0x80 || (body[0] === 0 && (len === 1 || !(body[1] & 0x80)))) return null;
    values.push(toInt(body));
    at += 2 + len;
  }
  return at === sig.length ? values : null;
}

/**
 * True only when `signature` (DER) is a genuine SM2-SM3 signature of `message` under the public point
 * (x, y) (32 bytes each, as the key set's JWK carries them); never throws.
 */
export function sm2Verify(x, y, message, signature) {
  try {
    if (x.length !== 32 || y.length !== 32) return false;
    const px = toInt(x);
    const py = toInt(y);
    if (px >= P || py >= P || mod(py * py - (px * px * px + A * px + B), P) !== 0n) return false;
    const rs = decodeDer(signature);
    if (!rs) return false;
    const [r, s] = rs;
    if (r < 1n || r >= N || s < 1n || s >= N) return false;
    const t = mod(r + s, N);
    if (t === 0n) return false;
    const entl = new Uint8Array([(DEFAULT_ID.length * 8) >> 8, (DEFAULT_ID.length * 8) & 0xff]);
    const za = sm3(concat(entl, DEFAULT_ID, be32(A), be32(B), be32(GX), be32(GY), x, y));
    const e = toInt(sm3(concat(za, message)));
    const [sx, , sz] = add(multiply(s, [GX, GY, 1n]), multiply(t, [px, py, 1n]));
    if (sz === 0n) return false;
    const zi = inv(sz, P);
    return mod(e + mod(sx * zi * zi, P), N) === r;
  } catch {
    return false;
  }
}

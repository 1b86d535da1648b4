import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shanghaiDate } from '../time/shanghai-date.js';
import type { CodeFacts } from './facts.js';
import {
  describeKey,
  generateKey,
  isPrivate,
  keyAlg,
  parsePrivatePem,
  parsePublicPem,
  pkcs8Pem,
  publicHalf,
  SIGNATURE_ALGS,
  signBytesWith,
  spkiDer,
  spkiPem,
  verifyBytesWith,
  type PrivateKeyLike,
  type PublicKeyLike,
  type SignatureAlg,
} from './keys.js';
import { decodeSignature, encodeSignature, KID_RE, signCompactFacts, signFacts, verifyCompactSignature, verifyFactsSignature } from './signature.js';
import type { Sm2PublicKey } from './sm2.js';

export type { SignatureAlg } from './keys.js';

/**
 * The keys that sign inspection codes (and audit checkpoints). Each algorithm has at most one current
 * key (`active`); the setting CODE_SIGNING_ALG picks which of those signs. Earlier keys stay as public
 * keys only (retired), so codes already printed on notices keep verifying after a rotation, and a
 * change of algorithm leaves every earlier code verifiable.
 */
export interface SigningKey {
  kid: string;
  privateKey?: PrivateKeyLike;
  publicKey: PublicKeyLike;
  /** The current key of its algorithm: it signs when its algorithm is the chosen one. */
  active: boolean;
}

/**
 * One entry of GET /.well-known/inspection-keys: everything a third party needs, nothing secret
 * (docs/CODE-FORMAT.md §3). `active` signs new codes now; `standby` is the current key of the other
 * algorithm (it signs once CODE_SIGNING_ALG names that algorithm); `retired` keys only verify.
 */
export interface PublishedKey {
  kid: string;
  alg: SignatureAlg;
  status: 'active' | 'standby' | 'retired';
  publicKeyPem: string;
  jwk: Record<string, string>;
}

export interface KeyringOptions {
  /** The algorithm new signatures use; defaults to Ed25519 when an Ed25519 key is current, else the only current key's. */
  signingAlg?: SignatureAlg;
}

function jwkOf(kid: string, key: PublicKeyLike): Record<string, string> {
  if (keyAlg(key) === 'SM2-SM3') {
    const { x, y } = key as Sm2PublicKey;
    // No RFC registers an SM2 curve for JWK; `crv: "SM2"` is the name in use (e.g. by the GM/T JOSE drafts)
    // and a JOSE library that does not know it refuses the key instead of misusing it.
    return { kty: 'EC', crv: 'SM2', x: x.toString('base64url'), y: y.toString('base64url'), kid, alg: 'SM2-SM3', use: 'sig' };
  }
  // kid/alg/use are the standard JWK members (RFC 7517, RFC 8037), so JOSE libraries can pick the key.
  const jwk = (key as import('node:crypto').KeyObject).export({ format: 'jwk' }) as Record<string, string>;
  return { ...jwk, kid, alg: 'EdDSA', use: 'sig' };
}

export class Keyring {
  readonly activeKid: string;
  readonly signingAlg: SignatureAlg;
  readonly #signingKey: PrivateKeyLike;
  // Public halves only: a retired key's private half is dropped here even when it was supplied.
  readonly #publicKeys = new Map<string, PublicKeyLike>();
  readonly #current = new Set<string>();

  constructor(keys: SigningKey[], options: KeyringOptions = {}) {
    if (keys.length === 0) throw new Error('keyring: at least one key is needed');
    for (const k of keys) {
      if (!KID_RE.test(k.kid)) throw new Error(`keyring: kid "${k.kid}" must match ${KID_RE}`);
      if (this.#publicKeys.has(k.kid)) throw new Error(`keyring: kid "${k.kid}" appears twice`);
      if (isPrivate(k.publicKey) || !keyAlg(k.publicKey)) {
        throw new Error(`keyring: key "${k.kid}" is not an Ed25519 or SM2 public key`);
      }
      this.#publicKeys.set(k.kid, k.publicKey);
    }
    const active = keys.filter((k) => k.active);
    if (active.length === 0) throw new Error('keyring: exactly one active key is needed, found 0');
    for (const alg of SIGNATURE_ALGS) {
      const n = active.filter((k) => keyAlg(k.publicKey) === alg).length;
      if (n > 1) throw new Error(`keyring: exactly one active key per algorithm is allowed, found ${n} for ${alg}`);
    }
    const signingAlg =
      options.signingAlg ?? (active.some((k) => keyAlg(k.publicKey) === 'Ed25519') ? 'Ed25519' : keyAlg(active[0]!.publicKey)!);
    const signer = active.find((k) => keyAlg(k.publicKey) === signingAlg);
    if (!signer) throw new Error(`keyring: signing algorithm ${signingAlg} is chosen but no active ${signingAlg} key was given`);
    for (const k of active) {
      if (!k.privateKey) throw new Error(`keyring: active key "${k.kid}" has no private key`);
      if (!isPrivate(k.privateKey) || !spkiDer(publicHalf(k.privateKey)).equals(spkiDer(k.publicKey))) {
        throw new Error(`keyring: private key of "${k.kid}" does not match its public key`);
      }
      this.#current.add(k.kid);
    }
    this.activeKid = signer.kid;
    this.signingAlg = signingAlg;
    this.#signingKey = signer.privateKey!;
  }

  /**
   * Both signatures of a code, with the same key: `signature` over the v1 message (canonical JSON, the
   * electronic link's `#m=` and the public check's `signedMessage`) and `compactSignature` over the v2 packed
   * message the printed QR carries (src/codes/compact.ts). One call, so a code is never signed in one form only.
   */
  sign(facts: CodeFacts): { kid: string; alg: SignatureAlg; signature: string; compactSignature: string } {
    return {
      kid: this.activeKid,
      alg: this.signingAlg,
      signature: signFacts(this.#signingKey, facts),
      compactSignature: signCompactFacts(this.#signingKey, facts),
    };
  }

  /** False for an unknown kid or a bad signature; never throws on garbage input. */
  verify(facts: CodeFacts, kid: string, signature: string): boolean {
    const key = typeof kid === 'string' ? this.#publicKeys.get(kid) : undefined;
    return key !== undefined && verifyFactsSignature(key, facts, signature);
  }

  /** Checks a v2 compact signature (base32) over `code` and the packed facts under `kid`; never throws. */
  verifyCompact(code: string, packed: Uint8Array, kid: string, compactSignature: string): boolean {
    const key = typeof kid === 'string' ? this.#publicKeys.get(kid) : undefined;
    return key !== undefined && verifyCompactSignature(key, code, packed, compactSignature);
  }

  /**
   * A signature over arbitrary bytes with the signing key, for other signed records (audit checkpoints).
   * The caller must put a domain label of its own inside `message` (as CODE_FACTS_SCHEMA does for codes),
   * so a signature for one kind of record can never pass as one for another.
   */
  signBytes(message: Uint8Array): { kid: string; alg: SignatureAlg; signature: string } {
    return { kid: this.activeKid, alg: this.signingAlg, signature: encodeSignature(signBytesWith(this.#signingKey, Buffer.from(message))) };
  }

  /** Checks a signBytes() signature under `kid` (active, standby or retired); never throws. */
  verifyBytes(message: Uint8Array, kid: string, signature: string): boolean {
    const key = typeof kid === 'string' ? this.#publicKeys.get(kid) : undefined;
    const bytes = decodeSignature(signature);
    return key !== undefined && bytes !== null && verifyBytesWith(key, Buffer.from(message), bytes);
  }

  /** The algorithm of key `kid`, or undefined when the keyring does not hold it. */
  algOf(kid: string): SignatureAlg | undefined {
    const key = this.#publicKeys.get(kid);
    return key && keyAlg(key);
  }

  /** The active key first, then the standby ones, then the retired ones. */
  publicKeys(): PublishedKey[] {
    const status = (kid: string): PublishedKey['status'] => (kid === this.activeKid ? 'active' : this.#current.has(kid) ? 'standby' : 'retired');
    const rank = { active: 0, standby: 1, retired: 2 };
    const kids = [...this.#publicKeys.keys()].sort((a, b) => rank[status(a)] - rank[status(b)]);
    return kids.map((kid) => {
      const key = this.#publicKeys.get(kid)!;
      return { kid, alg: keyAlg(key)!, status: status(kid), publicKeyPem: spkiPem(key), jwk: jwkOf(kid, key) };
    });
  }
}

/** A fresh key pair under `kid` (Ed25519 unless told). */
export function generateSigningKey(kid: string, active = true, alg: SignatureAlg = 'Ed25519'): SigningKey {
  const privateKey = generateKey(alg);
  return { kid, privateKey, publicKey: publicHalf(privateKey), active };
}

/** One fresh active key, for tests. */
export function generateKeyring(kid = 'test-key', alg: SignatureAlg = 'Ed25519'): Keyring {
  return new Keyring([generateSigningKey(kid, true, alg)], { signingAlg: alg });
}

export interface LoadKeyringOptions {
  /**
   * A folder of `<kid>.pem` (PKCS8 private, Ed25519 or SM2) / `<kid>.pub.pem` (retired, public only) and
   * `active` naming the current kid of each algorithm (one per line).
   */
  keysDir?: string;
  dataDir: string;
  production: boolean;
  /** CODE_SIGNING_ALG: which current key signs new codes; Ed25519 unless told. */
  signingAlg?: SignatureAlg;
  /** The day the development key is named after; defaults to now. */
  now?: Date;
}

export function loadKeyring(opts: LoadKeyringOptions): Keyring {
  const signingAlg = opts.signingAlg ?? 'Ed25519';
  if (opts.keysDir) return loadKeysDir(opts.keysDir, signingAlg, opts.production);
  if (opts.production) {
    // A generated key would sign codes nobody can verify against the published keys of the last run.
    throw new Error(
      'inspection code signing keys are not configured: production needs a keys folder ' +
        '(<kid>.pem Ed25519 or SM2 PKCS8 private keys, <kid>.pub.pem retired public keys, and a file `active` naming the current kid of each algorithm); ' +
        'a development key is never generated in production',
    );
  }
  return loadDevKeys(join(opts.dataDir, 'code-keys'), opts.now ?? new Date(), signingAlg);
}

function readKeyFile(file: string, kind: 'private' | 'public'): PrivateKeyLike | PublicKeyLike {
  const pem = readFileSync(file, 'utf8');
  // createPublicKey would happily derive a public key from a private PEM: refuse, so a secret is never
  // kept in a file the operator believes is safe to publish.
  if (kind === 'public' && pem.includes('PRIVATE KEY')) throw new Error(`${file} holds a private key; a .pub.pem must be public only`);
  let key: PrivateKeyLike | PublicKeyLike;
  try {
    key = kind === 'private' ? parsePrivatePem(pem) : parsePublicPem(pem);
  } catch (e) {
    throw new Error(`${file} is not a PEM ${kind === 'private' ? 'PKCS8 private' : 'SPKI public'} key: ${(e as Error).message}`);
  }
  if (!keyAlg(key)) throw new Error(`${file} is a ${describeKey(key)} key; inspection codes use Ed25519 or SM2`);
  return key;
}

function loadKeysDir(dir: string, signingAlg: SignatureAlg, production = false): Keyring {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`inspection code keys folder ${dir} does not exist`);
  const activeFile = join(dir, 'active');
  if (!existsSync(activeFile)) throw new Error(`${activeFile} is missing: it must contain the kid of the signing key`);
  const activeKids = readFileSync(activeFile, 'utf8').split(/\s+/).filter(Boolean);
  if (activeKids.length === 0) throw new Error(`${activeFile} is empty: it must contain the kid of the signing key`);

  const privateKeys = new Map<string, PrivateKeyLike>();
  const publicKeys = new Map<string, PublicKeyLike>();
  for (const name of readdirSync(dir).sort()) {
    const kind = name.endsWith('.pub.pem') ? 'public' : name.endsWith('.pem') ? 'private' : undefined;
    if (!kind) continue; // `active`, README and the like
    const kid = name.slice(0, -(kind === 'public' ? '.pub.pem' : '.pem').length);
    const file = join(dir, name);
    if (!KID_RE.test(kid)) throw new Error(`${file}: the file name must be <kid>.pem with a kid matching ${KID_RE}`);
    // Whoever reads a signing key can issue codes an enterprise would trust: in production only the
    // server's own user may read it (chmod 600), as ssh insists for its keys.
    if (production && kind === 'private' && process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
      throw new Error(`${file} is readable by its group or by others (mode ${(statSync(file).mode & 0o777).toString(8)}); chmod 600 it`);
    }
    if (kind === 'private') privateKeys.set(kid, readKeyFile(file, kind) as PrivateKeyLike);
    else publicKeys.set(kid, readKeyFile(file, kind) as PublicKeyLike);
  }
  if (privateKeys.size + publicKeys.size === 0) throw new Error(`${dir} holds no <kid>.pem or <kid>.pub.pem key files`);

  const keys: SigningKey[] = [];
  for (const [kid, privateKey] of privateKeys) {
    const derived = publicHalf(privateKey);
    const published = publicKeys.get(kid);
    // Keeping <kid>.pub.pem beside <kid>.pem is fine (it is what gets published) as long as they agree.
    if (published && !spkiDer(published).equals(spkiDer(derived))) {
      throw new Error(`${join(dir, `${kid}.pub.pem`)} does not match ${join(dir, `${kid}.pem`)}`);
    }
    keys.push({ kid, privateKey, publicKey: derived, active: activeKids.includes(kid) });
  }
  for (const [kid, publicKey] of publicKeys) {
    if (!privateKeys.has(kid)) keys.push({ kid, publicKey, active: activeKids.includes(kid) });
  }
  for (const activeKid of activeKids) {
    if (!keys.some((k) => k.kid === activeKid)) {
      throw new Error(`${activeFile} names "${activeKid}" but ${dir} has no ${activeKid}.pem`);
    }
    if (!privateKeys.has(activeKid)) {
      throw new Error(`${activeFile} names "${activeKid}" but only ${activeKid}.pub.pem exists; signing needs ${activeKid}.pem`);
    }
  }
  return new Keyring(keys, { signingAlg });
}

/** `dev-20260408.pem` (Ed25519, the name earlier versions used) and `dev-sm2-20260408.pem`. */
const DEV_KEY_RE = /^dev-(sm2-)?\d{8}\.pem$/;
const devAlg = (name: string): SignatureAlg => (name.startsWith('dev-sm2-') ? 'SM2-SM3' : 'Ed25519');

/**
 * Development: the key is generated once into DATA_DIR (never committed, so no two installations share
 * it) and reused afterwards; its name carries the day it was made. A key of the chosen algorithm is made
 * only when none exists yet. Every dev key found is kept, the newest of each algorithm current, so codes
 * from an earlier key or the other algorithm still verify.
 */
function loadDevKeys(dir: string, now: Date, signingAlg: SignatureAlg): Keyring {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let names = readdirSync(dir).filter((n) => DEV_KEY_RE.test(n));
  if (!names.some((n) => devAlg(n) === signingAlg)) {
    const name = `dev-${signingAlg === 'SM2-SM3' ? 'sm2-' : ''}${shanghaiDate(now).replaceAll('-', '')}.pem`;
    try {
      // 'wx': if another process created the file meanwhile, keep its key instead of overwriting it.
      writeFileSync(join(dir, name), pkcs8Pem(generateKey(signingAlg)), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    names = [...names, name];
  }
  // The date sorts within an algorithm; the newest of each algorithm is its current key.
  names.sort();
  const newest = new Map(names.map((n) => [devAlg(n), n]));
  return new Keyring(
    names.map((name) => {
      const privateKey = readKeyFile(join(dir, name), 'private') as PrivateKeyLike;
      return { kid: name.slice(0, -'.pem'.length), privateKey, publicKey: publicHalf(privateKey), active: newest.get(devAlg(name)) === name };
    }),
    { signingAlg },
  );
}

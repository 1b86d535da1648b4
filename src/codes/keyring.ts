import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shanghaiDate } from '../time/shanghai-date.js';
import type { CodeFacts } from './facts.js';
import { isEd25519, KID_RE, signFacts, verifyFactsSignature } from './signature.js';

/**
 * The keys that sign inspection codes. One key signs (active); earlier keys stay as public keys only
 * (retired), so codes already printed on notices keep verifying after a rotation.
 */
export interface SigningKey {
  kid: string;
  privateKey?: KeyObject;
  publicKey: KeyObject;
  active: boolean;
}

/** One entry of GET /.well-known/inspection-keys: everything a third party needs, nothing secret. */
export interface PublishedKey {
  kid: string;
  alg: 'Ed25519';
  status: 'active' | 'retired';
  publicKeyPem: string;
  jwk: JsonWebKey;
}

function spki(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

export class Keyring {
  readonly activeKid: string;
  readonly #signingKey: KeyObject;
  // Public halves only: a retired key's private half is dropped here even when it was supplied.
  readonly #publicKeys = new Map<string, KeyObject>();

  constructor(keys: SigningKey[]) {
    if (keys.length === 0) throw new Error('keyring: at least one key is needed');
    for (const k of keys) {
      if (!KID_RE.test(k.kid)) throw new Error(`keyring: kid "${k.kid}" must match ${KID_RE}`);
      if (this.#publicKeys.has(k.kid)) throw new Error(`keyring: kid "${k.kid}" appears twice`);
      if (k.publicKey.type !== 'public' || !isEd25519(k.publicKey)) {
        throw new Error(`keyring: key "${k.kid}" is not an Ed25519 public key`);
      }
      this.#publicKeys.set(k.kid, k.publicKey);
    }
    const active = keys.filter((k) => k.active);
    if (active.length !== 1) {
      throw new Error(`keyring: exactly one active key is needed, found ${active.length}`);
    }
    const signer = active[0]!;
    if (!signer.privateKey) throw new Error(`keyring: active key "${signer.kid}" has no private key`);
    if (signer.privateKey.type !== 'private' || !spki(createPublicKey(signer.privateKey)).equals(spki(signer.publicKey))) {
      throw new Error(`keyring: private key of "${signer.kid}" does not match its public key`);
    }
    this.activeKid = signer.kid;
    this.#signingKey = signer.privateKey;
  }

  sign(facts: CodeFacts): { kid: string; signature: string } {
    return { kid: this.activeKid, signature: signFacts(this.#signingKey, facts) };
  }

  /** False for an unknown kid or a bad signature; never throws on garbage input. */
  verify(facts: CodeFacts, kid: string, signature: string): boolean {
    const key = typeof kid === 'string' ? this.#publicKeys.get(kid) : undefined;
    return key !== undefined && verifyFactsSignature(key, facts, signature);
  }

  /** The active key first, then the retired ones. */
  publicKeys(): PublishedKey[] {
    const kids = [this.activeKid, ...[...this.#publicKeys.keys()].filter((kid) => kid !== this.activeKid)];
    return kids.map((kid) => {
      const key = this.#publicKeys.get(kid)!;
      return {
        kid,
        alg: 'Ed25519',
        status: kid === this.activeKid ? 'active' : 'retired',
        publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
        // kid/alg/use are the standard JWK members (RFC 7517, RFC 8037), so JOSE libraries can pick the key.
        jwk: { ...key.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' },
      };
    });
  }
}

/** A fresh Ed25519 key pair under `kid`. */
export function generateSigningKey(kid: string, active = true): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, publicKey, active };
}

/** One fresh active key, for tests. */
export function generateKeyring(kid = 'test-key'): Keyring {
  return new Keyring([generateSigningKey(kid)]);
}

export interface LoadKeyringOptions {
  /** A folder of `<kid>.pem` (PKCS8 private) / `<kid>.pub.pem` (retired, public only) and `active`. */
  keysDir?: string;
  dataDir: string;
  production: boolean;
  /** The day the development key is named after; defaults to now. */
  now?: Date;
}

export function loadKeyring(opts: LoadKeyringOptions): Keyring {
  if (opts.keysDir) return loadKeysDir(opts.keysDir, opts.production);
  if (opts.production) {
    // A generated key would sign codes nobody can verify against the published keys of the last run.
    throw new Error(
      'inspection code signing keys are not configured: production needs a keys folder ' +
        '(<kid>.pem Ed25519 PKCS8 private keys, <kid>.pub.pem retired public keys, and a file `active` naming the signing kid); ' +
        'a development key is never generated in production',
    );
  }
  return loadDevKeys(join(opts.dataDir, 'code-keys'), opts.now ?? new Date());
}

function readKeyFile(file: string, kind: 'private' | 'public'): KeyObject {
  const pem = readFileSync(file, 'utf8');
  // createPublicKey would happily derive a public key from a private PEM: refuse, so a secret is never
  // kept in a file the operator believes is safe to publish.
  if (kind === 'public' && pem.includes('PRIVATE KEY')) throw new Error(`${file} holds a private key; a .pub.pem must be public only`);
  let key: KeyObject;
  try {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (e) {
    throw new Error(`${file} is not a PEM ${kind === 'private' ? 'PKCS8 private' : 'SPKI public'} key: ${(e as Error).message}`);
  }
  if (!isEd25519(key)) throw new Error(`${file} is a ${key.asymmetricKeyType} key; inspection codes use Ed25519`);
  return key;
}

function loadKeysDir(dir: string, production = false): Keyring {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`inspection code keys folder ${dir} does not exist`);
  const activeFile = join(dir, 'active');
  if (!existsSync(activeFile)) throw new Error(`${activeFile} is missing: it must contain the kid of the signing key`);
  const activeKid = readFileSync(activeFile, 'utf8').trim();
  if (!activeKid) throw new Error(`${activeFile} is empty: it must contain the kid of the signing key`);

  const privateKeys = new Map<string, KeyObject>();
  const publicKeys = new Map<string, KeyObject>();
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
    (kind === 'private' ? privateKeys : publicKeys).set(kid, readKeyFile(file, kind));
  }
  if (privateKeys.size + publicKeys.size === 0) throw new Error(`${dir} holds no <kid>.pem or <kid>.pub.pem key files`);

  const keys: SigningKey[] = [];
  for (const [kid, privateKey] of privateKeys) {
    const derived = createPublicKey(privateKey);
    const published = publicKeys.get(kid);
    // Keeping <kid>.pub.pem beside <kid>.pem is fine (it is what gets published) as long as they agree.
    if (published && !spki(published).equals(spki(derived))) {
      throw new Error(`${join(dir, `${kid}.pub.pem`)} does not match ${join(dir, `${kid}.pem`)}`);
    }
    keys.push({ kid, privateKey, publicKey: derived, active: kid === activeKid });
  }
  for (const [kid, publicKey] of publicKeys) {
    if (!privateKeys.has(kid)) keys.push({ kid, publicKey, active: kid === activeKid });
  }
  if (!keys.some((k) => k.kid === activeKid)) {
    throw new Error(`${activeFile} names "${activeKid}" but ${dir} has no ${activeKid}.pem`);
  }
  if (!privateKeys.has(activeKid)) {
    throw new Error(`${activeFile} names "${activeKid}" but only ${activeKid}.pub.pem exists; signing needs ${activeKid}.pem`);
  }
  return new Keyring(keys);
}

const DEV_KEY_RE = /^dev-\d{8}\.pem$/;

/**
 * Development: the key is generated once into DATA_DIR (never committed, so no two installations share
 * it) and reused afterwards; its name carries the day it was made. Every dev key found is kept, the
 * newest signing, so codes from an earlier key still verify.
 */
function loadDevKeys(dir: string, now: Date): Keyring {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let names = readdirSync(dir).filter((n) => DEV_KEY_RE.test(n)).sort();
  if (names.length === 0) {
    const name = `dev-${shanghaiDate(now).replaceAll('-', '')}.pem`;
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': if another process created the file meanwhile, keep its key instead of overwriting it.
      writeFileSync(join(dir, name), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    names = [name];
  }
  const newest = names.at(-1)!;
  return new Keyring(
    names.map((name) => {
      const privateKey = readKeyFile(join(dir, name), 'private');
      return { kid: name.slice(0, -'.pem'.length), privateKey, publicKey: createPublicKey(privateKey), active: name === newest };
    }),
  );
}

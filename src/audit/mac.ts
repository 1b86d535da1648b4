import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, type EntryColumns } from './canonical.js';

/**
 * The append path's seal on each audit entry (追加认证码): HMAC-SHA256 under a secret that only the
 * application holds — never the database — over every column appendAudit writes (the entry id, taken
 * from the sequence before the insert, included so a copied row does not verify) and the payload itself.
 * A row a database superuser writes into the log or the sealer's queue cannot carry a valid MAC, so the
 * verifier names it forged, wherever it lands in the chain.
 */
export interface MacFields extends EntryColumns {
  id: number;
  occurredAt: string;
  requestId: string | null;
  /** The payload as stored (after a JSON round trip: dates are strings, undefined keys gone). */
  payload: unknown;
}

export const MAC_KID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const MIN_KEY_BYTES = 32;

function macInput(kid: string, f: MacFields): string {
  return canonicalJson({ ...f, macKid: kid });
}

export class AuditMacKeys {
  readonly activeKid: string;
  readonly #keys: Map<string, Buffer>;

  /** The first key signs; the others (retired) only verify entries written before a rotation. */
  constructor(keys: { kid: string; secret: Buffer }[]) {
    if (keys.length === 0) throw new Error('audit MAC: at least one key is needed');
    this.#keys = new Map();
    for (const k of keys) {
      if (!MAC_KID_RE.test(k.kid)) throw new Error(`audit MAC: kid "${k.kid}" must match ${MAC_KID_RE}`);
      if (k.secret.length < MIN_KEY_BYTES) throw new Error(`audit MAC: key "${k.kid}" must be at least ${MIN_KEY_BYTES} bytes`);
      if (this.#keys.has(k.kid)) throw new Error(`audit MAC: kid "${k.kid}" appears twice`);
      this.#keys.set(k.kid, k.secret);
    }
    this.activeKid = keys[0]!.kid;
  }

  sign(f: MacFields): { kid: string; mac: string } {
    const mac = createHmac('sha256', this.#keys.get(this.activeKid)!).update(macInput(this.activeKid, f)).digest('hex');
    return { kid: this.activeKid, mac };
  }

  /** False for an unknown kid, a missing or a wrong MAC. */
  check(f: MacFields, kid: string | null, mac: string | null): boolean {
    const key = kid === null ? undefined : this.#keys.get(kid);
    if (!key || typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
    const expected = createHmac('sha256', key).update(macInput(kid!, f)).digest();
    return timingSafeEqual(expected, Buffer.from(mac, 'hex'));
  }
}

export function generateAuditMacKeys(kid = 'test-audit'): AuditMacKeys {
  return new AuditMacKeys([{ kid, secret: randomBytes(32) }]);
}

/** `<kid> <base64url secret>` per line, the active key first; blank lines and `#` comments ignored. */
export function parseAuditMacKeyFile(text: string, file: string): AuditMacKeys {
  const keys = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line, i) => {
      const [kid, secret, extra] = line.split(/\s+/);
      if (!kid || !secret || extra !== undefined) throw new Error(`${file}:${i + 1}: expected "<kid> <base64url secret>"`);
      return { kid, secret: Buffer.from(secret, 'base64url') };
    });
  return new AuditMacKeys(keys);
}

export interface LoadAuditMacOptions {
  /** AUDIT_MAC_KEY_FILE; required in production. */
  keyFile?: string;
  dataDir: string;
  production: boolean;
}

/**
 * Production reads the operator's key file (every instance must share it). Development generates a key
 * once into DATA_DIR and reuses it, so entries written before a restart still verify.
 */
export function loadAuditMacKeys(opts: LoadAuditMacOptions): AuditMacKeys {
  if (opts.keyFile) return parseAuditMacKeyFile(readFileSync(opts.keyFile, 'utf8'), opts.keyFile);
  if (opts.production) {
    throw new Error('audit MAC key is not configured: production needs AUDIT_MAC_KEY_FILE (lines "<kid> <base64url secret of 32+ bytes>", active first)');
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, 'audit-mac.keys');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `dev-audit ${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return parseAuditMacKeyFile(readFileSync(file, 'utf8'), file);
}

/** The app's keys as its settings name them (AUDIT_MAC_KEY_FILE, else DATA_DIR's development key). */
export function auditMacKeysFor(config: { auditMacKeyFile?: string; dataDir: string; env: string }): AuditMacKeys {
  return loadAuditMacKeys({ keyFile: config.auditMacKeyFile, dataDir: config.dataDir, production: config.env === 'production' });
}

// appendAudit is called with only a transaction, from commands, flags, the sweeper's jobs and the seeds. Each
// app's keys (services.auditMac) reach it through the scope its entry points open around the work they run —
// runCommand from the request's command context, runSweep from its options, the seeds from boot — so two
// apps in one process each sign with their own, and nothing is configured process-wide.
const macScope = new AsyncLocalStorage<AuditMacKeys>();

/** Runs `fn` with `keys` as the append MAC of every audit entry it writes. */
export function withAuditMac<T>(keys: AuditMacKeys, fn: () => T): T {
  return macScope.run(keys, fn);
}

/** The keys of the scope the caller runs in; none outside an app's entry points (the entry is then unsigned). */
export function auditMacInScope(): AuditMacKeys | undefined {
  return macScope.getStore();
}

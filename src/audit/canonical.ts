import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace. jsonb does not keep key order, so the hash must
 * not depend on it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

/** An entry's columns about what happened, as every reader of the log (chain, MAC, export, walk) has them. */
export interface EntryColumns {
  actor: string;
  role: string;
  action: string;
  subjectType: string;
  subjectId: string;
  agencyCode: string | null;
  enterpriseCode: string | null;
  districtCode: string | null;
  beforeState: string | null;
  afterState: string | null;
}

/** The fields of an entry that the chain commits to. */
export interface ChainedFields extends EntryColumns {
  id: number;
  occurredAt: Date;
  payloadHash: string;
}

const q = JSON.stringify;
const n = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));

/**
 * canonicalJson of the chained fields, written out by hand in sorted key order: the audit verifier hashes
 * every entry, and this is several times faster than the generic sort (a unit test keeps them equal).
 */
export function canonicalEntry(e: ChainedFields): string {
  return canonicalEntryFromIso(e, e.occurredAt.toISOString());
}

export function canonicalEntryFromIso(e: Omit<ChainedFields, 'occurredAt'>, occurredAtIso: string): string {
  return (
    `{"action":${q(e.action)},"actor":${q(e.actor)},"afterState":${n(e.afterState)},"agencyCode":${n(e.agencyCode)},` +
    `"beforeState":${n(e.beforeState)},"districtCode":${n(e.districtCode)},"enterpriseCode":${n(e.enterpriseCode)},` +
    `"id":${e.id},"occurredAt":${q(occurredAtIso)},"payloadHash":${q(e.payloadHash)},"role":${q(e.role)},` +
    `"subjectId":${q(e.subjectId)},"subjectType":${q(e.subjectType)}}`
  );
}

/** The generic form the hand-written one must equal. */
export function canonicalEntryGeneric(e: ChainedFields): string {
  return canonicalJson({ ...e, occurredAt: e.occurredAt.toISOString() });
}

/** hash = sha256(prev_hash ‖ canonical entry) */
export function chainHash(prevHash: string, entry: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalEntry(entry)).digest('hex');
}

export function chainHashOfCanonical(prevHash: string, canonical: string, hash: ChainHashAlg = 'SHA-256'): string {
  return createHash(hash === 'SM3' ? 'sm3' : 'sha256').update(prevHash).update(canonical).digest('hex');
}

/**
 * Chain format 2: every stored column of the entry (request id, MAC and its key id included; the payload
 * through payloadHash, which verification re-checks against the payload) and of its chain row (format,
 * seal time) is hashed, so no column can change without the hash showing it.
 */
export interface ChainedFieldsV2 extends Omit<ChainedFields, 'occurredAt'> {
  requestId: string | null;
  mac: string | null;
  macKid: string | null;
}

/**
 * The chain's hash function. SHA-256 by default; SM3 (GB/T 32905) where the commercial-cryptography assessment
 * (商用密码应用安全性评估) asks for the national algorithms — `AUDIT_CHAIN_HASH`. A chain row says which by its
 * format: 2 is SHA-256, 3 is SM3 over the same fields (the canonical line names its format), so one chain may
 * switch at any entry and every row still verifies.
 */
export type ChainHashAlg = 'SHA-256' | 'SM3';
export const CHAIN_FORMAT_OF: Record<ChainHashAlg, 2 | 3> = { 'SHA-256': 2, SM3: 3 };
export const chainHashOfFormat = (format: number): ChainHashAlg => (format === 3 ? 'SM3' : 'SHA-256');

// The chain hash is configured once per process (boot, the CLIs): the sealer runs from several entry points
// with only a transaction. (Unlike the MAC key it is no secret, and every instance on one log must agree on it.)
let configuredHash: ChainHashAlg = 'SHA-256';
export function configureChainHash(hash: ChainHashAlg): void {
  configuredHash = hash;
}
export const configuredChainHash = (): ChainHashAlg => configuredHash;

/** canonicalJson of the format-2 (or 3) fields in sorted key order, by hand for speed (a unit test keeps it equal). */
export function canonicalEntryV2(e: ChainedFieldsV2, occurredAtIso: string, sealedAtIso: string, format: 2 | 3 = 2): string {
  return (
    `{"action":${q(e.action)},"actor":${q(e.actor)},"afterState":${n(e.afterState)},"agencyCode":${n(e.agencyCode)},` +
    `"beforeState":${n(e.beforeState)},"districtCode":${n(e.districtCode)},"enterpriseCode":${n(e.enterpriseCode)},` +
    `"format":${format},"id":${e.id},"mac":${n(e.mac)},"macKid":${n(e.macKid)},"occurredAt":${q(occurredAtIso)},` +
    `"payloadHash":${q(e.payloadHash)},"requestId":${n(e.requestId)},"role":${q(e.role)},"sealedAt":${q(sealedAtIso)},` +
    `"subjectId":${q(e.subjectId)},"subjectType":${q(e.subjectType)}}`
  );
}

export function canonicalEntryV2Generic(e: ChainedFieldsV2, occurredAtIso: string, sealedAtIso: string, format: 2 | 3 = 2): string {
  return canonicalJson({ ...e, format, occurredAt: occurredAtIso, sealedAt: sealedAtIso });
}

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

/** The fields of an entry that the chain commits to. */
export interface ChainedFields {
  id: number;
  occurredAt: Date;
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
  payloadHash: string;
}

export function canonicalEntry(e: ChainedFields): string {
  return canonicalJson({
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: e.actor,
    role: e.role,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    agencyCode: e.agencyCode,
    enterpriseCode: e.enterpriseCode,
    districtCode: e.districtCode,
    beforeState: e.beforeState,
    afterState: e.afterState,
    payloadHash: e.payloadHash,
  });
}

/** hash = sha256(prev_hash ‖ canonical entry) */
export function chainHash(prevHash: string, entry: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalEntry(entry)).digest('hex');
}

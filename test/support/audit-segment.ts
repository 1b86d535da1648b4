import { createHash } from 'node:crypto';
import { CHAIN_FORMAT_OF, canonicalEntryV2, chainHashOfCanonical, GENESIS_HASH, type ChainHashAlg } from '../../src/audit/canonical.js';
import { checkpointBytes, type Checkpoint } from '../../src/audit/checkpoint.js';
import type { ExportedRow } from '../../src/audit/export.js';
import type { AuditMacKeys } from '../../src/audit/mac.js';
import type { Keyring } from '../../src/codes/keyring.js';

/**
 * A chain segment built the way appendAudit and the sealer build one (MAC, format-2 hash), without a
 * database: for the offline verifier's tests.
 */
export function buildSegment(count: number, macKeys: AuditMacKeys, hashAlg: ChainHashAlg = 'SHA-256'): ExportedRow[] {
  const format = CHAIN_FORMAT_OF[hashAlg];
  let prev = GENESIS_HASH;
  const rows: ExportedRow[] = [];
  for (let i = 1; i <= count; i++) {
    const payloadText = `{"name": "测试功能区${i}", "sort": ${i}}`;
    const base = {
      id: 100 + i,
      occurredAt: `2026-04-02T01:00:0${i % 10}.000Z`,
      actor: 'admin:test',
      role: 'admin',
      action: 'district.created',
      subjectType: 'district',
      subjectId: `T${i}`,
      agencyCode: null,
      enterpriseCode: null,
      districtCode: null,
      beforeState: null,
      afterState: null,
      requestId: `req-${i}`,
    };
    const { kid, mac } = macKeys.sign({ ...base, payload: JSON.parse(payloadText) });
    const entry = { ...base, payloadText, payloadHash: createHash('sha256').update(payloadText).digest('hex'), mac, macKid: kid };
    const sealedAt = '2026-04-02T01:00:10.000Z';
    const hash = chainHashOfCanonical(prev, canonicalEntryV2(entry, entry.occurredAt, sealedAt, format), hashAlg);
    rows.push({ seq: i, format, prevHash: prev, hash, sealedAt, entry });
    prev = hash;
  }
  return rows;
}

export function signCheckpoint(keyring: Keyring, seq: number, row: ExportedRow): Checkpoint {
  const body = { seq, chainSeq: row.seq, headHash: row.hash, signedAt: '2026-04-02T01:01:00.000Z', kid: keyring.activeKid, alg: 'Ed25519' };
  return { ...body, signature: keyring.signBytes(checkpointBytes(body)).signature };
}

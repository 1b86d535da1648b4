import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalEntryV2, canonicalEntryV2Generic, chainHashOfCanonical, type ChainedFieldsV2 } from '../../src/audit/canonical.js';
import { ChainWalker, GENESIS } from '../../src/audit/chain-walk.js';
import { checkpointBytes } from '../../src/audit/checkpoint.js';
import { AuditMacKeys, parseAuditMacKeyFile, type MacFields } from '../../src/audit/mac.js';
import { verifySegment } from '../../src/audit/offline.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { buildSegment, signCheckpoint } from '../support/audit-segment.js';

const fields: MacFields = {
  id: 7,
  occurredAt: '2026-04-02T01:00:00.000Z',
  actor: 'officer:WH-SCJG',
  role: 'officer',
  action: 'inspection.approved',
  subjectType: 'inspection',
  subjectId: 'i1',
  agencyCode: 'WH-SCJG',
  enterpriseCode: null,
  districtCode: '420102',
  beforeState: 'draft',
  afterState: 'approved',
  requestId: 'r1',
  payload: { b: 1, a: ['x', { d: null, c: '检查' }] },
};

describe('第八条、第二十四条 追加认证码（append MAC）', () => {
  const keys = new AuditMacKeys([{ kid: 'k2', secret: Buffer.alloc(32, 2) }, { kid: 'k1', secret: Buffer.alloc(32, 1) }]);

  it('verifies what it signed, whatever the payload’s key order (jsonb does not keep it)', () => {
    const { kid, mac } = keys.sign(fields);
    expect(kid).toBe('k2');
    expect(keys.check({ ...fields, payload: { a: ['x', { c: '检查', d: null }], b: 1 } }, kid, mac)).toBe(true);
  });

  it('fails on any changed column, another id (a copied row), an unknown kid or a missing MAC', () => {
    const { kid, mac } = keys.sign(fields);
    expect(keys.check({ ...fields, id: 8 }, kid, mac)).toBe(false);
    expect(keys.check({ ...fields, requestId: null }, kid, mac)).toBe(false);
    expect(keys.check({ ...fields, payload: { b: 2 } }, kid, mac)).toBe(false);
    expect(keys.check(fields, 'k1', mac)).toBe(false);
    expect(keys.check(fields, 'nope', mac)).toBe(false);
    expect(keys.check(fields, null, null)).toBe(false);
  });

  it('keeps a retired key for entries written before a rotation', () => {
    const old = new AuditMacKeys([{ kid: 'k1', secret: Buffer.alloc(32, 1) }]).sign(fields);
    expect(keys.check(fields, old.kid, old.mac)).toBe(true);
  });

  it('reads the key file and refuses short keys', () => {
    const file = `# audit keys\nk2 ${Buffer.alloc(32, 2).toString('base64url')}\n\nk1 ${Buffer.alloc(32, 1).toString('base64url')}\n`;
    expect(parseAuditMacKeyFile(file, 'f').activeKid).toBe('k2');
    expect(() => parseAuditMacKeyFile(`k ${Buffer.alloc(8).toString('base64url')}`, 'f')).toThrow(/32 bytes/);
  });
});

describe('第八条、第二十四条 链格式 2 与签名检查点', () => {
  it('the hand-written format-2 canonical form equals the generic one (quotes, nulls, Chinese)', () => {
    const { payload: _payload, occurredAt: _at, ...columns } = fields;
    const e: ChainedFieldsV2 = { ...columns, payloadHash: 'ab', mac: null, macKid: null, subjectId: '检查\n"记录"', agencyCode: null };
    expect(canonicalEntryV2(e, fields.occurredAt, '2026-04-02T01:00:01.000Z')).toBe(canonicalEntryV2Generic(e, fields.occurredAt, '2026-04-02T01:00:01.000Z'));
  });

  it('a checkpoint signature covers every field, the key id included (the algorithm is the key’s)', () => {
    const keyring = generateKeyring('cp');
    const body = { seq: 1, chainSeq: 5, headHash: 'a'.repeat(64), signedAt: '2026-04-02T01:00:00.000Z', kid: 'cp', alg: 'Ed25519' };
    const { signature } = keyring.signBytes(checkpointBytes(body));
    expect(keyring.verifyBytes(checkpointBytes(body), 'cp', signature)).toBe(true);
    expect(keyring.verifyBytes(checkpointBytes({ ...body, chainSeq: 4 }), 'cp', signature)).toBe(false);
    expect(keyring.verifyBytes(checkpointBytes({ ...body, kid: 'other' }), 'cp', signature)).toBe(false);
    expect(keyring.verifyBytes(checkpointBytes(body), 'cp', 'garbage')).toBe(false);
  });

  it('the walker reports every problem, not only the first', () => {
    const macKeys = new AuditMacKeys([{ kid: 'k', secret: Buffer.alloc(32, 3) }]);
    const rows = buildSegment(5, macKeys).map((r) => ({ ...r, entry: r.entry && { ...r.entry, payloadOk: true, payload: JSON.parse(r.entry.payloadText) } }));
    const walker = new ChainWalker(GENESIS, [], macKeys);
    for (const r of rows) walker.push(r.seq === 2 || r.seq === 4 ? { ...r, entry: { ...r.entry!, actor: 'x' } } : r);
    walker.finish();
    expect(walker.problems.map((p) => [p.reason, p.seq])).toEqual([['hash_mismatch', 2], ['hash_mismatch', 4]]);
    expect(walker.verified).toBe(3);
  });

  it('rows sealed before the MAC existed (format 1) verify, but none may follow a format-2 row', async () => {
    const { canonicalEntryFromIso, chainHashOfCanonical, GENESIS_HASH } = await import('../../src/audit/canonical.js');
    const macKeys = new AuditMacKeys([{ kid: 'k', secret: Buffer.alloc(32, 3) }]);
    const [v2] = buildSegment(1, macKeys);
    const entry = { ...v2!.entry!, mac: null, macKid: null, payloadOk: true, payload: JSON.parse(v2!.entry!.payloadText) };
    const legacy = (seq: number, prev: string) => ({ seq, format: 1, prevHash: prev, hash: chainHashOfCanonical(prev, canonicalEntryFromIso(entry, entry.occurredAt)), sealedAt: v2!.sealedAt, entry });
    const first = legacy(1, GENESIS_HASH);
    const ok = new ChainWalker(GENESIS, [], macKeys);
    ok.push(first);
    expect(ok.problems).toEqual([]);
    // A legacy-looking row appended after the upgrade would dodge the MAC: it is named forged.
    const second = { ...v2!, seq: 2, prevHash: first.hash, entry: { ...v2!.entry!, payloadOk: true, payload: JSON.parse(v2!.entry!.payloadText) } };
    const { canonicalEntryV2: v2Canonical } = await import('../../src/audit/canonical.js');
    second.hash = chainHashOfCanonical(first.hash, v2Canonical(second.entry, second.entry.occurredAt, second.sealedAt));
    const walker = new ChainWalker(GENESIS, [], macKeys);
    walker.push(first);
    walker.push(second);
    walker.push(legacy(3, second.hash));
    expect(walker.problems.map((p) => [p.reason, p.seq])).toEqual([['forged', 3]]);
  });

  it('a segment without the tail verifies unless it claims to reach the head', () => {
    const macKeys = new AuditMacKeys([{ kid: 'k', secret: Buffer.alloc(32, 3) }]);
    const keyring = generateKeyring('cp');
    const rows = buildSegment(4, macKeys);
    const checkpoints = [signCheckpoint(keyring, 1, rows[3]!)];
    const keys = keyring.publicKeys();
    expect(verifySegment({ rows: rows.slice(0, 2), checkpoints, keys }).ok).toBe(true);
    expect(verifySegment({ rows: rows.slice(0, 2), checkpoints, keys, toHead: true }).problems).toEqual([
      expect.objectContaining({ reason: 'truncated', seq: 3, toSeq: 4 }),
    ]);
  });
});

describe('第八条、第二十四条 审计链哈希可采用SM3（GB/T 32905，AUDIT_CHAIN_HASH）', () => {
  const walk = (rows: ReturnType<typeof buildSegment>, macKeys: AuditMacKeys) => {
    const walker = new ChainWalker(GENESIS, [], macKeys);
    for (const r of rows) walker.push({ ...r, entry: r.entry && { ...r.entry, payloadOk: true, payload: JSON.parse(r.entry.payloadText) } });
    walker.finish();
    return walker;
  };

  it('hashes with SM3 as the standard’s own example says (GB/T 32905 附录A: “abc”)', () => {
    expect(createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(chainHashOfCanonical('', 'abc', 'SM3')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('verifies a chain sealed with SM3 (format 3), and one that switched from SHA-256 at any entry', () => {
    const macKeys = new AuditMacKeys([{ kid: 'k', secret: Buffer.alloc(32, 5) }]);
    const sm3 = buildSegment(4, macKeys, 'SM3');
    expect(sm3.map((r) => r.format)).toEqual([3, 3, 3, 3]);
    expect(walk(sm3, macKeys).problems).toEqual([]);
    // Rows 1–2 sealed with SHA-256, then the setting changed: rows 3–4 chain on with SM3.
    const sha = buildSegment(2, macKeys);
    const [, , third, fourth] = sm3;
    const relink = (r: (typeof sm3)[number], prev: string) => {
      const hash = chainHashOfCanonical(prev, canonicalEntryV2(r.entry!, r.entry!.occurredAt, r.sealedAt, 3), 'SM3');
      return { ...r, prevHash: prev, hash };
    };
    const r3 = relink(third!, sha[1]!.hash);
    const mixed = [...sha, r3, relink(fourth!, r3.hash)];
    expect(walk(mixed, macKeys).problems).toEqual([]);
  });

  it('names an SM3 row whose hash does not match, and a format-3 row hashed with SHA-256', () => {
    const macKeys = new AuditMacKeys([{ kid: 'k', secret: Buffer.alloc(32, 5) }]);
    const rows = buildSegment(3, macKeys, 'SM3');
    const edited = rows.map((r) => (r.seq === 2 ? { ...r, entry: { ...r.entry!, actor: 'someone-else' } } : r));
    expect(walk(edited, macKeys).problems.map((p) => [p.reason, p.seq])).toContainEqual(['hash_mismatch', 2]);
    const wrongHash = rows.map((r) => (r.seq === 1 ? { ...r, hash: chainHashOfCanonical(r.prevHash, canonicalEntryV2(r.entry!, r.entry!.occurredAt, r.sealedAt, 3)) } : r));
    expect(walk(wrongHash, macKeys).problems.map((p) => [p.reason, p.seq])).toContainEqual(['hash_mismatch', 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedFields } from '../../src/audit/canonical.js';

const entry = (over: Partial<ChainedFields> = {}): ChainedFields => ({
  id: 1,
  occurredAt: new Date('2026-04-02T01:00:00Z'),
  actor: 'officer:WH-SCJG',
  role: 'officer',
  action: 'plan.submitted',
  subjectType: 'plan',
  subjectId: 'p1',
  agencyCode: 'WH-SCJG',
  enterpriseCode: null,
  districtCode: null,
  beforeState: 'draft',
  afterState: 'submitted',
  payloadHash: 'ab',
  ...over,
});

describe('audit hash chain', () => {
  it('canonical JSON ignores key order (jsonb does not keep it)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  it('links each entry to the previous hash', () => {
    const h1 = chainHash(GENESIS_HASH, entry());
    const h2 = chainHash(h1, entry({ id: 2 }));
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h2).not.toBe(chainHash(GENESIS_HASH, entry({ id: 2 })));
  });

  it('changes when any committed field changes', () => {
    const base = chainHash(GENESIS_HASH, entry());
    expect(chainHash(GENESIS_HASH, entry({ afterState: 'filed' }))).not.toBe(base);
    expect(chainHash(GENESIS_HASH, entry({ actor: 'someone-else' }))).not.toBe(base);
    expect(chainHash(GENESIS_HASH, entry({ occurredAt: new Date('2026-04-02T01:00:00.001Z') }))).not.toBe(base);
  });
});

describe('the hand-written canonical entry', () => {
  it('equals the generic canonical JSON for nulls, quotes and non-ASCII text', async () => {
    const { canonicalEntry, canonicalEntryGeneric } = await import('../../src/audit/canonical.js');
    for (const e of [
      entry(),
      entry({ agencyCode: 'WH-"SCJG"', enterpriseCode: '91420106\\MA', beforeState: null, afterState: null, subjectId: '检查\n记录', id: 9_007_199 }),
    ]) {
      expect(canonicalEntry(e)).toBe(canonicalEntryGeneric(e));
    }
  });
});

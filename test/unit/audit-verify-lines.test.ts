import { describe, expect, it, vi } from 'vitest';
import { canonicalEntryV2, chainHashOfCanonical, GENESIS_HASH, sha256Hex, type ChainedFieldsV2 } from '../../src/audit/canonical.js';
import { ChainWalker, GENESIS, type WalkRow } from '../../src/audit/chain-walk.js';
import { generateAuditMacKeys } from '../../src/audit/mac.js';
import { feedLineRecords, isoOfUtcText, walkPages, type LineChunk, type Page } from '../../src/audit/verify.js';

/**
 * The verifier's walk without MAC keys: PostgreSQL writes each row's canonical line, JavaScript hashes it, and
 * every row a line does not settle is checked again from its columns (src/audit/verify.ts, feedLineRecords).
 * Here the records are written by hand, so a line can differ from canonical.ts the way another JSON encoder's
 * would; test/integration/audit-verify-lines.test.ts has the database write them.
 */
const OCCURRED = '2026-04-02T01:00:00.000Z';
/** Every entry's payload, as jsonb writes it. */
const PAYLOAD = '{"n": 1}';
const SEALED = '2026-04-02T01:00:05.000Z';

const fields = (id: number, over: Partial<ChainedFieldsV2> = {}): ChainedFieldsV2 => ({
  id,
  actor: 'officer:WH-SCJG',
  role: 'officer',
  action: 'inspection.drafted',
  subjectType: 'inspection',
  subjectId: `i${id}`,
  agencyCode: 'WH-SCJG',
  enterpriseCode: null,
  districtCode: '420102',
  beforeState: null,
  afterState: 'draft',
  payloadHash: sha256Hex(PAYLOAD),
  requestId: `req-${id}`,
  mac: null,
  macKid: null,
  ...over,
});

/** A sealed chain of `n` rows (format 2), entry id = position + 100. */
function chain(n: number, over: (seq: number) => Partial<ChainedFieldsV2> = () => ({})): WalkRow[] {
  const rows: WalkRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const f = fields(seq + 100, over(seq));
    const hash = chainHashOfCanonical(prev, canonicalEntryV2(f, OCCURRED, SEALED));
    rows.push({ seq, format: 2, prevHash: prev, hash, sealedAt: SEALED, entry: { ...f, occurredAt: OCCURRED, payloadOk: true } });
    prev = hash;
  }
  return rows;
}

/**
 * A canonical line as the database writes it: each time as its UTC text (no trailing zeros), and the payload hash,
 * between unit separators; the payload's jsonb text after the line.
 */
const dbLine = (line: string, payload = PAYLOAD) =>
  `${line
    .replace(/"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.(\d{3})Z"/g, (_, d, t, ms) => `"\x1f${d} ${t}${`.${ms}`.replace(/\.?0+$/, '')}\x1f"`)
    .replace(/"payloadHash":"([^"]*)"/, '"payloadHash":"\x1f$1\x1f"')}\x1f${payload}`;

/** The record the database writes for a row: `seq format entryId "hash""prevHash"line␟payload`. */
const record = (r: WalkRow, line = canonicalEntryV2(r.entry!, r.entry!.occurredAt, r.sealedAt)) => `${r.seq} ${r.format} ${r.entry!.id} ${JSON.stringify(r.hash)}${JSON.stringify(r.prevHash)}${dbLine(line)}`;

/** Records joined into a chunk as the database aggregates them: its row count and first and last positions. */
const chunkOf = (records: string[]): LineChunk => {
  const seqs = records.map((r) => Number(r.split(' ')[0]));
  return { n: records.length, first: Math.min(...seqs), last: Math.max(...seqs), records: records.join('\n') };
};

/** The columns of the given rows, as verify.ts reads them again. */
const columnsOf = (rows: WalkRow[]) => vi.fn(async (seqs: number[]) => new Map(rows.filter((r) => seqs.includes(r.seq)).map((r) => [r.seq, r])));

/** What the walker says when every row comes with its columns (the reference). */
function referenceProblems(rows: WalkRow[]) {
  const walker = new ChainWalker(GENESIS, []);
  for (const r of rows) walker.push(r);
  walker.finish();
  return walker.problems;
}

describe('the audit walk over canonical lines built by the database', () => {
  it('passes the rows whose line hashes to their hash without reading their columns', async () => {
    const rows = chain(5);
    const columnsAt = columnsOf(rows);
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf(rows.map((r) => record(r)))], columnsAt);
    expect(walker.finish()).toEqual({ headSeq: 5, headHash: rows[4]!.hash });
    expect(walker.problems).toEqual([]);
    expect(walker.verified).toBe(5);
    expect(columnsAt).not.toHaveBeenCalled();
  });

  it('checks a line escaped otherwise than JSON.stringify from its columns, and raises no alarm for it', async () => {
    const rows = chain(4, (seq) => (seq === 2 ? { actor: 'café "β"', subjectId: 'a\u2028b' } : {}));
    const r2 = rows[1]!;
    // The same value as a different JSON encoder writes it: \u00e9 for é, \u2028 escaped, \/ for /.
    const otherLine = canonicalEntryV2(r2.entry!, OCCURRED, SEALED).replace('é', '\\u00e9').replace('\u2028', '\\u2028').replace('officer:', 'officer\\u003a');
    expect(JSON.parse(otherLine)).toEqual(JSON.parse(canonicalEntryV2(r2.entry!, OCCURRED, SEALED)));
    const columnsAt = columnsOf(rows);
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf([record(rows[0]!), record(r2, otherLine), record(rows[2]!), record(rows[3]!)])], columnsAt);
    walker.finish();
    expect(walker.problems).toEqual([]);
    expect(walker.verified).toBe(4);
    expect(columnsAt).toHaveBeenCalledTimes(1);
    expect(columnsAt).toHaveBeenCalledWith([2]);
  });

  it('reports an edited entry as hash_mismatch at its position, found from its columns', async () => {
    const rows = chain(5);
    const edited = rows.map((r) => (r.seq === 3 ? { ...r, entry: { ...r.entry!, actor: 'someone "else"' } } : r));
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf(edited.map((r) => record(r)))], columnsOf(edited));
    walker.finish();
    expect(walker.problems).toEqual([expect.objectContaining({ reason: 'hash_mismatch', seq: 3, entryId: 103 })]);
    expect(walker.problems).toEqual(referenceProblems(edited));
    expect(walker.verified).toBe(4);
  });

  it('checks a bare record (the entry is missing, or its payload changed) from its columns', async () => {
    const rows = chain(3);
    const gone = rows.map((r) => (r.seq === 2 ? { ...r, entry: null } : r));
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf([record(rows[0]!), '2', record(rows[2]!)])], columnsOf(gone));
    walker.finish();
    expect(walker.problems).toEqual([expect.objectContaining({ reason: 'entry_missing', seq: 2, entryId: null })]);
  });

  it('does not take a prevHash that to_json had to escape at its escaped value', async () => {
    const rows = chain(3);
    // 62 characters and a quote: escaped, 64 characters like a hash; its hash made to fit the escaped form.
    const rawPrev = `"${'a'.repeat(62)}`;
    const escaped = JSON.stringify(rawPrev).slice(1, -1);
    const r2 = rows[1]!;
    const forged = { ...r2, prevHash: rawPrev, hash: chainHashOfCanonical(escaped, canonicalEntryV2(r2.entry!, OCCURRED, SEALED)) };
    const tampered = [rows[0]!, forged, rows[2]!];
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf(tampered.map((r) => record(r)))], columnsOf(tampered));
    walker.finish();
    expect(walker.problems).toEqual(referenceProblems(tampered));
    expect(walker.problems.map((p) => [p.reason, p.seq])).toEqual([
      ['prev_hash_mismatch', 2],
      ['hash_mismatch', 2],
      ['prev_hash_mismatch', 3],
    ]);
  });

  it('walks chunks in any order in position order, skipping the rows at or before the walk’s position', async () => {
    const rows = chain(9);
    const chunks = [rows.slice(6), rows.slice(0, 3), rows.slice(3, 6)].map((part) => chunkOf(part.map((r) => record(r))));
    const walker = new ChainWalker({ seq: 2, hash: rows[1]!.hash }, []);
    await feedLineRecords(walker, 2, chunks, columnsOf(rows));
    expect(walker.finish()).toEqual({ headSeq: 9, headHash: rows[8]!.hash });
    expect(walker.problems).toEqual([]);
    expect(walker.verified).toBe(7);
  });

  it('takes no line holding a backslash at its word: the row is checked from its columns', async () => {
    // The database writes values unescaped; a backslash is the only way its line can equal canonical.ts's for
    // other values. Here the line is the sealed one (a quote escaped) while the stored actor was changed.
    const rows = chain(3, (seq) => (seq === 2 ? { actor: 'officer "A"' } : {}));
    const edited = rows.map((r) => (r.seq === 2 ? { ...r, entry: { ...r.entry!, actor: 'officer \\"A\\"' } } : r));
    const columnsAt = columnsOf(edited);
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf(rows.map((r) => record(r)))], columnsAt);
    walker.finish();
    expect(columnsAt).toHaveBeenCalledWith([2]);
    expect(walker.problems).toEqual([expect.objectContaining({ reason: 'hash_mismatch', seq: 2, entryId: 102 })]);
    expect(walker.problems).toEqual(referenceProblems(edited));
  });

  it('checks the payload against its hash here: a changed one is reported from the columns, backslashes in it are no reason to', async () => {
    const quoted = '{"note": "say \\"hi\\" \\\\ C:\\\\"}';
    const rows = chain(3, (seq) => (seq === 1 ? { payloadHash: sha256Hex(quoted) } : {}));
    const changed = rows.map((r) => (r.seq === 2 ? { ...r, entry: { ...r.entry!, payloadOk: false } } : r));
    const records = [
      `${rows[0]!.seq} 2 101 ${JSON.stringify(rows[0]!.hash)}${JSON.stringify(rows[0]!.prevHash)}${dbLine(canonicalEntryV2(rows[0]!.entry!, OCCURRED, SEALED), quoted)}`,
      `${rows[1]!.seq} 2 102 ${JSON.stringify(rows[1]!.hash)}${JSON.stringify(rows[1]!.prevHash)}${dbLine(canonicalEntryV2(rows[1]!.entry!, OCCURRED, SEALED), '{"n": 2}')}`,
      record(rows[2]!),
    ];
    const columnsAt = columnsOf(changed);
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunkOf(records)], columnsAt);
    walker.finish();
    expect(columnsAt).toHaveBeenCalledWith([2]);
    expect(walker.problems).toEqual([expect.objectContaining({ reason: 'payload_hash_mismatch', seq: 2, entryId: 102 })]);
    expect(walker.problems).toEqual(referenceProblems(changed));
  });

  it('checks every row of a chunk split by a stored line break from its columns', async () => {
    const rows = chain(4, (seq) => (seq === 3 ? { subjectId: 'i3' } : {}));
    // Row 3's subject id as stored holds a line break and a forged record after it (its columns say otherwise).
    const edited = rows.map((r) => (r.seq === 3 ? { ...r, entry: { ...r.entry!, subjectId: `i3\n${record(rows[3]!)}` } } : r));
    const records = rows.map((r) => record(r));
    records[2] = records[2]!.replace('"subjectId":"i3"', `"subjectId":"i3\n${records[3]}"`);
    const chunk = { ...chunkOf(records), n: 4 };
    expect(chunk.records.split('\n')).toHaveLength(5);
    const columnsAt = columnsOf(edited);
    const walker = new ChainWalker(GENESIS, []);
    await feedLineRecords(walker, 0, [chunk], columnsAt);
    walker.finish();
    expect(columnsAt).toHaveBeenCalledWith([1, 2, 3, 4]);
    expect(walker.problems).toEqual(referenceProblems(edited));
    expect(walker.problems.map((p) => [p.reason, p.seq])).toEqual([['hash_mismatch', 3]]);
  });

  it('leaves the MAC check to the columns: a hashed row is refused when MAC keys are given', () => {
    const walker = new ChainWalker(GENESIS, [], generateAuditMacKeys());
    expect(() => walker.pushHashed(1, 2, 101, GENESIS_HASH, 'ab'.repeat(32))).toThrow(/MAC/);
  });
});

describe('the times of a line record', () => {
  it('writes PostgreSQL’s text of a UTC time as canonical.ts does, the fraction cut to milliseconds as to_char cuts it', () => {
    expect(isoOfUtcText('2026-04-02 01:00:00')).toBe('2026-04-02T01:00:00.000Z');
    expect(isoOfUtcText('2026-04-02 01:00:00.1')).toBe('2026-04-02T01:00:00.100Z');
    expect(isoOfUtcText('2026-04-02 01:00:00.12')).toBe('2026-04-02T01:00:00.120Z');
    expect(isoOfUtcText('2026-04-02 01:00:00.123')).toBe('2026-04-02T01:00:00.123Z');
    expect(isoOfUtcText('2026-04-02 01:00:00.123999')).toBe('2026-04-02T01:00:00.123Z');
  });

  it('takes no other text: the row is then checked from its columns', () => {
    for (const t of ['04/02/2026 01:00:00', 'Thu Apr 02 01:00:00 2026', '2026-04-02T01:00:00', '12026-04-02 01:00:00', '0001-04-02 01:00:00 BC', '2026-04-02 01:00:00.1234567', '2026-04-02 01:00:00.']) {
      expect(isoOfUtcText(t)).toBeUndefined();
    }
  });
});

describe('the audit walk’s pages', () => {
  /** Walks `positions` (ascending) in pages of `size`, as verifyChain does; returns what was fed and requested. */
  async function walk(positions: number[], size: number, ahead: number, maxSeq = positions.at(-1) ?? 0) {
    const fed: number[] = [];
    const requested: number[] = [];
    const fetch = async (after: number): Promise<Page> => {
      requested.push(after);
      if (requested.length > 100) throw new Error('the walk does not move on');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      const rows = positions.filter((s) => s > after).slice(0, size);
      return {
        count: rows.length,
        lastSeq: rows.at(-1) ?? after,
        feed: async (_walker, walked) => {
          fed.push(...rows.filter((s) => s > walked));
        },
      };
    };
    await walkPages(new ChainWalker(GENESIS, []), 0, maxSeq, size, ahead, fetch);
    return { fed, requested };
  }

  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('walks every row once, in order, with several pages in flight', async () => {
    for (const ahead of [1, 2, 3]) {
      for (const positions of [range(1, 23), range(1, 20), [...range(1, 7), ...range(15, 30), 44, 45]]) {
        const { fed } = await walk(positions, 5, ahead);
        expect(fed).toEqual(positions);
      }
    }
  });

  it('crosses a stretch of missing positions in a few requests, however long it is', async () => {
    const positions = [...range(1, 12), ...range(1_000_000_000_000, 1_000_000_000_020)];
    const { fed, requested } = await walk(positions, 5, 3);
    expect(fed).toEqual(positions);
    expect(requested.length).toBeLessThan(15);
  });

  it('requests nothing past the head the walk began with, and nothing for an empty chain', async () => {
    expect((await walk([], 5, 3)).requested).toEqual([]);
    const { fed, requested } = await walk(range(1, 23), 5, 3, 10);
    expect(fed.slice(0, 10)).toEqual(range(1, 10));
    expect(Math.max(...requested)).toBeLessThan(10);
  });
});

import { asc, inArray, sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/append.js';
import { canonicalEntryFromIso, canonicalEntryV2, chainHashOfCanonical, chainHashOfFormat, configureChainHash, GENESIS_HASH, sha256Hex } from '../../src/audit/canonical.js';
import { ChainWalker, GENESIS, type AuditProblem } from '../../src/audit/chain-walk.js';
import { exportSegment, type ExportedRow } from '../../src/audit/export.js';
import type { AuditMacKeys } from '../../src/audit/mac.js';
import { CheckpointWitness, sealPending } from '../../src/audit/sealer.js';
import { lineRecords, listCheckpoints, verifyChain } from '../../src/audit/verify.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import type { Db } from '../../src/db/client.js';
import { auditChain, auditEntries, auditPending } from '../../src/db/schema/index.js';
import { ManualClock } from '../../src/time/clock.js';
import { testAuditMacKeys } from '../support/test-app.js';
import { createTestDatabase, describeDb, type TestDatabase } from '../support/test-database.js';
import { asSuperuser } from '../support/superuser.js';

/**
 * 第八条、第二十四条：审计日志可核验。Without the MAC keys (the benchmark, a supervisor's routine check) the
 * verifier has PostgreSQL write each row's canonical line and hashes it in JavaScript (src/audit/verify.ts).
 * Here: the database writes exactly the line canonical.ts does for values JSON escaping is sensitive to, in
 * all three chain formats; and every tampering is still reported by position, as the walk from the columns
 * alone (the reference: an export walked by ChainWalker.push) reports it.
 */
const ESCAPING = [
  'say "hi"',
  'back\\slash \\" \\\\u0041',
  'tab\there\nnew line\r\n',
  '\b\f\u0001\u001f\u007f',
  '检查记录：武汉市（第327号令）',
  'café ü ß',
  '😀 astral 𠀀',
  'line\u2028separator\u2029paragraph',
  '',
  'null',
  '{"json":[1,2]}',
  '</script>',
];

let testDb: TestDatabase;
let db: Db;
let clock: ManualClock;
let macKeys: AuditMacKeys;

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Appends an entry through the append path, every text column carrying `value`. */
async function append(value: string, i: number): Promise<void> {
  clock.advance(1001);
  await appendAudit(db, {
    at: clock.now(),
    actor: `officer:${value}`,
    role: 'officer',
    action: 'test.escaping',
    subjectType: 'test',
    subjectId: value,
    agencyCode: value,
    enterpriseCode: i % 2 ? value : null,
    districtCode: i % 3 ? null : value,
    before: value,
    after: 'null',
    payload: { value, [value]: [value, i], n: i },
    requestId: value,
  }, macKeys);
}

/** Chains the queued entries as format 1 did, before the upgrade (no request id, MAC or seal time hashed). */
async function chainLegacy(): Promise<void> {
  const [head] = await db.select().from(auditChain).orderBy(sql`seq DESC`).limit(1);
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const queued = (await db.select().from(auditPending)).map((p) => p.entryId);
  const entries = await db.select().from(auditEntries).where(inArray(auditEntries.id, queued)).orderBy(asc(auditEntries.id));
  for (const e of entries) {
    const hash = chainHashOfCanonical(prev, canonicalEntryFromIso(e, e.occurredAt.toISOString()));
    await db.insert(auditChain).values({ seq: ++seq, entryId: e.id, prevHash: prev, hash, sealedAt: clock.now(), format: 1 });
    prev = hash;
  }
  await db.delete(auditPending).where(inArray(auditPending.entryId, queued));
}

/** A chain of all three formats: 3 legacy rows, then SHA-256, then SM3 (AUDIT_CHAIN_HASH=SM3). */
async function mixedChain(): Promise<void> {
  let i = 0;
  for (const v of ESCAPING.slice(0, 3)) await append(v, i++);
  await chainLegacy();
  // As a database upgraded from format 1 has them: the legacy entries carry no MAC, and the switch to MACs
  // is recorded after them (migration 0020 records the head it finds).
  await asSuperuser(testDb, [`UPDATE audit_entries SET mac = NULL, mac_kid = NULL`, `UPDATE audit_format_switch SET mac_from = 4`]);
  for (const v of ESCAPING) await append(v, i++);
  await sealPending(db, clock);
  configureChainHash('SM3');
  for (const v of ESCAPING) await append(v, i++);
  await sealPending(db, clock);
  configureChainHash('SHA-256');
}

/** The canonical line of an exported row, by canonical.ts. */
const canonicalOf = (r: ExportedRow) => {
  const { payloadText: _text, ...e } = r.entry!;
  return r.format === 1 ? canonicalEntryFromIso(e, e.occurredAt) : canonicalEntryV2(e, e.occurredAt, r.sealedAt, r.format as 2 | 3);
};

const algOf = (r: ExportedRow) => chainHashOfFormat(r.format);

/** What the walk from the columns alone reports: every row pushed with its columns, the payload hashed here. */
async function reference(keys?: AuditMacKeys): Promise<AuditProblem[]> {
  const walker = new ChainWalker(GENESIS, await listCheckpoints(db, 0, 1000), keys, 4);
  for (const r of await exportSegment(db, 1, 100_000)) {
    const e = r.entry;
    const { payloadText, ...columns } = e ?? { payloadText: '' };
    walker.push({ ...r, entry: e ? { ...(columns as Omit<NonNullable<ExportedRow['entry']>, 'payloadText'>), payloadOk: sha256Hex(payloadText) === e.payloadHash, payload: JSON.parse(payloadText) } : null });
  }
  walker.finish();
  return walker.problems;
}

/** verifyChain's problems of the walk (entries that never reached the chain are the database's to find). */
const walkProblems = (problems: AuditProblem[]) => problems.filter((p) => p.reason !== 'unchained' && p.reason !== 'seal_overdue');

describeDb('第八条、第二十四条 审计链核验：数据库写出的规范行与逐条核验', () => {
  beforeEach(async () => {
    testDb = await createTestDatabase();
    db = testDb.database.db;
    clock = new ManualClock('2026-04-02T09:00:00+08:00');
    macKeys = testAuditMacKeys();
  });
  afterEach(async () => {
    configureChainHash('SHA-256');
    await testDb.drop();
  });

  it('writes exactly the line canonical.ts does for values JSON escaping is sensitive to, in formats 1, 2 and 3', async () => {
    await mixedChain();
    const rows = await exportSegment(db, 1, 1000);
    expect(rows.map((r) => r.format)).toEqual([1, 1, 1, ...ESCAPING.map(() => 2), ...ESCAPING.map(() => 3)]);
    const records = await lineRecords(db, 0);
    expect(records).toEqual(rows.map((r) => `${r.seq} ${r.format} ${r.entry!.id} ${JSON.stringify(r.hash)}${JSON.stringify(r.prevHash)}${canonicalOf(r)}`));
    // So every row passes on its line, and with its columns where the MACs are checked.
    expect(await verifyChain(db)).toMatchObject({ ok: true, verified: rows.length, headSeq: rows.length, problems: [] });
    expect(await verifyChain(db, { pageSize: 4 })).toMatchObject({ ok: true, verified: rows.length, problems: [] });
    expect(await verifyChain(db, { macKeys, pageSize: 4 })).toMatchObject({ ok: true, macChecked: true, verified: rows.length, problems: [] });
  });

  it('reports an edited entry with escaping-sensitive values as hash_mismatch at its position', async () => {
    await mixedChain();
    const seq = 3 + ESCAPING.indexOf('say "hi"') + 1;
    await asSuperuser(testDb, [`UPDATE audit_entries SET subject_id = ${literal('say "hi!"')} WHERE id = (SELECT entry_id FROM audit_chain WHERE seq = ${seq})`]);
    const [row] = await exportSegment(db, seq, 1);
    for (const pageSize of [4, undefined]) {
      const report = await verifyChain(db, { pageSize });
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ reason: 'hash_mismatch', seq, entryId: row!.entry!.id })]);
      expect(report.verified).toBe(3 + 2 * ESCAPING.length - 1);
    }
  });

  it('reports every kind of tampering by position, as the walk from the columns does, with and without the MAC keys', async () => {
    await mixedChain();
    const last = 3 + 2 * ESCAPING.length;
    // A legacy row after the upgrade, and signed checkpoints (verified without the keyring here): one of them
    // beyond the end of the chain.
    await append('late legacy', 99);
    await chainLegacy();
    const head = await exportSegment(db, 20, 100);
    const cp = (n: number, chainSeq: number, hash: string) =>
      `INSERT INTO audit_checkpoints (seq, chain_seq, head_hash, signed_at, kid, alg, signature) VALUES (${n}, ${chainSeq}, '${hash}', now(), 'k', 'Ed25519', 'x')`;
    const hashOf = (s: number) => head.find((r) => r.seq === s)!.hash;
    await asSuperuser(testDb, [cp(1, 22, hashOf(22)), cp(2, 25, hashOf(25)), cp(3, last + 5, GENESIS_HASH)]);

    const entryAt = (s: number) => `(SELECT entry_id FROM audit_chain WHERE seq = ${s})`;
    const rows = await exportSegment(db, 1, 1000);
    const r16 = rows.find((r) => r.seq === 16)!;
    // A prev_hash to_json must escape, with a hash made to fit the escaped form of it.
    const escapedPrev = `"${'a'.repeat(62)}`;
    const fittedHash = chainHashOfCanonical(JSON.stringify(escapedPrev).slice(1, -1), canonicalOf(r16), algOf(r16));
    await asSuperuser(testDb, [
      `UPDATE audit_entries SET actor = 'someone-else' WHERE id = ${entryAt(2)}`,
      `UPDATE audit_entries SET payload = jsonb_set(payload, '{n}', '"篡改"') WHERE id = ${entryAt(6)}`,
      `UPDATE audit_entries SET before_state = ${literal('back\\slash \\" \\\\u0042')} WHERE id = ${entryAt(9)}`,
      `DELETE FROM audit_chain WHERE seq = 11`,
      `DELETE FROM audit_entries WHERE id = ${entryAt(14)}`,
      `UPDATE audit_chain SET prev_hash = ${literal(escapedPrev)}, hash = '${fittedHash}' WHERE seq = 16`,
      // A line break in a stored hash, followed by what looks like a record of its own.
      `UPDATE audit_chain SET hash = ${literal(`x\n19 2 1 "${'0'.repeat(64)}""${'0'.repeat(64)}"{}`)} WHERE seq = 18`,
      `UPDATE audit_chain SET format = 7 WHERE seq = 20`,
    ]);
    // Entry 24 rewritten, and the chain rehashed from it with the project's own functions: checkpoint 2 no longer matches.
    await asSuperuser(testDb, [`UPDATE audit_entries SET after_state = 'forged' WHERE id = ${entryAt(24)}`]);
    let prev = (await exportSegment(db, 23, 1))[0]!.hash;
    const rehash: string[] = [];
    for (const r of await exportSegment(db, 24, 1000)) {
      const hash = chainHashOfCanonical(prev, canonicalOf(r), algOf(r));
      rehash.push(`UPDATE audit_chain SET prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`);
      prev = hash;
    }
    await asSuperuser(testDb, rehash);

    const expected = await reference();
    expect(expected.map((p) => [p.reason, p.seq])).toEqual([
      ['hash_mismatch', 2],
      ['payload_hash_mismatch', 6],
      ['hash_mismatch', 9],
      ['sequence_gap', 12],
      ['prev_hash_mismatch', 12],
      ['entry_missing', 14],
      ['prev_hash_mismatch', 16],
      ['hash_mismatch', 16],
      ['prev_hash_mismatch', 17],
      ['hash_mismatch', 18],
      ['prev_hash_mismatch', 19],
      ['hash_mismatch', 20],
      ['rehashed', 23],
      ['forged', last + 1],
      ['truncated', last + 2],
    ]);
    for (const pageSize of [3, 4, 10, undefined]) {
      const report = await verifyChain(db, { pageSize });
      expect(walkProblems(report.problems)).toEqual(expected);
      // The entry whose chain row was deleted never reached the chain, as far as the database can tell.
      expect(report.problems.filter((p) => p.reason === 'unchained')).toHaveLength(1);
    }
    const withMac = await verifyChain(db, { macKeys, pageSize: 4 });
    expect(walkProblems(withMac.problems)).toEqual(await reference(macKeys));
    expect(walkProblems(withMac.problems)).toContainEqual(expect.objectContaining({ reason: 'forged', seq: 24 }));
  });

  it('settles no row on a line whose quotes were moved: text shifted across keys, a null for a string, a longer hash or prevHash', async () => {
    // The line PostgreSQL writes is the stored values between literal keys, unescaped; it settles a row only
    // without a backslash. Each edit below tries to have that line (or what JavaScript reads as the line) equal
    // the sealed one while the columns differ: every such row must go to its columns and be reported there.
    await mixedChain();
    const entryAt = (s: number) => `(SELECT entry_id FROM audit_chain WHERE seq = ${s})`;
    // Positions of the format-2 rows (3 legacy rows first) whose values are plain ('café ü ß', '', 'null').
    const [cafe, empty, nul] = ['café ü ß', '', 'null'].map((v) => 4 + ESCAPING.indexOf(v));
    await asSuperuser(testDb, [
      // The actor's key and value moved into the action, the actor left empty.
      `UPDATE audit_entries SET action = action || '","actor":"' || actor, actor = '' WHERE id = ${entryAt(cafe!)}`,
      // A string made null ("afterState":"null" becomes "afterState":null), its two quotes added elsewhere.
      `UPDATE audit_entries SET after_state = NULL, subject_id = subject_id || '""' WHERE id = ${entryAt(nul!)}`,
      // A hash column carrying '""prevHash"' and the start of a line: the record's quotes fall where a 64-character
      // hash and prevHash put them, and JavaScript's line then starts inside the stored hash.
      `UPDATE audit_chain SET hash = hash || '""' || prev_hash || '"{', prev_hash = '' WHERE seq = ${empty}`,
      // A prevHash with text after it: the line would start with that text.
      `UPDATE audit_chain SET prev_hash = prev_hash || '"x' WHERE seq = ${3 + 2 * ESCAPING.length}`,
    ]);
    const expected = await reference();
    expect(expected.filter((p) => p.reason === 'hash_mismatch').map((p) => p.seq)).toEqual(expect.arrayContaining([cafe, nul, empty, 3 + 2 * ESCAPING.length]));
    for (const pageSize of [4, undefined]) {
      const report = await verifyChain(db, { pageSize });
      expect(walkProblems(report.problems)).toEqual(expected);
    }
  });

  it('walks past a stretch of missing positions at once, however far the next row lies', async () => {
    for (let i = 0; i < 6; i++) await append(ESCAPING[i]!, i);
    await sealPending(db, clock);
    await append('far away', 7);
    await asSuperuser(testDb, [
      `INSERT INTO audit_chain (seq, entry_id, prev_hash, hash, sealed_at, format)
         SELECT 1000000000000, entry_id, '${GENESIS_HASH}', '${GENESIS_HASH}', now(), 2 FROM audit_pending`,
      `DELETE FROM audit_pending`,
    ]);
    const report = await verifyChain(db, { pageSize: 2 });
    expect(report.problems).toEqual(await reference());
    expect(report.problems.map((p) => [p.reason, p.seq])).toEqual([
      ['sequence_gap', 1_000_000_000_000],
      ['prev_hash_mismatch', 1_000_000_000_000],
      ['hash_mismatch', 1_000_000_000_000],
    ]);
    expect(report.headSeq).toBe(1_000_000_000_000);
  });

  it('starts a routine check at the last verified checkpoint and walks only the entries after it', async () => {
    const keyring = generateKeyring();
    const policy = { keyring, intervalMs: 60_000, witness: new CheckpointWitness() };
    for (let i = 0; i < 7; i++) await append(ESCAPING[i]!, i);
    await sealPending(db, clock, policy);
    expect(await verifyChain(db, { keyring, pageSize: 3 })).toMatchObject({ ok: true, mode: 'full', verified: 7, checkpoints: 1 });
    for (let i = 7; i < 12; i++) await append(ESCAPING[i]!, i);
    await sealPending(db, clock);
    expect(await verifyChain(db, { keyring, pageSize: 3 })).toMatchObject({ ok: true, mode: 'incremental', startSeq: 7, verified: 5, headSeq: 12 });
  });
});

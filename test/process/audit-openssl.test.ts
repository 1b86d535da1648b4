import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalEntryFromIso, canonicalEntryV2, canonicalJson, chainHashOfCanonical, GENESIS_HASH } from '../../src/audit/canonical.js';
import { AUDIT_LOG_ID, checkpointBytes, type Checkpoint } from '../../src/audit/checkpoint.js';
import type { ExportedRow } from '../../src/audit/export.js';
import { AuditMacKeys } from '../../src/audit/mac.js';
import { verifySegment } from '../../src/audit/offline.js';
import { generateSigningKey, Keyring, type PublishedKey, type SignatureAlg } from '../../src/codes/keyring.js';
import { projectPath } from '../../src/paths.js';
import { buildSegment } from '../support/audit-segment.js';

/**
 * docs/AUDIT.md is the contract for whoever verifies the audit log without this code: its openssl/jq steps (§8)
 * are run exactly as printed, on its test vectors (§9) and on segments and checkpoints the engine builds now,
 * with Ed25519 and with SM2 (user id 1234567812345678), and their verdict must agree with the engine's.
 */
const dir = mkdtempSync(join(tmpdir(), 'audit-openssl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Published {
  log: string;
  keys: PublishedKey[];
  checkpoints: Checkpoint[];
}
const vectors = JSON.parse(readFileSync(projectPath('docs', 'audit', 'vectors.json'), 'utf8')) as {
  published: Published;
  segment: ExportedRow[];
  macKey: { kid: string; secret: string; hex: string };
  expected: { checkpointMessage: string; lines: string[]; macInputs: string[] };
};
const doc = readFileSync(projectPath('docs', 'AUDIT.md'), 'utf8');
const steps = /<!-- audit-openssl-steps:start -->\n```sh\n([\s\S]*?)```\n<!-- audit-openssl-steps:end -->/.exec(doc)?.[1];

let runs = 0;
/** Runs the documented steps in a fresh folder holding only checkpoints.json and segment.ndjson; returns every printed line. */
function opensslSteps(published: Published, rows: ExportedRow[]): string[] {
  const work = join(dir, `run-${runs++}`);
  execFileSync('mkdir', ['-p', work]);
  writeFileSync(join(work, 'checkpoints.json'), JSON.stringify(published));
  writeFileSync(join(work, 'segment.ndjson'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(work, 'steps.sh'), steps!);
  const run = spawnSync('bash', ['steps.sh'], { cwd: work, encoding: 'utf8' });
  return run.stdout.trim().split('\n');
}

/** Rewrites the whole segment from seq `from` with `edit`, rehashed with the project's own function (as an attacker would). */
function rewritten(rows: ExportedRow[], from: number, edit: (r: ExportedRow) => ExportedRow): ExportedRow[] {
  let prev = GENESIS_HASH;
  return rows.map((r0) => {
    const r = r0.seq >= from ? edit(r0) : r0;
    const { payloadText: _p, ...e } = r.entry!;
    const line = r.format === 1 ? canonicalEntryFromIso(e, e.occurredAt) : canonicalEntryV2(e, e.occurredAt, r.sealedAt, r.format as 2 | 3);
    const hash = chainHashOfCanonical(prev, line, r.format === 3 ? 'SM3' : 'SHA-256');
    const out = { ...r, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

describe('docs/AUDIT.md 审计日志格式：第三方仅凭文档、openssl 与 jq 核验检查点与链段', () => {
  it('prints the steps between their markers, with the members the doc names', () => {
    expect(steps).toContain('openssl pkeyutl -verify');
    for (const member of ['`log`', '`type`', '`macFrom`', '`chainSeq`', '`headHash`', '1234567812345678', 'base64url']) expect(doc).toContain(member);
  });

  it('prints the vectors byte for byte as the engine builds them', () => {
    const [cp] = vectors.published.checkpoints;
    expect(checkpointBytes(cp!).toString('utf8')).toBe(vectors.expected.checkpointMessage);
    expect(doc).toContain(vectors.expected.checkpointMessage);
    vectors.segment.forEach((r, i) => {
      const { payloadText: _p, ...e } = r.entry!;
      expect(canonicalEntryV2(e, e.occurredAt, r.sealedAt, r.format as 2 | 3)).toBe(vectors.expected.lines[i]);
    });
    expect(doc).toContain(vectors.expected.lines[0]);
    expect(vectors.published.log).toBe(AUDIT_LOG_ID);
  });

  it('the vectors are intact by the documented steps and by the engine', () => {
    expect(opensslSteps(vectors.published, vectors.segment)).toEqual(['checkpoint 1: signature valid', 'checkpoint 1: matches seq 2', 'intact']);
    expect(verifySegment({ rows: vectors.segment, checkpoints: vectors.published.checkpoints, keys: vectors.published.keys, toHead: true }).ok).toBe(true);
  });

  it('the MAC of §5, computed by openssl, is the vector entry’s MAC', () => {
    const mac = new AuditMacKeys([{ kid: vectors.macKey.kid, secret: Buffer.from(vectors.macKey.secret, 'base64url') }]);
    vectors.segment.forEach((r, i) => {
      const { payloadText, payloadHash: _h, mac: stored, macKid: _k, ...columns } = r.entry!;
      expect(canonicalJson({ ...columns, payload: JSON.parse(payloadText), macKid: vectors.macKey.kid })).toBe(vectors.expected.macInputs[i]);
      const work = join(dir, `mac-${i}`);
      execFileSync('mkdir', ['-p', work]);
      writeFileSync(join(work, 'row.json'), JSON.stringify(r));
      const cmd = /`(jq -cjS '\.entry \| \{action[\s\S]*?) \| openssl dgst -sha256 -mac HMAC -macopt hexkey:<key as hex> -r`/.exec(doc)?.[1];
      expect(cmd).toBeDefined();
      const out = execFileSync('bash', ['-c', `${cmd!.replaceAll('\n', ' ')} | openssl dgst -sha256 -mac HMAC -macopt hexkey:${vectors.macKey.hex} -r`], { cwd: work, encoding: 'utf8' });
      expect(out.slice(0, 64)).toBe(stored);
      expect(mac.check({ ...columns, payload: JSON.parse(payloadText) }, r.entry!.macKid, stored)).toBe(true);
    });
  });

  it('names an edited entry, a rehashed stretch, a forged checkpoint and a relabelled format-1 row, as the engine does', () => {
    const { published, segment } = vectors;
    const edited = segment.map((r) => (r.seq === 1 ? { ...r, entry: { ...r.entry!, afterState: 'forged' } } : r));
    expect(opensslSteps(published, edited)).toEqual(expect.arrayContaining(['seq 1: hash_mismatch', 'tampered']));

    const rehashed = rewritten(segment, 1, (r) => (r.seq === 1 ? { ...r, entry: { ...r.entry!, afterState: 'forged' } } : r));
    const out = opensslSteps(published, rehashed);
    expect(out).toContain('checkpoint 1: rehashed at seq 2');
    expect(out.at(-1)).toBe('tampered');

    const [cp] = published.checkpoints;
    expect(opensslSteps({ ...published, checkpoints: [{ ...cp!, chainSeq: 1 }] }, segment)).toEqual(expect.arrayContaining(['checkpoint 1: checkpoint_invalid', 'tampered']));

    // Row 1 relabelled as format 1 without its MAC, and the chain rehashed: the checkpoint's macFrom forbids it.
    const relabelled = rewritten(segment, 1, (r) => (r.seq === 1 ? { ...r, format: 1, entry: { ...r.entry!, mac: null, macKid: null } } : r));
    expect(opensslSteps(published, relabelled)).toEqual(expect.arrayContaining(['seq 1: forged', 'tampered']));
    expect(verifySegment({ rows: relabelled, checkpoints: published.checkpoints, keys: published.keys }).problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: 'forged', seq: 1 })]),
    );
  });

  it.each<SignatureAlg>(['Ed25519', 'SM2-SM3'])('verifies a segment and a checkpoint the engine signs now with %s', (alg) => {
    const keyring = new Keyring([generateSigningKey(`now-${alg}`, true, alg)], { signingAlg: alg });
    const macKeys = new AuditMacKeys([{ kid: 'k', secret: Buffer.alloc(32, 5) }]);
    const rows = [...buildSegment(3, macKeys), ...buildSegment(5, macKeys, 'SM3').slice(3)];
    // One chain, two formats: rebuild the links across the switch of hash at seq 4.
    const chain = rewritten(rows, 1, (r) => r);
    const head = chain.at(-1)!;
    const body = { seq: 1, chainSeq: head.seq, headHash: head.hash, signedAt: '2026-04-02T02:00:00.000Z', kid: keyring.activeKid, macFrom: 1 };
    const signed = keyring.signBytes(checkpointBytes(body));
    const published: Published = { log: AUDIT_LOG_ID, keys: keyring.publicKeys(), checkpoints: [{ ...body, alg: signed.alg, signature: signed.signature }] };
    expect(opensslSteps(published, chain)).toEqual(['checkpoint 1: signature valid', `checkpoint 1: matches seq ${head.seq}`, 'intact']);
    expect(verifySegment({ rows: chain, checkpoints: published.checkpoints, keys: published.keys, macKeys, toHead: true }).ok).toBe(true);
    const altered = { ...published, checkpoints: [{ ...published.checkpoints[0]!, macFrom: 99 }] };
    expect(opensslSteps(altered, chain).at(-1)).toBe('tampered');
  });
});

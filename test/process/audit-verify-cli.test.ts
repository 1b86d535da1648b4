import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTs } from '../support/run-ts.js';
import { AUDIT_LOG_ID } from '../../src/audit/checkpoint.js';
import type { ExportedRow } from '../../src/audit/export.js';
import { AuditMacKeys } from '../../src/audit/mac.js';
import { generateKeyring } from '../../src/codes/keyring.js';
import { buildSegment, signCheckpoint } from '../support/audit-segment.js';

const dir = mkdtempSync(join(tmpdir(), 'verify-audit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
const ndjson = (rows: ExportedRow[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Runs the verifier as a third party would: a separate process, files on disk, nothing else. */
function verifyCli(args: string[]) {
  const run = runTs('src/cli/verify-audit.ts', args);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const secret = Buffer.alloc(32, 7);
const macKeys = new AuditMacKeys([{ kid: 'k1', secret }]);
const macFile = write('audit-mac.keys', `k1 ${secret.toString('base64url')}\n`);
const keyring = generateKeyring('audit-2026');
const rows = buildSegment(6, macKeys);
// What GET /.well-known/audit-checkpoints serves: checkpoints at 3 and 6, and the public keys.
const published = { log: AUDIT_LOG_ID, keys: keyring.publicKeys(), checkpoints: [signCheckpoint(keyring, 1, rows[2]!), signCheckpoint(keyring, 2, rows[5]!)] };
const cpFile = write('audit-checkpoints.json', JSON.stringify(published));

describe('第八条、第二十四条 verify-audit CLI（离线：只需公开的检查点、公钥和导出的链段）', () => {
  it('prints 完好/intact and exits 0 for a genuine segment, MACs included', () => {
    const r = verifyCli(['--checkpoints', cpFile, '--segment', write('ok.ndjson', ndjson(rows)), '--mac-keys', macFile, '--to-head']);
    expect(r.stdout).toContain('完好/intact');
    expect(r.stdout).toContain('2 checkpoint(s) compared');
    expect(r.status).toBe(0);
  });

  it('reports a truncated tail against the checkpoints', () => {
    const r = verifyCli(['--checkpoints', cpFile, '--segment', write('cut.ndjson', ndjson(rows.slice(0, 4))), '--to-head']);
    expect(r.stdout).toMatch(/truncated at seq 5–6/);
    expect(r.status).toBe(1);
  });

  it('reports an edited entry at its position', () => {
    const edited = rows.map((r) => (r.seq === 2 ? { ...r, entry: { ...r.entry!, afterState: 'forged' } } : r));
    const r = verifyCli(['--checkpoints', cpFile, '--segment', write('edited.ndjson', ndjson(edited))]);
    expect(r.stdout).toMatch(/hash_mismatch at seq 2/);
    expect(r.status).toBe(1);
  });

  it('reports a rewritten-and-rehashed stretch (and, given the MAC key, the rewritten entry)', () => {
    const other = new AuditMacKeys([{ kid: 'k1', secret: Buffer.alloc(32, 9) }]);
    // The attacker rebuilds the whole chain with content of their own; they cannot sign checkpoints.
    const forged = buildSegment(6, other);
    const r = verifyCli(['--checkpoints', cpFile, '--segment', write('rehashed.ndjson', ndjson(forged)), '--mac-keys', macFile]);
    expect(r.stdout).toMatch(/rehashed at seq 1–6/);
    expect(r.stdout).toMatch(/forged at seq 1/);
    expect(r.status).toBe(1);
  });

  it('refuses a checkpoint whose signature does not verify against the given keys', () => {
    const keys = write('other-keys.json', JSON.stringify({ keys: generateKeyring('audit-2026').publicKeys() }));
    const r = verifyCli(['--checkpoints', cpFile, '--keys', keys, '--segment', write('ok2.ndjson', ndjson(rows))]);
    expect(r.stdout).toMatch(/checkpoint_invalid/);
    expect(r.status).toBe(1);
  });

  it('verifies a later segment anchored at a checkpoint', () => {
    const r = verifyCli(['--checkpoints', cpFile, '--segment', write('later.ndjson', ndjson(rows.slice(3)))]);
    expect(r.stdout).toContain('完好/intact');
    expect(r.stdout).toContain('anchored');
    expect(r.status).toBe(0);
  });

  it('compares copies taken at different times: a checkpoint number signed again over a cut-back log is a conflict', () => {
    // Someone cut the log back to 3 entries and appended 3 others; the live sealer then signed checkpoint 2
    // again, genuinely, over the new head. An earlier copy still holds the first checkpoint 2.
    const other = buildSegment(6, new AuditMacKeys([{ kid: 'k1', secret: Buffer.alloc(32, 5) }]));
    const regrown = [...rows.slice(0, 3), ...other.slice(3).map((r, i) => ({ ...r, prevHash: i === 0 ? rows[2]!.hash : r.prevHash }))];
    const later = write('later-copy.json', JSON.stringify({ ...published, checkpoints: [published.checkpoints[0], signCheckpoint(keyring, 2, regrown[5]!)] }));
    const r = verifyCli(['--checkpoints', cpFile, '--checkpoints', later, '--segment', write('regrown.ndjson', ndjson(regrown))]);
    expect(r.stdout).toMatch(/checkpoint_conflict at seq 6/);
    expect(r.status).toBe(1);
  });

  it('exits 2 when the input cannot be read', () => {
    expect(verifyCli(['--checkpoints', cpFile]).status).toBe(2);
    expect(verifyCli(['--checkpoints', join(dir, 'missing.json'), '--segment', cpFile]).status).toBe(2);
  });
});

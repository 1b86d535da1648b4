import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTs } from '../support/run-ts.js';
import { newCodeId } from '../../src/codes/code-id.js';
import type { CodeFacts } from '../../src/codes/facts.js';
import { decodeBase32, encodeBase32 } from '../../src/codes/compact.js';
import { generateSigningKey, Keyring } from '../../src/codes/keyring.js';
import { qrCheckUrl } from '../../src/codes/signed-code.js';

const dir = mkdtempSync(join(tmpdir(), 'verify-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** Runs the verifier the way a third party would: a separate process, files on disk, nothing else. */
function verifyCli(args: string[]) {
  const run = runTs('src/cli/verify-code.ts', args);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const facts: CodeFacts = {
  code: newCodeId(2026),
  inspectionId: 'insp-0001',
  agencies: ['WH-SCJG'],
  enterprise: '91420100MA4K0000XX',
  matters: ['M-FOOD-01', 'M-METRO-02'],
  kind: 'special',
  validFrom: '2026-04-08T01:00:00.000Z',
  validTo: '2026-04-08T09:00:00.000Z',
  inspectorCount: 2,
};
const old = generateSigningKey('k-2025');
const oldSignature = new Keyring([old]).sign(facts).signature;
const keyring = new Keyring([{ kid: old.kid, publicKey: old.publicKey, active: false }, generateSigningKey('k-2026')]);
const { kid, signature, compactSignature } = keyring.sign(facts);
// Only what GET /.well-known/inspection-keys serves reaches the verifier.
const keysFile = writeJson('inspection-keys.json', keyring.publicKeys());
const factsFile = writeJson('facts.json', facts);

describe('verify-code CLI (offline, published keys only)', () => {
  it('prints 有效/valid and exits 0 for a genuine code', () => {
    const r = verifyCli(['--keys', keysFile, '--facts', factsFile, '--kid', kid, `--signature=${signature}`]);
    expect(r.stdout).toContain('有效/valid');
    expect(r.status).toBe(0);
  });

  it('prints 签名无效/forged and exits 1 when a fact was altered', () => {
    const tampered = writeJson('tampered.json', { ...facts, validTo: '2026-04-10T09:00:00.000Z' });
    const r = verifyCli(['--keys', keysFile, '--facts', tampered, '--kid', kid, `--signature=${signature}`]);
    expect(r.stdout).toContain('签名无效/forged');
    expect(r.status).toBe(1);
  });

  it('verifies a code signed before rotation against the retired key, from a { keys } wrapper', () => {
    const wrapped = writeJson('wrapped-keys.json', { keys: keyring.publicKeys() });
    const r = verifyCli(['--keys', wrapped, '--facts', factsFile, '--kid', 'k-2025', `--signature=${oldSignature}`]);
    expect(r.stdout).toContain('retired');
    expect(r.status).toBe(0);
  });

  it('reads a signature that begins with "-" (base64url) when given as --signature=', () => {
    // Ed25519 is deterministic: vary the code until its signature starts with '-', as 1 in 64 do.
    let dashed: { facts: CodeFacts; kid: string; signature: string } | undefined;
    for (let i = 0; i < 5000 && !dashed; i += 1) {
      const f = { ...facts, code: newCodeId(2026) };
      const s = keyring.sign(f);
      if (s.signature.startsWith('-')) dashed = { facts: f, ...s };
    }
    expect(dashed).toBeDefined();
    const file = writeJson('dashed.json', dashed!.facts);
    const r = verifyCli(['--keys', keysFile, '--facts', file, '--kid', dashed!.kid, `--signature=${dashed!.signature}`]);
    expect(r.stdout).toContain('有效/valid');
    expect(r.status).toBe(0);
  });

  it('checks a printed QR’s URL (v2 packed facts) alone, and calls an altered one forged', () => {
    const printed = qrCheckUrl('https://jc.example.gov.cn', facts.code, kid, signature, { signature: compactSignature, facts });
    const r = verifyCli(['--keys', keysFile, `--url=${printed}`]);
    expect(r.stdout).toContain('有效/valid');
    expect(r.stdout).toContain('"enterprise": "91420100MA4K0000XX"');
    expect(r.status).toBe(0);
    const url = new URL(printed);
    const packed = decodeBase32(url.hash.slice(1))!;
    packed[2] = 3; // one more officer than were signed for
    const altered = verifyCli(['--keys', keysFile, `--url=${url.origin}${url.pathname}${url.search}#${encodeBase32(packed)}`]);
    expect(altered.stdout).toContain('签名无效/forged');
    expect(altered.status).toBe(1);
  });

  it('exits 2 with usage when an argument is missing', () => {
    const r = verifyCli(['--keys', keysFile, '--facts', factsFile]);
    expect(r.stderr).toContain('usage:');
    expect(r.status).toBe(2);
  });
});

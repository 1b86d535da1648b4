import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTs } from '../support/run-ts.js';
import { canonicalFacts, type CodeFacts } from '../../src/codes/facts.js';
import { generateSigningKey, Keyring, loadKeyring, type SignatureAlg } from '../../src/codes/keyring.js';
import { packCodeFacts } from '../../src/codes/compact.js';
import { parsePublishedKeys, verifyCompactWithPublishedKeys, verifyMessageWithPublishedKeys } from '../../src/codes/published-keys.js';
import { checkUrl, parseCheckUrl, qrCheckUrl } from '../../src/codes/signed-code.js';
import { projectPath } from '../../src/paths.js';

/**
 * docs/CODE-FORMAT.md is the contract: its `openssl` steps are run exactly as printed, on its test vectors
 * and on codes the engine signs now, and the engine verifies what `openssl` signs — for Ed25519 and for
 * SM2 with SM3 (GB/T 32918.2, user id 1234567812345678), an implementation independent of this one.
 */
const dir = mkdtempSync(join(tmpdir(), 'codes-openssl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vectors = JSON.parse(readFileSync(projectPath('docs', 'code-format', 'vectors.json'), 'utf8')) as {
  keySet: { keys: unknown[] };
  facts: CodeFacts;
  message: string;
  cases: { name: string; url: string; expected: 'valid' | 'forged' | 'refused' }[];
  compact: { packedHex: string; cases: { name: string; url: string; expected: 'valid' | 'forged' | 'refused' }[] };
};
const doc = readFileSync(projectPath('docs', 'CODE-FORMAT.md'), 'utf8');
const steps = /<!-- openssl-steps:start -->\n```sh\n([\s\S]*?)```\n<!-- openssl-steps:end -->/.exec(doc)?.[1];
const compactSteps = /<!-- openssl-compact-steps:start -->\n```sh\n([\s\S]*?)```\n<!-- openssl-compact-steps:end -->/.exec(doc)?.[1];

let runs = 0;
/** Runs the documented steps in a fresh folder holding only keys.json; returns the verdict (last line). */
function opensslSteps(url: string, keySet: unknown, script = steps): string {
  const work = join(dir, `run-${runs++}`);
  execFileSync('mkdir', ['-p', work]);
  writeFileSync(join(work, 'keys.json'), JSON.stringify(keySet));
  writeFileSync(join(work, 'steps.sh'), script!);
  const run = spawnSync('bash', ['steps.sh'], { cwd: work, env: { ...process.env, URL: url }, encoding: 'utf8' });
  return run.stdout.trim().split('\n').at(-1) ?? '';
}

/** The engine's verdict on a QR URL, from the published keys only. */
function engineVerdict(url: string, keySet: unknown): string {
  const scanned = parseCheckUrl(url);
  if (scanned?.packed) return verifyCompactWithPublishedKeys(parsePublishedKeys(keySet), scanned.kid, scanned.code, scanned.packed, scanned.signature) ? 'valid' : 'forged';
  if (!scanned?.message) return 'refused';
  const facts = verifyMessageWithPublishedKeys(parsePublishedKeys(keySet), scanned.kid, scanned.message, scanned.signature);
  return facts && facts.code === scanned.code ? 'valid' : 'forged';
}

const facts: CodeFacts = { ...vectors.facts, inspectionId: 'b7e0b7c4-8a35-4f0e-a7d5-3c1d0f4e9a21' };

describe('docs/CODE-FORMAT.md 检查码格式：第三方仅凭文档与公钥离线核验', () => {
  it('prints the openssl steps between their markers', () => {
    expect(steps).toContain('openssl pkeyutl -verify');
  });

  it.each(vectors.cases.map((c) => [c.name, c] as const))('gives the documented verdict for the vector "%s", by openssl and by the engine', (_, c) => {
    expect(opensslSteps(c.url, vectors.keySet)).toBe(c.expected);
    expect(engineVerdict(c.url, vectors.keySet)).toBe(c.expected);
  });

  it.each(vectors.compact.cases.map((c) => [c.name, c] as const))('gives the documented verdict for the printed vector "%s", by openssl and by the engine', (_, c) => {
    expect(opensslSteps(c.url, vectors.keySet, compactSteps)).toBe(c.expected);
    expect(engineVerdict(c.url, vectors.keySet)).toBe(c.expected);
  });

  it('prints the packed vector facts byte for byte as the engine packs them', () => {
    expect(packCodeFacts(vectors.facts).toString('hex')).toBe(vectors.compact.packedHex);
    expect(doc).toContain(vectors.compact.packedHex);
    for (const c of vectors.compact.cases.filter((x) => x.expected === 'valid')) expect(doc).toContain(c.url);
  });

  it.each<SignatureAlg>(['Ed25519', 'SM2-SM3'])('verifies with openssl the printed QR of a code the engine signs now with %s, and reads its facts', (alg) => {
    const keyring = new Keyring([generateSigningKey('now-ed25519', true, 'Ed25519'), generateSigningKey('now-sm2', true, 'SM2-SM3')], { signingAlg: alg });
    const { kid, signature, compactSignature } = keyring.sign(facts);
    const work = join(dir, `printed-${alg}`);
    const url = qrCheckUrl('https://jc.example.gov.cn', facts.code, kid, signature, { signature: compactSignature, facts });
    execFileSync('mkdir', ['-p', work]);
    writeFileSync(join(work, 'keys.json'), JSON.stringify({ keys: keyring.publicKeys() }));
    writeFileSync(join(work, 'steps.sh'), compactSteps!);
    const out = spawnSync('bash', ['steps.sh'], { cwd: work, env: { ...process.env, URL: url }, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(out.at(-1)).toBe('valid');
    expect(out.at(-2)).toBe(
      `code=${facts.code} enterprise=${facts.enterprise} kind=${facts.kind} inspectorCount=${facts.inspectorCount} agencies=1 matters=2 validFrom=2026-04-08T01:00:00Z validTo=2026-04-08T09:00:00Z`,
    );
  });

  it('prints the vector message byte for byte as the engine builds it', () => {
    expect(canonicalFacts(vectors.facts)).toBe(vectors.message);
    expect(doc).toContain(vectors.message);
  });

  it.each<SignatureAlg>(['Ed25519', 'SM2-SM3'])('verifies with openssl a code the engine signs now with %s, and refuses it altered', (alg) => {
    const keys = [generateSigningKey('now-ed25519', true, 'Ed25519'), generateSigningKey('now-sm2', true, 'SM2-SM3')];
    const keyring = new Keyring(keys, { signingAlg: alg });
    const { kid, signature } = keyring.sign(facts);
    const keySet = { keys: keyring.publicKeys() };
    expect(opensslSteps(checkUrl('https://jc.example.gov.cn', facts.code, kid, signature, facts), keySet)).toBe('valid');
    const altered = { ...facts, enterprise: '91420102MA4K0000YY' };
    expect(opensslSteps(checkUrl('https://jc.example.gov.cn', facts.code, kid, signature, altered), keySet)).toBe('forged');
  });

  it.each<[SignatureAlg, string[], string[]]>([
    ['Ed25519', ['-algorithm', 'ed25519'], []],
    ['SM2-SM3', ['-algorithm', 'SM2'], ['-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678']],
  ])('verifies in the engine a code openssl signed with %s, from an openssl-made key in the keys folder', (alg, genArgs, signArgs) => {
    const keysDir = join(dir, `openssl-${alg}`);
    execFileSync('mkdir', ['-p', keysDir]);
    execFileSync('openssl', ['genpkey', ...genArgs, '-out', join(keysDir, 'ossl.pem')]);
    writeFileSync(join(keysDir, 'active'), 'ossl\n');
    const message = join(keysDir, 'message.bin');
    writeFileSync(message, canonicalFacts(facts));
    execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', join(keysDir, 'ossl.pem'), '-rawin', '-in', message, '-out', join(keysDir, 'sig.bin'), ...signArgs]);
    execFileSync('rm', [message]);
    const signature = readFileSync(join(keysDir, 'sig.bin')).toString('base64url');
    execFileSync('rm', [join(keysDir, 'sig.bin')]);

    const keyring = loadKeyring({ keysDir, dataDir: dir, production: true, signingAlg: alg });
    expect(keyring.publicKeys()[0]).toMatchObject({ kid: 'ossl', alg, status: 'active' });
    expect(keyring.verify(facts, 'ossl', signature)).toBe(true);
    expect(keyring.verify({ ...facts, inspectorCount: 3 }, 'ossl', signature)).toBe(false);
    // And the key set it publishes verifies the same code through the documented steps.
    expect(opensslSteps(checkUrl('https://jc.example.gov.cn', facts.code, 'ossl', signature, facts), { keys: keyring.publicKeys() })).toBe('valid');
  });

  it('signs arbitrary bytes (audit checkpoints) with SM2 so that openssl verifies them', () => {
    const keyring = new Keyring([generateSigningKey('cp-sm2', true, 'SM2-SM3')], { signingAlg: 'SM2-SM3' });
    const message = Buffer.from('wuhan-327/audit-checkpoint/v1\nseq=42\nhash=00ff', 'utf8');
    const signed = keyring.signBytes(message);
    expect(signed).toMatchObject({ kid: 'cp-sm2', alg: 'SM2-SM3' });
    expect(keyring.verifyBytes(message, signed.kid, signed.signature)).toBe(true);
    const work = join(dir, 'checkpoint');
    execFileSync('mkdir', ['-p', work]);
    writeFileSync(join(work, 'key.pem'), keyring.publicKeys()[0]!.publicKeyPem);
    writeFileSync(join(work, 'msg.bin'), message);
    writeFileSync(join(work, 'sig.bin'), Buffer.from(signed.signature, 'base64url'));
    const verify = (file: string) =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', file, '-sigfile', 'sig.bin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'], { cwd: work }).status;
    expect(verify('msg.bin')).toBe(0);
    writeFileSync(join(work, 'other.bin'), Buffer.concat([message, Buffer.from('1')]));
    expect(verify('other.bin')).not.toBe(0);
  });

  it('checks a QR URL with the verify-code CLI alone: valid exits 0 and prints the signed facts, forged exits 1', () => {
    writeFileSync(join(dir, 'vector-keys.json'), JSON.stringify(vectors.keySet));
    const cli = (url: string) => runTs('src/cli/verify-code.ts', ['--keys', join(dir, 'vector-keys.json'), `--url=${url}`]);
    const genuine = cli(vectors.cases[1]!.url);
    expect(genuine.status).toBe(0);
    expect(genuine.stdout).toContain('有效/valid');
    expect(genuine.stdout).toContain(vectors.facts.enterprise);
    const forged = cli(vectors.cases[3]!.url);
    expect(forged.stdout).toContain('签名无效/forged');
    expect(forged.status).toBe(1);
    expect(cli(vectors.cases[4]!.url).status).toBe(2); // non-canonical spelling: refused as unreadable input
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newCodeId } from '../../src/codes/code-id.js';
import type { CodeFacts } from '../../src/codes/facts.js';
import { generateKeyring, generateSigningKey, Keyring, loadKeyring } from '../../src/codes/keyring.js';
import { parsePrivatePem, pkcs8Pem } from '../../src/codes/keys.js';
import { publishedPublicKey, verifyWithPublishedKeys } from '../../src/codes/published-keys.js';
import { decodeSignature } from '../../src/codes/signature.js';
import { checkUrl, parseCheckUrl } from '../../src/codes/signed-code.js';
import { generateSm2Key, sm2Sign, sm2Verify } from '../../src/codes/sm2.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const facts: CodeFacts = {
  code: newCodeId(2026),
  inspectionId: 'insp-0001',
  agencies: ['WH-SCJG'],
  enterprise: '91420100MA4K0000XX',
  matters: ['M-FOOD-01'],
  kind: 'routine',
  validFrom: '2026-04-08T01:00:00.000Z',
  validTo: '2026-04-08T09:00:00.000Z',
  inspectorCount: 2,
};

describe('SM2 with SM3 (GB/T 32918.2)', () => {
  const key = generateSm2Key();
  const message = Buffer.from('检查码', 'utf8');

  it('verifies its own signature and refuses another message, another key and a re-spelled DER', () => {
    const sig = sm2Sign(key, message);
    expect(sm2Verify(key.publicKey, message, sig)).toBe(true);
    expect(sm2Verify(key.publicKey, Buffer.from('检查吗', 'utf8'), sig)).toBe(false);
    expect(sm2Verify(generateSm2Key().publicKey, message, sig)).toBe(false);
    // The same (r, s) with a superfluous leading zero in r: valid BER, not the one DER spelling.
    const rLen = sig[3]!;
    const padded = Buffer.concat([Buffer.from([0x30, sig[1]! + 1, 0x02, rLen + 1, 0x00]), sig.subarray(4)]);
    expect(sm2Verify(key.publicKey, message, padded)).toBe(false);
    expect(sm2Verify(key.publicKey, message, Buffer.alloc(0))).toBe(false);
  });

  it('round-trips its keys through PKCS8 PEM', () => {
    const again = parsePrivatePem(pkcs8Pem(key));
    expect(sm2Verify(key.publicKey, message, sm2Sign(again as typeof key, message))).toBe(true);
  });
});

describe('Keyring with both algorithms (CODE_SIGNING_ALG)', () => {
  const keys = [generateSigningKey('ed-2026', true, 'Ed25519'), generateSigningKey('sm2-2026', true, 'SM2-SM3'), { ...generateSigningKey('ed-2025', false), privateKey: undefined }];

  it('signs with the current key of the chosen algorithm and verifies codes of either', () => {
    const sm2 = new Keyring(keys, { signingAlg: 'SM2-SM3' });
    const ed = new Keyring(keys, { signingAlg: 'Ed25519' });
    const bySm2 = sm2.sign(facts);
    const byEd = ed.sign(facts);
    expect(bySm2).toMatchObject({ kid: 'sm2-2026', alg: 'SM2-SM3' });
    expect(byEd).toMatchObject({ kid: 'ed-2026', alg: 'Ed25519' });
    for (const k of [sm2, ed]) {
      expect(k.verify(facts, bySm2.kid, bySm2.signature)).toBe(true);
      expect(k.verify(facts, byEd.kid, byEd.signature)).toBe(true);
      // A signature is tried only under its own key: swapping the kids fails.
      expect(k.verify(facts, 'sm2-2026', byEd.signature)).toBe(false);
      expect(k.verify(facts, 'ed-2026', bySm2.signature)).toBe(false);
    }
    expect(sm2.publicKeys().map((k) => [k.kid, k.alg, k.status])).toEqual([
      ['sm2-2026', 'SM2-SM3', 'active'],
      ['ed-2026', 'Ed25519', 'standby'],
      ['ed-2025', 'Ed25519', 'retired'],
    ]);
    expect(sm2.publicKeys()[0]!.jwk).toMatchObject({ kty: 'EC', crv: 'SM2', kid: 'sm2-2026', alg: 'SM2-SM3' });
  });

  it('verifies from the published keys alone, under the algorithm each entry names', () => {
    const keyring = new Keyring(keys, { signingAlg: 'SM2-SM3' });
    const { kid, signature } = keyring.sign(facts);
    const published = keyring.publicKeys();
    expect(verifyWithPublishedKeys(published, facts, kid, signature)).toBe(true);
    expect(verifyWithPublishedKeys(published, { ...facts, inspectorCount: 3 }, kid, signature)).toBe(false);
    // An entry whose key is not of the algorithm it names is unusable.
    const lying = published.map((k) => (k.kid === kid ? { ...k, alg: 'Ed25519' as const } : k));
    expect(publishedPublicKey(lying, kid)).toBeUndefined();
  });

  it('refuses two current keys of one algorithm, and a chosen algorithm without a current key', () => {
    expect(() => new Keyring([generateSigningKey('a'), generateSigningKey('b')])).toThrow(/exactly one active key per algorithm/);
    expect(() => new Keyring([generateSigningKey('a')], { signingAlg: 'SM2-SM3' })).toThrow(/no active SM2-SM3 key/);
  });

  it('signs arbitrary bytes for other records (audit checkpoints) under either algorithm', () => {
    for (const alg of ['Ed25519', 'SM2-SM3'] as const) {
      const keyring = generateKeyring(`cp-${alg === 'Ed25519' ? 'ed' : 'sm2'}`, alg);
      const message = new TextEncoder().encode('wuhan-327/audit-checkpoint/v1 42');
      const { kid, signature, alg: used } = keyring.signBytes(message);
      expect(used).toBe(alg);
      expect(keyring.verifyBytes(message, kid, signature)).toBe(true);
      expect(keyring.verifyBytes(new TextEncoder().encode('other'), kid, signature)).toBe(false);
    }
  });

  it('makes a development SM2 key beside the Ed25519 one when SM2-SM3 is chosen, keeping both', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'codes-sm2-dev-'));
    dirs.push(dataDir);
    const now = new Date('2026-04-08T02:00:00Z');
    const ed = loadKeyring({ dataDir, production: false, now });
    const sm2 = loadKeyring({ dataDir, production: false, now, signingAlg: 'SM2-SM3' });
    expect(readdirSync(join(dataDir, 'code-keys')).sort()).toEqual(['dev-20260408.pem', 'dev-sm2-20260408.pem']);
    expect(sm2.activeKid).toBe('dev-sm2-20260408');
    const old = ed.sign(facts);
    expect(sm2.verify(facts, old.kid, old.signature)).toBe(true);
  });
});

describe('canonical base64url and the QR URL (docs/CODE-FORMAT.md §4, §5)', () => {
  it('refuses every spelling of a signature but the canonical one', () => {
    const { signature } = generateKeyring().sign(facts);
    expect(decodeSignature(signature)).not.toBeNull();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1];
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(decodeSignature(respelled)).toBeNull();
    expect(decodeSignature(`${signature}=`)).toBeNull();
  });

  it('carries the signed message in the fragment and reads it back', () => {
    const keyring = generateKeyring('k-2026');
    const { kid, signature } = keyring.sign(facts);
    const url = checkUrl('https://jc.example.gov.cn/base/', facts.code, kid, signature, facts);
    expect(url).toMatch(new RegExp(`^https://jc\\.example\\.gov\\.cn/base/v/${facts.code}\\?k=k-2026&s=[A-Za-z0-9_-]+#m=[A-Za-z0-9_-]+$`));
    const scanned = parseCheckUrl(url)!;
    expect(scanned).toMatchObject({ code: facts.code, kid, signature });
    expect(JSON.parse(scanned.message!.toString('utf8'))).toMatchObject({ ...facts, schema: 'wuhan-327/inspection-code/v1' });
    expect(parseCheckUrl(`${url}=`)).toBeNull(); // padding is not the canonical spelling
    expect(parseCheckUrl(url.split('#')[0]!)?.message).toBeUndefined(); // a QR printed before `m` was added
  });
});

import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newCodeId } from '../../src/codes/code-id.js';
import { canonicalFacts, type CodeFacts } from '../../src/codes/facts.js';
import { generateKeyring, generateSigningKey, Keyring } from '../../src/codes/keyring.js';
import { verifyWithPublishedKeys } from '../../src/codes/published-keys.js';
import { checkUrl, decodeSignedCode, encodeSignedCode } from '../../src/codes/signed-code.js';

function newFacts(overrides: Partial<CodeFacts> = {}): CodeFacts {
  return {
    code: newCodeId(2026),
    inspectionId: 'insp-0001',
    agencies: ['WH-SCJG', 'WH-YJGL'],
    enterprise: '91420100MA4K0000XX',
    matters: ['M-FOOD-01', 'M-METRO-02'],
    kind: 'routine',
    validFrom: '2026-04-08T01:00:00.000Z',
    validTo: '2026-04-08T09:00:00.000Z',
    inspectorCount: 2,
    ...overrides,
  };
}

describe('canonicalFacts', () => {
  it('does not depend on key order or on the order of agencies and matters', () => {
    const f = newFacts();
    const shuffled = { ...f, agencies: [...f.agencies].reverse(), matters: [...f.matters].reverse() };
    expect(canonicalFacts(shuffled)).toBe(canonicalFacts(f));
    expect(canonicalFacts(f)).toContain('"schema":"wuhan-327/inspection-code/v1"');
  });

  it('ignores properties outside CodeFacts', () => {
    const f = newFacts();
    expect(canonicalFacts({ ...f, note: 'x' } as CodeFacts)).toBe(canonicalFacts(f));
  });
});

describe('Keyring sign / verify', () => {
  const keyring = generateKeyring('k-2026');
  const facts = newFacts();
  const { kid, signature } = keyring.sign(facts);

  it('verifies its own signature', () => {
    expect(kid).toBe('k-2026');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(keyring.verify(facts, kid, signature)).toBe(true);
  });

  it.each<[string, Partial<CodeFacts>]>([
    ['agency', { agencies: ['WH-SCJG', 'WH-ZRZY'] }],
    ['enterprise', { enterprise: '91420100MA4K0000YY' }],
    ['matter', { matters: ['M-FOOD-01'] }],
    ['window start', { validFrom: '2026-04-07T01:00:00.000Z' }],
    ['window end', { validTo: '2026-04-09T09:00:00.000Z' }],
    ['inspector count', { inspectorCount: 1 }],
    ['kind', { kind: 'special' }],
    ['code', { code: newCodeId(2026) }],
    ['inspection', { inspectionId: 'insp-0002' }],
  ])('refuses the signature when the %s changed', (_, change) => {
    expect(keyring.verify({ ...facts, ...change }, kid, signature)).toBe(false);
  });

  it('refuses an unknown kid', () => {
    expect(keyring.verify(facts, 'k-other', signature)).toBe(false);
  });

  it('answers false, never throws, on garbage', () => {
    const garbage: unknown[] = ['', 'not base64!', 'A'.repeat(86), signature.slice(1), `${signature}A`, null, 42, {}];
    for (const g of garbage) expect(keyring.verify(facts, kid, g as string)).toBe(false);
    expect(keyring.verify(facts, undefined as unknown as string, signature)).toBe(false);
    expect(keyring.verify(null as unknown as CodeFacts, kid, signature)).toBe(false);
    expect(keyring.verify({ ...facts, agencies: 'x' } as unknown as CodeFacts, kid, signature)).toBe(false);
  });

  it('refuses a second spelling of the same signature bytes', () => {
    // The last of 86 characters carries 2 spare bits; flipping them decodes to the same 64 bytes.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = signature.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(keyring.verify(facts, kid, twin)).toBe(false);
  });
});

describe('key rotation', () => {
  it('keeps verifying codes signed with a retired key (public half only)', () => {
    const old = generateSigningKey('k-2025');
    const before = new Keyring([old]);
    const facts = newFacts();
    const signed = before.sign(facts);

    const after = new Keyring([{ kid: old.kid, publicKey: old.publicKey, active: false }, generateSigningKey('k-2026')]);
    expect(after.activeKid).toBe('k-2026');
    expect(after.verify(facts, signed.kid, signed.signature)).toBe(true);
    expect(after.sign(facts).kid).toBe('k-2026');
    expect(after.publicKeys().map((k) => [k.kid, k.status])).toEqual([
      ['k-2026', 'active'],
      ['k-2025', 'retired'],
    ]);
  });

  it('refuses a keyring without exactly one active key that can sign', () => {
    const a = generateSigningKey('a');
    const b = generateSigningKey('b');
    expect(() => new Keyring([])).toThrow(/at least one/);
    expect(() => new Keyring([a, b])).toThrow(/exactly one active/);
    expect(() => new Keyring([{ ...a, active: false }])).toThrow(/exactly one active/);
    expect(() => new Keyring([{ kid: 'a', publicKey: a.publicKey, active: true }])).toThrow(/no private key/);
    expect(() => new Keyring([{ ...a, publicKey: b.publicKey }])).toThrow(/does not match/);
    expect(() => new Keyring([a, { ...b, kid: 'a', active: false }])).toThrow(/twice/);
    expect(() => new Keyring([{ ...a, kid: 'has.dot' }])).toThrow(/kid/);
  });
});

describe('published keys (GET /.well-known/inspection-keys)', () => {
  const keyring = new Keyring([
    { ...generateSigningKey('k-2025'), active: false },
    generateSigningKey('k-2026'),
  ]);
  const published = keyring.publicKeys();

  it('hold no private material', () => {
    const text = JSON.stringify(published);
    expect(text).not.toContain('PRIVATE');
    for (const k of published) {
      expect(k.jwk.d).toBeUndefined();
      expect(k.jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: k.kid, alg: 'EdDSA', use: 'sig' });
      expect(k.publicKeyPem).toContain('BEGIN PUBLIC KEY');
      expect(k.alg).toBe('Ed25519');
    }
  });

  it('let a third party verify with createPublicKey(jwk) alone', () => {
    const facts = newFacts();
    const { kid, signature } = keyring.sign(facts);
    const entry = JSON.parse(JSON.stringify(published)).find((k: { kid: string }) => k.kid === kid);
    const key = createPublicKey({ key: entry.jwk, format: 'jwk' });
    const bytes = Buffer.from(canonicalFacts(facts), 'utf8');
    expect(verify(null, bytes, key, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verifyWithPublishedKeys(published, facts, kid, signature)).toBe(true);
    expect(verifyWithPublishedKeys(published, { ...facts, inspectorCount: 3 }, kid, signature)).toBe(false);
    expect(verifyWithPublishedKeys(published, facts, 'k-unknown', signature)).toBe(false);
  });
});

describe('signed code token and check URL', () => {
  const keyring = generateKeyring('dev-20260408');
  const facts = newFacts();
  const { kid, signature } = keyring.sign(facts);

  it('round-trips code, kid and signature through one URL-safe token', () => {
    const token = encodeSignedCode({ code: facts.code, kid, signature });
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(decodeSignedCode(token)).toEqual({ code: facts.code, kid, signature });
  });

  it('decodes garbage to null', () => {
    const token = encodeSignedCode({ code: facts.code, kid, signature });
    for (const bad of ['', 'a.b.c', `${token}.x`, token.replace('JC-', 'JX-'), token.slice(0, -1), `x${token}`]) {
      expect(decodeSignedCode(bad), bad).toBeNull();
    }
    expect(decodeSignedCode(undefined as unknown as string)).toBeNull();
  });

  it('builds the public check page URL', () => {
    const url = checkUrl('https://jc.wuhan.gov.cn/', facts.code, kid, signature);
    expect(url).toBe(`https://jc.wuhan.gov.cn/v/${facts.code}?k=${kid}&s=${signature}`);
    expect(checkUrl('https://example.org/jc', facts.code, kid, signature)).toMatch(/^https:\/\/example\.org\/jc\/v\//);
    const parsed = new URL(url);
    expect(parsed.searchParams.get('s')).toBe(signature);
    expect(() => checkUrl('not a url', facts.code, kid, signature)).toThrow();
  });
});

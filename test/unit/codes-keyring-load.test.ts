import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKeyring } from '../../src/codes/keyring.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codes-keys-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ed25519() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A keys folder: `files` maps file names to contents. */
function keysDir(files: Record<string, string>): string {
  const dir = tempDir();
  // Private keys as an operator must keep them (production refuses a group- or world-readable one).
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { mode: name.endsWith('.pem') && !name.endsWith('.pub.pem') ? 0o600 : 0o644 });
  return dir;
}

const load = (keysDir: string, production = true) => loadKeyring({ keysDir, dataDir: tempDir(), production });

describe('loadKeyring from a keys folder', () => {
  it('signs with the active key and verifies with the retired public-only key', () => {
    const current = ed25519();
    const old = ed25519();
    const dir = keysDir({ 'k-2026.pem': current.privatePem, 'k-2025.pub.pem': old.publicPem, active: 'k-2026\n', 'README': 'x' });
    const keyring = load(dir);
    expect(keyring.activeKid).toBe('k-2026');
    expect(keyring.publicKeys().map((k) => [k.kid, k.status, k.publicKeyPem])).toEqual([
      ['k-2026', 'active', current.publicPem],
      ['k-2025', 'retired', old.publicPem],
    ]);
  });

  it('treats a private key that is not active as retired, and accepts a matching .pub.pem beside a .pem', () => {
    const a = ed25519();
    const b = ed25519();
    const keyring = load(keysDir({ 'a.pem': a.privatePem, 'a.pub.pem': a.publicPem, 'b.pem': b.privatePem, active: 'b' }));
    expect(keyring.publicKeys().map((k) => [k.kid, k.status])).toEqual([
      ['b', 'active'],
      ['a', 'retired'],
    ]);
  });

  it.each<[string, () => Record<string, string>, RegExp]>([
    ['no active file', () => ({ 'a.pem': ed25519().privatePem }), /active is missing/],
    ['an empty active file', () => ({ 'a.pem': ed25519().privatePem, active: ' \n' }), /active is empty/],
    ['an active kid without a key file', () => ({ 'a.pem': ed25519().privatePem, active: 'b' }), /names "b".*no b\.pem/],
    ['an active kid with only a public key', () => ({ 'a.pub.pem': ed25519().publicPem, active: 'a' }), /only a\.pub\.pem/],
    ['no key files', () => ({ active: 'a' }), /no <kid>\.pem/],
    ['a file that is not a key', () => ({ 'a.pem': 'hello', active: 'a' }), /a\.pem is not a PEM PKCS8 private key/],
    ['a private key in a .pub.pem', () => ({ 'a.pem': ed25519().privatePem, 'b.pub.pem': ed25519().privatePem, active: 'a' }), /b\.pub\.pem holds a private key/],
    ['a .pub.pem that does not match its .pem', () => ({ 'a.pem': ed25519().privatePem, 'a.pub.pem': ed25519().publicPem, active: 'a' }), /a\.pub\.pem does not match/],
    ['a kid that is not URL-safe', () => ({ 'a b.pem': ed25519().privatePem, active: 'a b' }), /file name must be <kid>\.pem/],
    [
      'a key that is not Ed25519',
      () => ({
        'a.pem': generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        active: 'a',
      }),
      /is a ec key; inspection codes use Ed25519/,
    ],
  ])('refuses a folder with %s, naming the problem', (_, files, message) => {
    expect(() => load(keysDir(files()))).toThrow(message);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => load(join(tempDir(), 'missing'))).toThrow(/does not exist/);
  });

  it('refuses in production a private key its group or others can read, and names the mode', () => {
    const dir = keysDir({ 'a.pem': ed25519().privatePem, active: 'a' });
    chmodSync(join(dir, 'a.pem'), 0o640);
    expect(() => load(dir)).toThrow(/a\.pem is readable by its group or by others \(mode 640\)/);
    chmodSync(join(dir, 'a.pem'), 0o604);
    expect(() => load(dir)).toThrow(/mode 604/);
    // Outside production (a developer's checkout) the mode is the developer's business.
    expect(load(dir, false).activeKid).toBe('a');
    chmodSync(join(dir, 'a.pem'), 0o600);
    expect(load(dir).activeKid).toBe('a');
  });
});

describe('loadKeyring without a keys folder', () => {
  it('refuses to run in production without configured keys', () => {
    expect(() => loadKeyring({ dataDir: tempDir(), production: true })).toThrow(/not configured/);
  });

  it('creates a development key once (mode 0600) and reuses it on later days', () => {
    const dataDir = tempDir();
    const first = loadKeyring({ dataDir, production: false, now: new Date('2026-04-07T17:00:00Z') });
    // 17:00 UTC is already 8 April in Wuhan.
    expect(first.activeKid).toBe('dev-20260408');
    const keyDir = join(dataDir, 'code-keys');
    expect(readdirSync(keyDir)).toEqual(['dev-20260408.pem']);
    expect(statSync(join(keyDir, 'dev-20260408.pem')).mode & 0o777).toBe(0o600);

    const later = loadKeyring({ dataDir, production: false, now: new Date('2026-05-01T00:00:00Z') });
    expect(later.activeKid).toBe('dev-20260408');
    expect(later.publicKeys()[0]!.publicKeyPem).toBe(first.publicKeys()[0]!.publicKeyPem);
    expect(readdirSync(keyDir)).toHaveLength(1);
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTs } from '../support/run-ts.js';

const dir = mkdtempSync(join(tmpdir(), 'production-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const idpKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const keysDir = join(dir, 'keys');

/** The server as an operator starts it: `node src/server.ts` under NODE_ENV=production, nothing else. */
function start(env: Record<string, string>) {
  const run = runTs('src/server.ts', [], {
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', DATA_DIR: join(dir, 'data'), PORT: '0', ...env },
  });
  return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

// The audit append-MAC key production also requires (AUDIT_MAC_KEY_FILE), so the refusal under test is the one reached.
const macKeys = join(dir, 'audit-mac.keys');
writeFileSync(macKeys, `m-2026 ${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
const PRODUCTION = { JWT_PUBLIC_KEY: idpKey, JWT_ISSUER: 'https://idp.wuhan.test', JWT_AUDIENCE: 'wh327', PUBLIC_BASE_URL: 'https://jc.wuhan.test', CODE_KEYS_DIR: keysDir, AUDIT_MAC_KEY_FILE: macKeys };

describe('production refuses to start on a setup an attacker could use (issue 15)', () => {
  it('without the issuer, the audience or the public origin, naming the setting', () => {
    for (const setting of ['JWT_ISSUER', 'JWT_AUDIENCE', 'PUBLIC_BASE_URL'] as const) {
      const { [setting]: _omitted, ...env } = PRODUCTION;
      const run = start(env);
      expect(run.status, setting).toBe(1);
      expect(run.out, setting).toContain(`configuration error — ${setting}`);
    }
  });

  it('with a code signing key its group or others can read', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(keysDir, { recursive: true });
    writeFileSync(join(keysDir, 'k-2026.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    chmodSync(join(keysDir, 'k-2026.pem'), 0o644);
    writeFileSync(join(keysDir, 'active'), 'k-2026\n');
    const run = start(PRODUCTION);
    expect(run.status).not.toBe(0);
    expect(run.out).toContain('k-2026.pem is readable by its group or by others (mode 644); chmod 600 it');
  });
});

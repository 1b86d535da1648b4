import { createSigner } from 'fast-jwt';
import { generateKeyPairSync, type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Principal } from './principal.js';

/**
 * The local development signing key (Ed25519). It is generated on first use into DATA_DIR and never
 * committed, so no two installations share it; the server accepts its tokens only with
 * AUTH_DEV_TOKENS=true, which production configuration refuses.
 */
export const DEV_KEY_ID = 'dev-local';
export const DEV_ISSUER = 'wuhan-327-dev';

export interface DevKey {
  privateKey: KeyObject;
  publicPem: string;
}

export function generateDevKey(): DevKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function loadOrCreateDevKey(dataDir: string): DevKey {
  const file = join(dataDir, 'dev-jwt-ed25519.pem');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const key = generateDevKey();
    writeFileSync(file, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  const privateKey = createPrivateKey(readFileSync(file));
  return {
    privateKey,
    publicPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

// A signer per key and lifetime: creating one parses the key again (~1 ms), and the tests sign a token per request.
const signers = new WeakMap<KeyObject, Map<number, (payload: Record<string, unknown>) => string>>();

/** Signs a token for a principal (demo and tests); `expiresInSeconds` defaults to 12 hours, a working day. */
export function signDevToken(key: DevKey, principal: Principal, expiresInSeconds = 12 * 3600): string {
  let byLifetime = signers.get(key.privateKey);
  if (!byLifetime) signers.set(key.privateKey, (byLifetime = new Map()));
  let sign = byLifetime.get(expiresInSeconds);
  if (!sign) {
    sign = createSigner({
      key: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      algorithm: 'EdDSA',
      kid: DEV_KEY_ID,
      iss: DEV_ISSUER,
      expiresIn: expiresInSeconds * 1000,
    });
    byLifetime.set(expiresInSeconds, sign);
  }
  return sign({ ...principal });
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----';
const PROD = { NODE_ENV: 'production', JWT_PUBLIC_KEY: PEM, JWT_ISSUER: 'https://idp.wuhan.test', JWT_AUDIENCE: 'wh327', PUBLIC_BASE_URL: 'https://jc.wuhan.gov.cn', CODE_KEYS_DIR: '/keys', AUDIT_MAC_KEY_FILE: '/keys/audit-mac.keys' };

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults for a newcomer (PGlite, dev tokens, demo data)', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.auth.devTokens).toBe(true);
    expect(c.seedDemo).toBe(true);
    expect(c.port).toBe(3000);
  });

  it('names the bad setting', () => {
    expect(errorOf({ PORT: 'eighty' }).setting).toBe('PORT');
    expect(errorOf({ PORT: '70000' }).setting).toBe('PORT');
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).setting).toBe('DATABASE_URL');
    expect(errorOf({ CLOCK_START: 'yesterday' }).setting).toBe('CLOCK_START');
    expect(errorOf({ LOG_LEVEL: 'loud' }).setting).toBe('LOG_LEVEL');
  });

  it('refuses development tokens, a moved clock and missing key material (JWT, code signing) in production', () => {
    expect(errorOf({ ...PROD, AUTH_DEV_TOKENS: 'true' }).setting).toBe('AUTH_DEV_TOKENS');
    expect(errorOf({ ...PROD, CLOCK_START: '2026-04-02T09:00:00+08:00' }).setting).toBe('CLOCK_START');
    const { JWT_PUBLIC_KEY: _k, ...noKey } = PROD;
    expect(errorOf(noKey).setting).toBe('JWT_PUBLIC_KEY');
    const { CODE_KEYS_DIR: _d, ...noKeysDir } = PROD;
    expect(errorOf(noKeysDir).setting).toBe('CODE_KEYS_DIR');
    expect(loadConfig(PROD).auth.devTokens).toBe(false);
  });

  it('needs the audit MAC key in production, and DATABASE_URL beside an owner URL', () => {
    expect(errorOf({ ...PROD, AUDIT_MAC_KEY_FILE: '' }).setting).toBe('AUDIT_MAC_KEY_FILE');
    expect(errorOf({ DATABASE_OWNER_URL: 'postgres://owner@db/wh327' }).setting).toBe('DATABASE_OWNER_URL');
    const c = loadConfig({ DATABASE_OWNER_URL: 'postgres://owner@db/wh327', DATABASE_URL: 'postgres://wh327_app@db/wh327' });
    expect(c.databaseAppRole).toBe('wh327_app');
  });

  it('refuses in production a token setup that would accept another application’s tokens, and QR codes pointing at loopback', () => {
    for (const setting of ['JWT_ISSUER', 'JWT_AUDIENCE', 'PUBLIC_BASE_URL'] as const) {
      const { [setting]: _omitted, ...rest } = PROD;
      expect(errorOf(rest).setting, setting).toBe(setting);
    }
  });

  it('reads TRUST_PROXY as none or the proxies’ addresses, and refuses anything else (a hop count included)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(errorOf({ TRUST_PROXY: '1' }).setting).toBe('TRUST_PROXY');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(errorOf({ TRUST_PROXY: 'proxy.example' }).setting).toBe('TRUST_PROXY');
  });

  it('accepts a clock start for demos', () => {
    expect(loadConfig({ CLOCK_START: '2026-04-02T09:00:00+08:00' }).clockStart).toBe('2026-04-02T09:00:00+08:00');
  });
});

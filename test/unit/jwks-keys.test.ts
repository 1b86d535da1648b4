import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwksKeys } from '../../src/auth/jwks.js';

const jwkOf = (kid: string) => ({ ...generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' });

/** The identity provider's key set, as a fake fetch that counts calls; `keys` can change (rotation). */
function provider(initial: object[]) {
  const p = { keys: initial, fetches: 0 };
  const fetchImpl = (async () => {
    p.fetches++;
    return new Response(JSON.stringify({ keys: p.keys }), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { p, fetchImpl };
}

describe('JWKS keys: cached, unknown kids negatively cached, refetch bounded', () => {
  it('fetches once for many unknown kids within the interval, then picks up a rotated key after it', async () => {
    let now = 0;
    const { p, fetchImpl } = provider([jwkOf('k1')]);
    const keys = new JwksKeys({ url: 'https://idp.test/jwks', cacheMs: 600_000, minRefetchMs: 30_000, now: () => now, fetchImpl });
    await expect(keys.keyFor('k1')).resolves.toContain('BEGIN PUBLIC KEY');
    for (let k = 0; k < 50; k++) await expect(keys.keyFor(`bogus-${k}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(p.fetches).toBe(1);

    p.keys = [jwkOf('k1'), jwkOf('k2')];
    now = 10_000;
    await expect(keys.keyFor('k2')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(p.fetches).toBe(1);
    now = 31_000;
    await expect(keys.keyFor('k2')).resolves.toContain('BEGIN PUBLIC KEY');
    expect(p.fetches).toBe(2);
    // The same unknown kid again right after: refused from the negative cache, no fetch.
    await expect(keys.keyFor('bogus-1')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(p.fetches).toBe(2);
  });

  it('refreshes a stale key set, and shares one fetch between concurrent misses', async () => {
    let now = 0;
    const { p, fetchImpl } = provider([jwkOf('k1')]);
    const keys = new JwksKeys({ url: 'https://idp.test/jwks', cacheMs: 60_000, minRefetchMs: 1_000, now: () => now, fetchImpl });
    await Promise.all(Array.from({ length: 10 }, () => keys.keyFor('k1')));
    expect(p.fetches).toBe(1);
    now = 61_000;
    await keys.keyFor('k1');
    expect(p.fetches).toBe(2);
  });
});

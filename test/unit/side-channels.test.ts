import { describe, expect, it } from 'vitest';
import { addressRange, resolveWebhookTarget, WebhookAddressRefused } from '../../src/exchange/webhook-address.js';
import { exemptFromBudget, RateStoreBreaker, StoreBypassed, type Hit, type RateStore } from '../../src/http/rate-limit.js';

/** A store whose answers the test controls: `fail` rejects every call; `pings` are settled by hand. */
class ScriptedStore implements RateStore {
  fail = false;
  charges = 0;
  pings: { resolve: () => void; reject: (e: Error) => void }[] = [];
  async charge(): Promise<Hit> {
    this.charges += 1;
    if (this.fail) throw new Error('Command timed out');
    return { count: this.charges, resetMs: 60_000 };
  }
  async peek(): Promise<Hit> {
    return { count: 0, resetMs: 0 };
  }
  ping(): Promise<void> {
    return new Promise((resolve, reject) => this.pings.push({ resolve, reject }));
  }
  async close(): Promise<void> {}
}

describe('the rate-limit store breaker: one bounded failure, then bypassed until a probe answers', () => {
  const setup = () => {
    let now = 1_000_000;
    const logs: string[] = [];
    const store = new ScriptedStore();
    const breaker = new RateStoreBreaker(store, { retryMs: 5000, log: { warn: (_o, m) => logs.push(`warn ${m}`), info: (_o, m) => logs.push(`info ${m}`) } }, () => now);
    return { store, breaker, logs, advance: (ms: number) => (now += ms) };
  };

  it('opens on the first failure, asks the store nothing while open, and logs once', async () => {
    const { store, breaker, logs } = setup();
    expect((await breaker.charge('k', 1, 60_000)).count).toBe(1);
    store.fail = true;
    await expect(breaker.charge('k', 1, 60_000)).rejects.toBeInstanceOf(StoreBypassed);
    expect(breaker.state).toBe('bypassed');
    for (let k = 0; k < 5; k++) await expect(breaker.charge('k', 1, 60_000)).rejects.toBeInstanceOf(StoreBypassed);
    expect(store.charges).toBe(2);
    expect(store.pings).toHaveLength(0);
    expect(logs).toEqual(['warn rate-limit store unavailable; requests go through uncounted until it answers']);
  });

  it('after the retry period starts one probe, still bypassing; the probe’s answer closes it', async () => {
    const { store, breaker, logs, advance } = setup();
    store.fail = true;
    await expect(breaker.charge('k', 1, 60_000)).rejects.toBeInstanceOf(StoreBypassed);
    advance(5000);
    await expect(breaker.charge('k', 1, 60_000)).rejects.toBeInstanceOf(StoreBypassed);
    await expect(breaker.peek('k')).rejects.toBeInstanceOf(StoreBypassed);
    expect(store.pings).toHaveLength(1); // one probe at a time
    // A probe that fails keeps it open for another period.
    store.pings[0]!.reject(new Error('Command timed out'));
    await new Promise((r) => setImmediate(r));
    expect(breaker.state).toBe('bypassed');
    advance(5000);
    await expect(breaker.charge('k', 1, 60_000)).rejects.toBeInstanceOf(StoreBypassed);
    expect(store.pings).toHaveLength(2);
    store.fail = false;
    store.pings[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(breaker.state).toBe('counting');
    expect((await breaker.charge('k', 1, 60_000)).count).toBe(2);
    expect(logs.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(logs.at(-1)).toBe('info rate-limit store answers again; requests are counted');
  });
});

describe('paths exempt from the public budget', () => {
  it('exempts the probes and the published keys and checkpoints, nothing else', () => {
    for (const p of ['/health', '/ready', '/ready?x=1', '/.well-known/inspection-keys', '/.well-known/audit-checkpoints?after=3']) expect(exemptFromBudget(p), p).toBe(true);
    for (const p of ['/api/v1/codes/JC-1', '/healthz', '/health/../api', '/api/v1/.well-known/x', '/check']) expect(exemptFromBudget(p), p).toBe(false);
  });
});

describe('webhook destinations: public unicast only', () => {
  it('classifies each address form a connection would reach', () => {
    expect(addressRange('127.0.0.1')).toBe('loopback');
    expect(addressRange('::1')).toBe('loopback');
    expect(addressRange('::ffff:7f00:1')).toBe('loopback');
    expect(addressRange('169.254.169.254')).toBe('linkLocal');
    expect(addressRange('fe80::1')).toBe('linkLocal');
    expect(addressRange('10.1.2.3')).toBe('private');
    expect(addressRange('fd12::1')).toBe('uniqueLocal');
    expect(addressRange('8.8.8.8')).toBe('unicast');
    expect(addressRange('2001:4860:4860::8888')).toBe('unicast');
  });

  it('normalises odd IPv4 encodings before checking, and refuses them', async () => {
    for (const url of ['http://2130706433/', 'http://0x7f.1/', 'http://0x7f000001/', 'http://017700000001/', 'http://127.1/', 'http://[::ffff:127.0.0.1]/']) {
      await expect(resolveWebhookTarget(url, { allowPrivate: false }), url).rejects.toBeInstanceOf(WebhookAddressRefused);
    }
    await expect(resolveWebhookTarget('http://0xa9.0xfe.0xa9.0xfe/', { allowPrivate: false })).rejects.toMatchObject({ address: '169.254.169.254', range: 'linkLocal' });
  });

  it('allows public addresses, and private ones only with the setting', async () => {
    expect((await resolveWebhookTarget('https://8.8.8.8/hook', { allowPrivate: false })).addresses).toEqual([{ address: '8.8.8.8', family: 4 }]);
    expect((await resolveWebhookTarget('http://127.0.0.1:9/hook', { allowPrivate: true })).addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    await expect(resolveWebhookTarget('ftp://8.8.8.8/', { allowPrivate: true })).rejects.toThrow('unsupported scheme');
  });
});

import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';

export interface JwksOptions {
  url: string;
  /** How long a fetched key set is trusted before it is fetched again (keys rotate rarely). */
  cacheMs: number;
  /**
   * The least time between two fetches of the key set, whatever the tokens ask for. A token with an
   * unknown `kid` is the usual way to make a verifier fetch again (issue 15: 52 requests, 52 fetches);
   * within this interval an unknown kid is refused from the negative cache without a fetch.
   */
  minRefetchMs: number;
  /** Injected in tests. */
  now?: () => number;
  fetchImpl?: typeof fetch;
}

interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
}

/**
 * The identity provider's signing keys from its JWKS endpoint: one key set in memory, refreshed when it
 * is older than `cacheMs`, or when a token names a kid not in it — but never more often than once per
 * `minRefetchMs`, and a kid found unknown after a fetch stays unknown (negative cache) until the next
 * allowed fetch. Concurrent misses share one fetch.
 */
export class JwksKeys {
  private keys = new Map<string, string>();
  private fetchedAt = -Infinity;
  private readonly unknown = new Map<string, number>();
  private inflight?: Promise<void>;
  /** How many times the key set was fetched (tests and the logs read it). */
  fetches = 0;

  constructor(private readonly opts: JwksOptions) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async refresh(): Promise<void> {
    this.inflight ??= (async () => {
      this.fetchedAt = this.now();
      this.fetches++;
      try {
        const res = await (this.opts.fetchImpl ?? fetch)(this.opts.url, { signal: AbortSignal.timeout(5000), redirect: 'error' });
        if (!res.ok) return;
        const body = (await res.json()) as { keys?: Jwk[] };
        const next = new Map<string, string>();
        for (const jwk of body.keys ?? []) {
          if (!jwk.kid || (jwk.use && jwk.use !== 'sig')) continue;
          try {
            // createPublicKey takes every JWK type the provider may publish (RSA, EC, OKP/Ed25519).
            next.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString());
          } catch {
            // A key this runtime cannot read is skipped; the others still verify.
          }
        }
        this.keys = next;
      } catch {
        // Unreachable provider: keep the keys we have; the refetch interval still bounds the retries.
      }
    })().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  async keyFor(kid: string | undefined): Promise<string> {
    if (!kid) throw new DomainError('UNAUTHENTICATED', '令牌缺少签名密钥标识');
    // A fetch under way answers this request too.
    if (this.inflight) await this.inflight;
    const now = this.now();
    const stale = now - this.fetchedAt > this.opts.cacheMs;
    const mayFetch = now - this.fetchedAt >= this.opts.minRefetchMs;
    const knownUnknown = now - (this.unknown.get(kid) ?? -Infinity) < this.opts.minRefetchMs;
    if (stale || (!this.keys.has(kid) && mayFetch && !knownUnknown)) await this.refresh();
    const pem = this.keys.get(kid);
    if (pem) return pem;
    // Negative cache: this kid was not in the set fetched at fetchedAt, so it is refused without a fetch
    // until the refetch interval from that fetch has passed (never extended by the refusals themselves).
    if (this.unknown.size >= 10_000) this.unknown.clear();
    this.unknown.set(kid, this.fetchedAt);
    throw new DomainError('UNAUTHENTICATED', '令牌的签名密钥不在身份提供方公布的密钥中');
  }
}

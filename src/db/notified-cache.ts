import type { Database } from './client.js';

/**
 * A per-instance cache of database reads, dropped by the database's own notifications: a trigger announces
 * a change on `channel` at commit and every instance drops what it held (all of it, or the entries the
 * message names). While the LISTEN connection is down the cache is bypassed — correctness before speed — and
 * everything is dropped when it comes back, since anything may have changed meanwhile. Bounded (the oldest
 * entries go first) and with a TTL as a safety net only.
 */
export class NotifiedCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private live = false;
  private stop?: () => Promise<void>;

  constructor(
    private readonly database: Database,
    private readonly channel: string,
    private readonly opts: {
      maxEntries: number;
      ttlMs: number;
      /** What one notification drops: the whole cache unless told. */
      onNotify?: (payload: string, cache: NotifiedCache<V>) => void;
      /** Whether a loaded value is kept (e.g. not an unknown code, so guessing cannot fill memory). */
      keep?: (value: V) => boolean;
    },
  ) {}

  async start(): Promise<void> {
    this.stop = await this.database.listen(
      this.channel,
      (payload) => (this.opts.onNotify ? this.opts.onNotify(payload, this) : this.clear()),
      (up) => {
        this.clear();
        this.live = up;
      },
    );
  }

  /** Idempotent: both the app and the process's shutdown path call it. */
  async close(): Promise<void> {
    this.live = false;
    const stop = this.stop;
    this.stop = undefined;
    await stop?.();
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.live) return load();
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.opts.ttlMs) return hit.value;
    const value = await load();
    if (this.live && (this.opts.keep?.(value) ?? true)) {
      if (this.entries.size >= this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, at: Date.now() });
    }
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops the entries whose value matches (after a change this instance made, before its notification arrives). */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [key, { value }] of this.entries) if (match(value)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

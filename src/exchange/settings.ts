/**
 * Settings of data exchange (Art. 8, 24, 29), read from the environment by src/config/config.ts.
 * `eventSource` is the CloudEvents `source` of every event (one engine, one source; an event id is unique
 * within it). Webhook retries back off exponentially from `backoffBaseMs` to `backoffMaxMs`: a receiver
 * down for a day is tried about once an hour, not hammered, and catches up in order when it returns.
 */
export interface ExchangeSettings {
  eventSource: string;
  webhookIntervalMs: number;
  webhookTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Events one webhook pass sends to one subscriber at most (each its own request, in order). */
  webhookBatch: number;
  /** Attempts at one event before it is dead-lettered and the subscriber's cursor moves past it (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** WEBHOOK_ALLOW_PRIVATE: also deliver to loopback, private and link-local addresses (src/exchange/webhook-address.ts). */
  allowPrivate: boolean;
}

export const DEFAULT_EXCHANGE: ExchangeSettings = {
  eventSource: '/wuhan-327',
  webhookIntervalMs: 5000,
  webhookTimeoutMs: 10_000,
  backoffBaseMs: 10_000,
  backoffMaxMs: 3_600_000,
  webhookBatch: 100,
  maxAttempts: 10,
  allowPrivate: false,
};

/** The wait before the next attempt after `failures` failures in a row (1, 2, 3 …). */
export function backoffMs(s: Pick<ExchangeSettings, 'backoffBaseMs' | 'backoffMaxMs'>, failures: number): number {
  return Math.min(s.backoffMaxMs, s.backoffBaseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

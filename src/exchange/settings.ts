/**
 * Settings of data exchange (Art. 8, 24, 29), Config.exchange (EVENT_SOURCE, WEBHOOK_*; src/config/config.ts
 * says why each default).
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

/** The wait before the next attempt after `failures` failures in a row (1, 2, 3 …). */
export function backoffMs(s: Pick<ExchangeSettings, 'backoffBaseMs' | 'backoffMaxMs'>, failures: number): number {
  return Math.min(s.backoffMaxMs, s.backoffBaseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
}

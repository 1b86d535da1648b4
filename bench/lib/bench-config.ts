import { loadConfig, type Config } from '../../src/config/config.js';
import type { Clock } from '../../src/time/clock.js';

/**
 * The settings every benchmark server runs with: development tokens, and both request budgets lifted (one
 * bench caller sends thousands of requests a minute; the rate limits would measure themselves).
 */
export function benchConfig(logLevel = 'silent'): Config {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: logLevel, AUTH_DEV_TOKENS: 'true', AUTH_RATE_LIMIT: '1000000' }), publicRateLimit: 100_000_000 };
}

/** The bench world's fixed "now": inside its plans' year, before the inspections' windows open. */
export const benchClock: Clock = { now: () => new Date('2026-04-02T01:00:00Z') };

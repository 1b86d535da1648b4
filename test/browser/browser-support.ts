import { describe } from 'vitest';
import { chromiumInstalled, CHROMIUM_PATH } from '../../scripts/chromium.js';
import type { TestApp } from '../support/test-app.js';

/**
 * `describe` for browser suites: Chromium is required under CI (a missing browser fails the run);
 * elsewhere the suite is skipped with a visible message saying how to install it.
 */
export const describeBrowser: typeof describe = ((name: string, fn: () => void) => {
  if (chromiumInstalled()) return describe(`${name} [chromium]`, fn);
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM_PATH} is required under CI for the browser tests; install it with scripts/setup-system.sh`);
  console.warn(`\n⚠ browser suite SKIPPED: ${CHROMIUM_PATH} not found. Run scripts/setup-system.sh (as root) to install Chromium.\n`);
  return describe.skip(name, fn);
}) as typeof describe;

/** Serves the test app on a random loopback port, for the browser; returns its origin. */
export async function serve(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * Waits (bounded, polling) until the locator's text matches, then asserts it: after a click the page may
 * still be rendering, and textContent() alone reads whatever is there at that instant.
 */
export async function seeText(locator: import('playwright-core').Locator, expected: string | RegExp, mode: 'contains' | 'exact' = 'contains'): Promise<void> {
  const { expect } = await import('vitest');
  const matches = (text: string) => (expected instanceof RegExp ? expected.test(text) : mode === 'exact' ? text === expected : text.includes(expected));
  let text = '';
  for (let k = 0; k < 150; k++) {
    text = (await locator.textContent({ timeout: 10_000 })) ?? '';
    if (matches(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (expected instanceof RegExp) expect(text).toMatch(expected);
  else if (mode === 'exact') expect(text).toBe(expected);
  else expect(text).toContain(expected);
}

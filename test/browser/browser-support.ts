import { chromium, type Browser as PlaywrightBrowser } from 'playwright-core';
import { describe } from 'vitest';
import { CHROMIUM_ARGS, chromiumInstalled, CHROMIUM_PATH, type Browser } from '../../scripts/chromium.js';
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

// One Chromium per worker process (on globalThis: the browser project runs file after file in a worker, see
// vitest.config.ts), and a fresh context for every file: a context has its own cookies, storage, cache,
// permissions and network state, as the fresh profile of launchChromium had, without starting a browser
// (~1 s of CPU) per file. Playwright kills the browser when the worker process exits.
const SHARED_CHROMIUM = Symbol.for('wh327.chromium');
const chromiumStore = globalThis as { [SHARED_CHROMIUM]?: Promise<PlaywrightBrowser> };

function sharedChromium(): Promise<PlaywrightBrowser> {
  const running = chromiumStore[SHARED_CHROMIUM];
  if (running) return running;
  const launched = chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  chromiumStore[SHARED_CHROMIUM] = launched;
  // A browser that crashed or failed to start is launched again by the next file.
  const forget = () => {
    if (chromiumStore[SHARED_CHROMIUM] === launched) delete chromiumStore[SHARED_CHROMIUM];
  };
  void launched.then((b) => b.on('disconnected', forget), forget);
  return launched;
}

/**
 * A fresh browser context (zh-CN, Beijing time, the given viewport) in the worker's shared Chromium: the
 * same `Browser` as launchChromium (scripts/chromium.ts) gives, whose close() closes the context only.
 */
export async function openBrowser(viewport = { width: 1366, height: 900 }): Promise<Browser> {
  const context = await (await sharedChromium()).newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return { context, close: () => context.close() };
}

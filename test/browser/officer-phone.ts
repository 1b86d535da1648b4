import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { openBrowser, serve } from './browser-support.js';

/** The officers' app on a 390×844 phone against a fresh world, its clock at `at`. */
export interface OfficerPhone {
  t: TestApp;
  w: InspectionWorld;
  browser: Browser;
  page: Page;
  base: string;
}

export async function openOfficerPhone(opts: { cap: number; at: string }): Promise<OfficerPhone> {
  const [t, browser] = await Promise.all([createTestApp(), openBrowser({ width: 390, height: 844 })]);
  const w = await newInspectionWorld(t, { cap: opts.cap });
  t.clock.set(opts.at);
  const base = await serve(t);
  const page = await browser.context.newPage();
  // Irreversible steps (批准, 告知结果, 结束检查) ask first (window.confirm): the person confirms.
  page.on('dialog', (d) => void d.accept());
  return { t, w, browser, page, base };
}

export async function closeOfficerPhone(p: Partial<OfficerPhone> | undefined): Promise<void> {
  await p?.browser?.close();
  await p?.t?.close();
}

/**
 * Opens the officers' app signed out. The page learns whether someone is signed in after it loads, so this waits
 * until it shows either the sign-out button or a way to sign in before deciding: asking at once raced the page
 * under load (a signed-in page not yet drawn looked signed out, and the sign-in never came).
 */
export async function openSignedOut(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/officer/`);
  const signout = page.getByTestId('signout');
  await signout.or(page.getByTestId('signin-oidc')).or(page.getByTestId('token-input')).first().waitFor();
  if (await signout.isVisible()) await signout.click();
}

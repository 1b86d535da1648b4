import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../../scripts/chromium.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, seeText, serve } from './browser-support.js';

/**
 * Issue 24: the officer's path on a 390 px phone, signed in through the local identity provider
 * (OpenID Connect, authorization code with PKCE) rather than by pasting a token.
 */
describeBrowser('掌上执法：通过统一身份认证登录并走完检查流程（第十七条至第二十条）', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), launchChromium({ width: 390, height: 844 })]);
    w = await newInspectionWorld(t, { cap: 5 });
    t.clock.set('2026-04-08T10:30:00+08:00');
    base = await serve(t);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Signs in through the provider's person picker as the person of `role` in the world's agency. */
  const signIn = async (role: 'officer' | 'agency_head') => {
    await page.goto(`${base}/officer/`);
    if (await page.getByTestId('signout').isVisible()) await page.getByTestId('signout').click();
    await page.getByTestId('signin-oidc').click();
    await page.locator(`[data-person^="${role}:${w.agency.code}:"]`).first().click();
    await page.getByRole('heading', { name: /今日工作/ }).waitFor();
  };

  it('signs in by picking a person at the provider: the header names the person and the unit, no token pasted', async () => {
    await signIn('officer');
    await seeText(page.getByTestId('who-name'), '王晓明');
    await seeText(page.getByTestId('who-name'), '执法证');
    await seeText(page.getByTestId('who-unit'), w.agency.name);
    const stored = await page.evaluate(() => localStorage.getItem('wh327.officer.token'));
    expect(stored?.split('.').length).toBe(3);
    const me = await page.evaluate(async (token) => (await fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).json(), stored);
    expect(me).toMatchObject({ role: 'officer', agency: w.agency.code, unitName: w.agency.name });
  });
});

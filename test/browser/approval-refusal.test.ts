import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../../scripts/chromium.js';
import { draftBody, newInspectionWorld, TEAM, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, seeText, serve } from './browser-support.js';

/**
 * Issue 24: the head approves the scheme (第十七条第（一）项), and this platform refuses to approve one whose
 * failed rules the officer has not explained. The queue says so before the tap, and the refusal, in
 * Chinese with every failed rule, shows beside that scheme's approve button.
 */
describeBrowser('第十七条第（一）项 审批：预检未通过且未说明理由的方案不予批准', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ start: '2026-04-02T10:00:00+08:00' }), launchChromium({ width: 390, height: 844 })]);
    w = await newInspectionWorld(t, { cap: 5 });
    base = await serve(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the refusal naming the failed rule beside the approve button, and the scheme stays a draft', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { inspectors: [TEAM[0]] }) });
    expect(res.statusCode).toBe(201);
    const id = res.json().inspection.id as string;
    const page = await browser.context.newPage();
    await page.goto(`${base}/favicon.ico`);
    await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), ['wh327.officer.token', t.token({ ...w.head, name: '李局长' })]);
    await page.goto(`${base}/officer/#/approvals`);
    const row = page.locator(`[data-inspection="${id}"]`);
    await seeText(row.getByTestId('reason-required'), '本平台不予批准');
    page.once('dialog', (d) => d.accept());
    await row.getByTestId('approve').click();
    const problem = row.getByTestId('approval-result').getByTestId('problem');
    await seeText(problem, '未说明理由');
    await seeText(problem, '第十八条第（一）项');
    expect(await problem.getAttribute('data-rule')).toBe('FAILED_CHECKS_UNEXPLAINED');
    expect((await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.head })).json().inspection.state).toBe('draft');
    await page.close();
  });
});

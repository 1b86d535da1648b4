import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from '../../scripts/chromium.js';
import { draftBody, newInspectionWorld, TEAM, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeBrowser, openBrowser, seeText, serve } from './browser-support.js';

// Evaluated through the DevTools protocol: the console's CSP refuses an injected <script> (as in accessibility.test.ts).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describeBrowser('the console’s register of declared exemptions (第六条, 第十八条第（一）项): a supervisor rejects one and it becomes a flag', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let w: InspectionWorld;
  let inspectionId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp(), openBrowser()]);
    w = await newInspectionWorld(t);
    const drafted = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { inspectors: [TEAM[0]], teamExceptionBasis: { law: '《中华人民共和国某某法》', article: '第二十条' } }) });
    if (drafted.statusCode !== 201) throw new Error(drafted.body);
    inspectionId = drafted.json().inspection.id;
    base = await serve(t);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the declaration with its counts, has no axe violation, asks before rejecting, and shows the flag it became', async () => {
    await page.goto(`${base}/console/`);
    await page.getByTestId('token-input').fill(t.token(w.supervisor));
    await page.getByTestId('signin').click();
    await page.getByTestId('dashboard').waitFor();
    await page.locator('[data-nav=declarations]').click();
    const row = page.locator('[data-testid=declaration-row][data-kind=team_exception_basis]');
    await seeText(row, '《中华人民共和国某某法》第二十条');
    await seeText(row, '武汉市武昌区市场监督管理局');
    await seeText(page.getByTestId('declaration-agency-counts'), '武汉市武昌区市场监督管理局');

    await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string }[] }> } }).axe;
      return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })).violations.map((v) => v.id);
    })) as string[];
    expect(violations).toEqual([]);

    // A reason is needed, and the irreversible step asks first.
    await page.getByTestId('declaration-reject').click();
    await page.getByTestId('declaration-reject-ask').waitFor();
    await page.getByTestId('declaration-reject-confirm').click();
    await seeText(page.locator('.alert.error'), '须说明理由');
    await page.getByTestId('declaration-note').fill('所引条款未规定可由一名执法人员实施');
    await page.getByTestId('declaration-reject').click();
    await page.getByTestId('declaration-reject-confirm').click();
    await seeText(row, '不予认可');

    const flags = (await t.call({ method: 'GET', url: `/api/v1/flags?subjectId=${inspectionId}&rule=TEAM_TOO_SMALL`, as: w.supervisor })).json();
    expect(flags).toMatchObject([{ rule: 'TEAM_TOO_SMALL', article: '第十八条第（一）项', state: 'open' }]);
    await row.getByTestId('declaration-flag').click();
    await seeText(page.getByTestId('flag-detail'), '经监督审核不予认可');
    await page.locator('[data-nav=flags]').click();
    await seeText(page.locator('[data-testid=flag-row][data-rule=TEAM_TOO_SMALL]'), '经监督审核不予认可');
  }, 120_000);
});
